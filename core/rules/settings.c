#include "rules/settings.h"

#include <stdio.h>
#include <string.h>

#include "util/charset.h"

/* Pyruse's keys, then luruse's own ("bans", "files", "allow", "fleet"). "debug" changes nothing: step
 * errors always name the step (core/rules/workflow.c). */
const char *const lr_settings_keys[] = {
  "storage", "8bit-message-encoding", "debug", "email", "nftBan", "ipsetBan", "bans", "files", "allow", "fleet", NULL,
};

bool lr_settings_key_known(const char *key)
{
  for (const char *const *k = lr_settings_keys; *k; k++)
    if (strcmp(*k, key) == 0)
      return true;
  return false;
}

void lr_settings_init(struct lr_settings *s, const char *product)
{
  memset(s, 0, sizeof(*s));
  lr_mail_config_init(&s->mail, product);
  lr_ban_config_init(&s->ban);
  lr_fleet_config_init(&s->fleet);
}

void lr_settings_free(struct lr_settings *s)
{
  lr_charset_close(s->msg_charset);
  s->msg_charset = NULL;
  lr_mail_config_free(&s->mail);
  lr_ban_config_free(&s->ban);
  lr_file_config_free(&s->files);
  lr_allowlist_free(&s->allow);
  lr_fleet_config_free(&s->fleet);
}

int lr_settings_configure(struct lr_settings *s, const json_t *settings, char *err,
                          size_t errlen)
{
  const json_t *enc = json_object_get(settings, "8bit-message-encoding");
  const char *name = json_is_string(enc) ? json_string_value(enc) : "iso-8859-1";
  if (enc && !json_is_string(enc)) {
    snprintf(err, errlen, "setting '8bit-message-encoding' must be a string");
    return -1;
  }
  struct lr_charset *cs = lr_charset_open(name, err, errlen);
  if (!cs)
    return -1;
  lr_charset_close(s->msg_charset);
  s->msg_charset = cs;
  if (lr_mail_config_parse(&s->mail, settings, err, errlen) < 0)
    return -1;
  if (lr_ban_config_parse(&s->ban, settings, err, errlen) < 0)
    return -1;
  if (lr_file_config_parse(&s->files, settings, err, errlen) < 0)
    return -1;
  if (lr_allowlist_configure(&s->allow, settings, err, errlen) < 0)
    return -1;
  if (lr_fleet_config_parse(&s->fleet, settings, err, errlen) < 0)
    return -1;
  return 0;
}
