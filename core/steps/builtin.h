/* The built-in step types, one file per family; registry.c indexes them by name. */
#pragma once
#include <stdbool.h>
#include "rules/step.h"

extern const struct lr_step_type lr_step_equals, lr_step_lower_or_equals,
  lr_step_greater_or_equals, lr_step_in;              /* compare.c */
extern const struct lr_step_type lr_step_in_networks;  /* networks.c */
extern const struct lr_step_type lr_step_pcre, lr_step_pcre_any; /* pcre.c */
extern const struct lr_step_type lr_step_user_exists;  /* user.c */
extern const struct lr_step_type lr_step_noop, lr_step_log;     /* log.c */
extern const struct lr_step_type lr_step_email, lr_step_daily_report; /* notify.c */
extern const struct lr_step_type lr_step_counter_raise, lr_step_counter_reset,
  lr_step_counter_lower;                                /* counters.c */
extern const struct lr_step_type lr_step_dnat_capture, lr_step_dnat_replace; /* dnat.c */
extern const struct lr_step_type lr_step_nft_ban, lr_step_ipset_ban, lr_step_exec; /* ban.c */
extern const struct lr_step_type lr_step_jail; /* jail.c */

/* What `luruse status` shows of a jail: its name and counter categories. */
struct lr_jail_info {
  const char *name;
  const char *fail_category, *ban_category; /* "jail:NAME", "jail-bans:NAME" */
  long long find_s, forget_s;
};
struct lr_step;
/* true, filling out, when s is an action_jail step. */
bool lr_jail_step_info(const struct lr_step *s, struct lr_jail_info *out);
