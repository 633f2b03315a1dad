/* action_noop and action_log. A log line goes back into the journal with
 * structured fields (LURUSE_CHAIN, LURUSE_STEP, the template's fields) so that
 * later rules can match on them, e.g. to ban recidivists. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "util/buf.h"
#include "input/entry.h"
#include "util/log.h"
#include "steps/builtin.h"
#include "rules/template.h"
#include "util/xalloc.h"
#include "util/errmsg.h"

static int noop_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                        size_t errlen)
{
  (void)args, (void)cc, (void)err, (void)errlen;
  *data = NULL;
  return 0;
}

static enum lr_verdict noop_run(void *data, struct lr_exec *x)
{
  (void)data, (void)x;
  return LR_PASS;
}

static const struct lr_arg_decl noop_args[] = {{NULL}};

const struct lr_step_type lr_step_noop = {"action_noop", false, noop_compile, noop_run, NULL,
                                          noop_args, NULL};

static const char *const level_names[] = {"EMERG", "ALERT", "CRIT", "ERR",
                                          "WARNING", "NOTICE", "INFO", "DEBUG"};

#define MAX_LOG_FIELDS 32

struct log_step {
  struct lr_template *message;
  int priority;
  char *chain_field, *step_field; /* "LURUSE_CHAIN=..." built once */
  size_t nfields;
  lr_field_id fields[MAX_LOG_FIELDS];
  char *journal_names[MAX_LOG_FIELDS]; /* "CLIENTIP=" */
  struct lr_buf values;
};

static void log_free(void *data)
{
  struct log_step *l = data;
  lr_template_free(l->message);
  free(l->chain_field);
  free(l->step_field);
  for (size_t i = 0; i < l->nfields; i++)
    free(l->journal_names[i]);
  lr_buf_free(&l->values);
  free(l);
}

/* Journal field names are [A-Z0-9_], not starting with '_' (trusted fields)
 * nor clashing with the ones this action writes itself. */
static char *journal_name(const char *field)
{
  static const char *const reserved[] = {"MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER",
                                         "LURUSE_CHAIN", "LURUSE_STEP", NULL};
  struct lr_buf b = {0};
  while (*field == '_')
    field++;
  for (const char *p = field; *p && b.len < 60; p++)
    lr_buf_addc(&b, isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_');
  bool clash = b.len == 0 || isdigit((unsigned char)b.data[0]) ||
               strncmp(b.data, "CODE_", 5) == 0;
  for (size_t i = 0; reserved[i] && !clash; i++)
    clash = strcmp(b.data, reserved[i]) == 0;
  struct lr_buf out = {0};
  lr_buf_printf(&out, "%s%s=", clash ? "LURUSE_FIELD_" : "", b.data ? b.data : "");
  lr_buf_free(&b);
  return out.data;
}

static int log_compile(const json_t *args, struct lr_compile_ctx *cc, void **data, char *err,
                       size_t errlen)
{
  const char *message, *level;
  if (lr_arg_string(args, "message", &message, err, errlen) < 0 ||
      lr_arg_string(args, "level", &level, err, errlen) < 0)
    return -1;
  struct log_step *l = lr_xcalloc(1, sizeof(*l));
  l->priority = LOG_INFO;
  if (level) {
    l->priority = -1;
    for (int i = 0; i < 8; i++)
      if (strcmp(level, level_names[i]) == 0)
        l->priority = i;
    if (l->priority < 0) {
      snprintf(err, errlen, "unknown level '%s' (EMERG ALERT CRIT ERR WARNING NOTICE INFO DEBUG)",
               level);
      free(l);
      return -1;
    }
  }
  char why[LR_ERR_MAX];
  l->message = lr_template_compile(message, why, sizeof(why));
  if (!l->message) {
    snprintf(err, errlen, "message: %s", why);
    free(l);
    return -1;
  }
  const lr_field_id *ids;
  size_t n = lr_template_fields(l->message, &ids);
  for (size_t i = 0; i < n && l->nfields < MAX_LOG_FIELDS; i++) {
    l->fields[l->nfields] = ids[i];
    l->journal_names[l->nfields++] = journal_name(lr_fields_name(ids[i]));
  }
  struct lr_buf b = {0};
  lr_buf_printf(&b, "LURUSE_CHAIN=%s", cc->chain);
  l->chain_field = b.data;
  b = (struct lr_buf){0};
  lr_buf_printf(&b, "LURUSE_STEP=%u", cc->index);
  l->step_field = b.data;
  *data = l;
  return 0;
}

static void append_value(struct lr_buf *b, const struct lr_value *v)
{
  if (v->type == LR_VAL_STR)
    lr_buf_add(b, v->str, v->len);
  else
    lr_buf_printf(b, "%lld", (long long)v->num);
}

static enum lr_verdict log_run(void *data, struct lr_exec *x)
{
  struct log_step *l = data;
  lr_buf_clear(&x->scratch);
  lr_buf_add(&x->scratch, "MESSAGE=", 8);
  if (lr_template_render(l->message, x->entry, &x->scratch, x->err, sizeof(x->err)) < 0)
    return LR_ERROR;
  if (x->capture && x->capture_all) {
    x->capture(x->capture_opaque,
               &(struct lr_captured){.action = "action_log", .level = level_names[l->priority],
                                     .message = x->scratch.data + 8,
                                     .message_len = x->scratch.len - 8});
    return LR_PASS;
  }
  if (x->log_to_stderr || !lr_log_journal_available()) {
    fprintf(stderr, "<%d>%s [%s]\n", l->priority, x->scratch.data + 8, l->chain_field + 13);
    return LR_PASS;
  }
  char prio[16];
  snprintf(prio, sizeof(prio), "PRIORITY=%d", l->priority);
  struct iovec iov[MAX_LOG_FIELDS + 5];
  size_t n = 0;
  iov[n++] = (struct iovec){x->scratch.data, x->scratch.len};
  iov[n++] = (struct iovec){prio, strlen(prio)};
  iov[n++] = (struct iovec){"SYSLOG_IDENTIFIER=luruse", 24};
  iov[n++] = (struct iovec){l->chain_field, strlen(l->chain_field)};
  iov[n++] = (struct iovec){l->step_field, strlen(l->step_field)};
  /* Values go into one buffer first: pointers are taken after it stops growing. */
  size_t offsets[MAX_LOG_FIELDS], lens[MAX_LOG_FIELDS], nused = 0;
  lr_buf_clear(&l->values);
  for (size_t i = 0; i < l->nfields; i++) {
    const struct lr_value *v = lr_entry_get(x->entry, l->fields[i]);
    if (!v)
      continue;
    offsets[nused] = l->values.len;
    lr_buf_add(&l->values, l->journal_names[i], strlen(l->journal_names[i]));
    append_value(&l->values, v);
    lens[nused] = l->values.len - offsets[nused];
    nused++;
  }
  for (size_t i = 0; i < nused; i++)
    iov[n++] = (struct iovec){l->values.data + offsets[i], lens[i]};
  int rc = sd_journal_sendv(iov, (int)n);
  if (rc < 0) {
    snprintf(x->err, sizeof(x->err), "cannot write to the journal: %s", strerror(-rc));
    return LR_ERROR;
  }
  return LR_PASS;
}

static const struct lr_arg_decl log_args[] = {
  {"message", LR_ARG_STRING, true}, {"level", LR_ARG_STRING, false}, {NULL}};

const struct lr_step_type lr_step_log = {"action_log", false, log_compile, log_run, log_free,
                                         log_args, NULL};
