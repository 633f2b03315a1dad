/* The built-in step types, one file per family; steps.c indexes them by name. */
#pragma once
#include "step.h"

extern const struct lr_step_type lr_step_equals, lr_step_lower_or_equals,
  lr_step_greater_or_equals, lr_step_in;              /* steps_compare.c */
extern const struct lr_step_type lr_step_in_networks;  /* steps_networks.c */
extern const struct lr_step_type lr_step_pcre, lr_step_pcre_any; /* steps_pcre.c */
extern const struct lr_step_type lr_step_user_exists;  /* steps_user.c */
extern const struct lr_step_type lr_step_noop, lr_step_log;     /* steps_log.c */
extern const struct lr_step_type lr_step_email, lr_step_daily_report; /* steps_notify.c */
extern const struct lr_step_type lr_step_counter_raise, lr_step_counter_reset,
  lr_step_counter_lower;                                /* steps_counters.c */
extern const struct lr_step_type lr_step_dnat_capture, lr_step_dnat_replace; /* steps_dnat.c */
extern const struct lr_step_type lr_step_nft_ban, lr_step_ipset_ban, lr_step_exec; /* steps_ban.c */
