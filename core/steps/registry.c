#include <stddef.h>
#include <string.h>

#include "steps/builtin.h"

static const struct lr_step_type *const builtin[] = {
  &lr_step_equals, &lr_step_lower_or_equals, &lr_step_greater_or_equals, &lr_step_in,
  &lr_step_in_networks, &lr_step_pcre, &lr_step_pcre_any, &lr_step_user_exists,
  &lr_step_noop, &lr_step_log, &lr_step_email, &lr_step_daily_report,
  &lr_step_dnat_capture, &lr_step_dnat_replace,
  &lr_step_counter_raise, &lr_step_counter_reset, &lr_step_counter_lower,
  &lr_step_nft_ban, &lr_step_ipset_ban, &lr_step_exec, &lr_step_jail,
};

/* Pyruse steps this build does not provide yet: refused by name, not as unknown
 * (NULL-terminated; none left). */
static const char *const planned[] = {
  NULL,
};

const struct lr_step_type *lr_step_type_find(const char *name, const char **why)
{
  for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
    if (strcmp(builtin[i]->name, name) == 0)
      return builtin[i];
  for (size_t i = 0; planned[i]; i++)
    if (strcmp(planned[i], name) == 0) {
      *why = "this Pyruse action is not available in this version of luruse yet";
      return NULL;
    }
  return NULL;
}
