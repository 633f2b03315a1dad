/* The built-in step types, one file per family; registry.c indexes them by name. */
#pragma once
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
