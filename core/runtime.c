#include "runtime.h"

#include <stdio.h>
#include <string.h>

#include "charset.h"

/* Pyruse's keys, then luruse's own ("bans"). "debug" changes nothing: step
 * errors always name the step (core/workflow.c). */
const char *const lr_runtime_settings[] = {
  "storage", "8bit-message-encoding", "debug", "email", "nftBan", "ipsetBan", "bans", NULL,
};

bool lr_runtime_setting_known(const char *key)
{
  for (const char *const *k = lr_runtime_settings; *k; k++)
    if (strcmp(*k, key) == 0)
      return true;
  return false;
}

void lr_runtime_init(struct lr_runtime *rt)
{
  memset(rt, 0, sizeof(*rt));
  lr_mail_config_init(&rt->mail, "luruse");
  lr_ban_config_init(&rt->ban);
}

void lr_runtime_set_product(struct lr_runtime *rt, const char *product)
{
  lr_mail_config_free(&rt->mail);
  lr_mail_config_init(&rt->mail, product);
}

void lr_runtime_free(struct lr_runtime *rt)
{
  lr_charset_close(rt->msg_charset);
  rt->msg_charset = NULL;
  lr_mail_config_free(&rt->mail);
  lr_ban_config_free(&rt->ban);
}

int lr_runtime_configure(struct lr_runtime *rt, const json_t *settings, char *err, size_t errlen)
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
  lr_charset_close(rt->msg_charset);
  rt->msg_charset = cs;
  if (lr_mail_config_parse(&rt->mail, settings, err, errlen) < 0)
    return -1;
  if (lr_ban_config_parse(&rt->ban, settings, err, errlen) < 0)
    return -1;
  return 0;
}
