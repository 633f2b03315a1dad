/* What a rule file says, compiled once with its rules and swapped with them on
 * reload: the 8-bit message charset, the email settings and the ban commands.
 * Services (the state, counters, mappings, bans, outbox) are not settings: they
 * outlive a reload (core/rules/services.h) and steps reach them through the exec
 * context (step.h).
 *
 *   struct lr_settings s; lr_settings_init(&s, "luruse");
 *   if (lr_settings_configure(&s, rules->settings, err, sizeof(err)) < 0) ...
 *   lr_settings_free(&s);
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "defence/ban_config.h"
#include "fleet/fleet_config.h"
#include "notify/mail_config.h"
#include "rules/allowlist.h"
#include "rules/file_config.h"

struct lr_charset;

struct lr_settings {
  struct lr_charset *msg_charset; /* "8bit-message-encoding" */
  struct lr_mail_config mail;     /* "email" */
  struct lr_ban_config ban;       /* "nftBan", "ipsetBan" and "bans" */
  struct lr_file_config files;    /* "files": text logs to follow (run only) */
  struct lr_allowlist allow;      /* "allow", loopback and the host's addresses: never banned */
  struct lr_fleet_config fleet;   /* "fleet": bans shared through Redis (run only) */
};

/* product names the defaults ("luruse Notification", "Pyruse Report"...). */
void lr_settings_init(struct lr_settings *s, const char *product);
void lr_settings_free(struct lr_settings *s);

/* The top-level settings a rule file may give, NULL-terminated (pyruse.json's
 * "actions" aside): Lua rules refuse any other, a pyruse.json warns. */
extern const char *const lr_settings_keys[];
bool lr_settings_key_known(const char *key);

/* Applies a rule file's settings (8bit-message-encoding, email, nftBan,
 * ipsetBan, bans, files). -1 with err. */
int lr_settings_configure(struct lr_settings *s, const json_t *settings, char *err,
                          size_t errlen);
