/* Services and settings shared by every step of a workflow, owned by the
 * daemon or the replay command, and kept across rule reloads.
 *
 *   struct lr_runtime rt; lr_runtime_init(&rt);  ...  lr_runtime_free(&rt);
 */
#pragma once
#include <stdbool.h>
#include <stdio.h>

#include "ban_config.h"
#include "mail_config.h"

struct lr_charset;
struct lr_notify;
struct lr_captured;
struct lr_dnat;
struct lr_counters;
struct lr_services;
struct lr_bans;

struct lr_runtime {
  FILE *trace;                   /* --trace: each entry's path, or NULL */
  struct lr_charset *msg_charset;
  bool log_to_stderr;            /* `log` actions: stderr instead of the journal */
  struct lr_mail_config mail;    /* the rule file's "email" settings */
  struct lr_notify *notify;      /* emails and the daily report; NULL: not sent (luruse.so) */
  struct lr_dnat *dnat;          /* DNAT mappings, kept across reloads */
  struct lr_counters *counters;  /* counters, kept across reloads */
  struct lr_ban_config ban;      /* the rule file's "nftBan", "ipsetBan" and "bans" settings */
  struct lr_bans *bans;          /* firewall bans and exec commands; NULL: only reported */
  struct lr_services *svc;       /* their owner, which saves them; NULL in luruse.so */
  /* Without notify: told what would have been sent, for rule authors' specs. */
  void (*capture)(void *opaque, const struct lr_captured *what);
  void *capture_opaque;
};

/* An email or a report line that a step produced (texts valid during the call). */
struct lr_captured {
  const char *action;          /* "action_email" or "action_dailyReport" */
  const char *subject, *level, *details; /* NULL when not applicable */
  const char *message;
  size_t subject_len, message_len;
  /* action_nftBan, action_ipsetBan: the set and canonical address ("/len" for a
   * prefix), seconds (0: permanent); message is the nft statement or ipset arguments */
  const char *set, *ip;
  unsigned seconds;
  /* action_exec: the rendered arguments, argv[0] the program (message is NULL) */
  const char *const *argv;
  const size_t *argv_len;
  size_t argc;
};

/* product names the defaults ("luruse Notification", "Pyruse Report"...). */
void lr_runtime_init(struct lr_runtime *rt);
void lr_runtime_set_product(struct lr_runtime *rt, const char *product);
void lr_runtime_free(struct lr_runtime *rt);

#include <jansson.h>
#include <stddef.h>
/* The top-level settings a rule file may give, NULL-terminated (pyruse.json's
 * "actions" aside): Lua rules refuse any other, a pyruse.json warns. */
extern const char *const lr_runtime_settings[];
bool lr_runtime_setting_known(const char *key);

/* Applies a rule file's settings (8bit-message-encoding, email, nftBan,
 * ipsetBan, bans). -1 with err. */
int lr_runtime_configure(struct lr_runtime *rt, const json_t *settings, char *err, size_t errlen);
