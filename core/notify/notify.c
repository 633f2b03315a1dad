#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/errmsg.h"
#include "util/log.h"
#include "notify/mail.h"
#include "notify/outbox.h"
#include "notify/sendmail_sandbox.h"
#include "notify/report_store.h"
#include "notify/report_tally.h"
#include "notify/report_tally_store.h"
#include "state/state.h"
#include "util/xalloc.h"

/* Distinct alerts tracked for throttling; when full, the oldest window is
 * closed early (its summary sent), so memory stays bounded under attack. */
#define THROTTLE_SLOTS 256
/* Buffered report lines that make the daemon commit early. */
#define FLUSH_SOON 50000
/* Alerts waiting for the next commit; more are refused (and counted) while
 * commits fail, so that a full disk under attack cannot fill the memory. */
#define PENDING_MAX 10000

/* An alert composed but not in the outbox yet: it goes there in the cursor's
 * transaction, so that the entries read again after a crash queue it once. */
struct pending_email {
  char *what;
  char *msg;
  size_t len;
};

struct throttle_slot {
  uint64_t hash;         /* 0: free */
  int64_t window_end;
  int64_t first_usec, last_usec; /* of the coalesced (not sent) ones */
  uint64_t coalesced;
  char *subject, *body;
};

struct lr_notify {
  struct lr_state *st;
  struct lr_outbox *outbox;
  struct lr_report_store *report;
  struct lr_report_tally *tally;            /* the report's figures since the last flush */
  struct lr_report_tally *late;             /* the loop's (sendmail, firewall): also at close */
  struct lr_report_tally_store *tally_store;
  uint64_t tally_lost_logged;
  int64_t now;                              /* the latest tick: when sendmail's answers count */
  const struct lr_mail_config *cfg;
  struct throttle_slot slots[THROTTLE_SLOTS];
  int64_t next_window_end; /* earliest window with coalesced alerts, INT64_MAX: none */
  int64_t report_oldest, report_deadline; /* cache of the midnight after the oldest line */
  int64_t report_due;  /* a deadline that passed: the report goes after the next commit */
  struct lr_buf msg, tmp;
  struct pending_email *pending;
  size_t npending, pending_cap, pending_flushed; /* flushed: stored by the last flush */
  uint64_t pending_refused;                      /* not yet logged */
  struct lr_notify_stats stats;
};

/* Emails sent and sendmail failures, for the report: at the entries' time of
 * the latest tick, so that a replay files them in the day it replays. */
static void on_sendmail_result(void *ctx, bool ok)
{
  struct lr_notify *n = ctx;
  lr_notify_count_now(n, ok ? LR_COUNT_EMAIL_SENT : LR_COUNT_SENDMAIL_FAILED, NULL, 0, NULL, 0);
}

struct lr_notify *lr_notify_open(struct lr_state *st, uv_loop_t *loop, char *err, size_t errlen)
{
  struct lr_notify *n = lr_xcalloc(1, sizeof(*n));
  n->st = st;
  n->next_window_end = INT64_MAX;
  n->report_oldest = -2;
  n->report_due = -1;
  n->now = lr_wall_usec();
  if (!(n->outbox = lr_outbox_open(st, loop, err, errlen)) ||
      !(n->report = lr_report_store_open(st, err, errlen)) ||
      !(n->tally_store = lr_report_tally_store_open(st, err, errlen))) {
    lr_outbox_close(n->outbox);
    lr_report_store_close(n->report);
    free(n);
    return NULL;
  }
  n->tally = lr_report_tally_new();
  n->late = lr_report_tally_new();
  lr_outbox_on_result(n->outbox, on_sendmail_result, n);
  return n;
}

void lr_notify_count(struct lr_notify *n, enum lr_report_count_kind kind, const char *a,
                     size_t alen, const char *b, size_t blen, int64_t time_usec)
{
  lr_report_tally_add(n->tally, kind, a, alen, b, blen, time_usec);
}

/* Apart from the entries' figures: these may come after the last commit
 * (replay's end), and no entry would be read again for them. */
void lr_notify_count_now(struct lr_notify *n, enum lr_report_count_kind kind, const char *a,
                         size_t alen, const char *b, size_t blen)
{
  lr_report_tally_add(n->late, kind, a, alen, b, blen, n->now);
}

void lr_notify_configure(struct lr_notify *n, const struct lr_mail_config *cfg)
{
  n->cfg = cfg;
  if (!cfg)
    return;
  lr_outbox_configure(n->outbox, (const char *const *)cfg->sendmail, cfg->timeout_s * 1000);
  char why[LR_ERR_MAX];
  if (lr_sendmail_needs_privilege((const char *const *)cfg->sendmail, why, sizeof(why)))
    lr_log(LOG_WARNING, "email.sendmail: %s, which this process may not gain (no_new_privs: "
                        "systemd's NoNewPrivileges=): emails will wait in the outbox; use "
                        "{ \"/usr/sbin/luruse\", \"sendmail\", \"-t\" }, which hands them "
                        "to the local MTA over SMTP", why);
}

static uint64_t hash_alert(const char *s, size_t slen, const char *b, size_t blen)
{
  uint64_t h = 14695981039346656037ull; /* FNV-1a */
  for (size_t i = 0; i < slen; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  h = (h ^ 0xff) * 1099511628211ull; /* subject "ab"+body "c" differs from "a"+"bc" */
  for (size_t i = 0; i < blen; i++)
    h = (h ^ (unsigned char)b[i]) * 1099511628211ull;
  return h ? h : 1;
}

static void format_time(char *out, size_t size, int64_t usec)
{
  time_t t = (time_t)(usec / 1000000);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Composes one email; it waits for the next commit (lr_notify_flush). */
static void queue_text(struct lr_notify *n, const char *what, const char *subject,
                       const char *body, size_t blen, int64_t date_usec)
{
  if (n->npending >= PENDING_MAX) {
    n->pending_refused++;
    return;
  }
  struct lr_mail_header_info h = {
      .from = n->cfg->from, .to = (const char *const *)n->cfg->to, .nto = n->cfg->nto,
      .subject = subject, .date_usec = date_usec};
  lr_buf_clear(&n->msg);
  lr_mail_compose_text(&n->msg, &h, body, blen);
  LR_GROW(n->pending, n->npending + 1, n->pending_cap, 16);
  n->pending[n->npending++] = (struct pending_email){
      lr_xstrdup(what), lr_xstrndup(n->msg.data, n->msg.len), n->msg.len};
}

/* The alerts waiting, into the outbox table (in the caller's transaction, if
 * any): -1 when one could not be stored (it and the later ones wait). */
static int store_pending(struct lr_notify *n)
{
  n->pending_flushed = 0;
  if (n->pending_refused) {
    lr_log(LOG_ERR, "%llu email(s) not queued: %d are waiting already for the state database",
           (unsigned long long)n->pending_refused, PENDING_MAX);
    n->pending_refused = 0;
  }
  for (; n->pending_flushed < n->npending; n->pending_flushed++) {
    struct pending_email *e = &n->pending[n->pending_flushed];
    if (lr_outbox_store(n->outbox, e->what, e->msg, e->len) < 0)
      return -1;
  }
  return 0;
}

/* The stored ones are in the outbox now: forgotten here, and sent. */
static void pending_stored(struct lr_notify *n)
{
  size_t done = n->pending_flushed;
  if (!done)
    return;
  for (size_t i = 0; i < done; i++) {
    free(n->pending[i].what);
    free(n->pending[i].msg);
  }
  memmove(n->pending, n->pending + done, (n->npending - done) * sizeof(*n->pending));
  n->npending -= done;
  n->pending_flushed = 0;
  n->stats.emails_queued += done;
  lr_outbox_kick(n->outbox);
}

/* Outside the cursor's transactions (replay's end, close): each on its own. */
static void store_pending_now(struct lr_notify *n)
{
  store_pending(n);
  pending_stored(n);
  for (size_t i = 0; i < n->npending; i++) {
    lr_log(LOG_ERR, "email \"%s\" lost: the state database did not take it",
           n->pending[i].what);
    free(n->pending[i].what);
    free(n->pending[i].msg);
  }
  n->npending = 0;
}


static void send_summary(struct lr_notify *n, struct throttle_slot *s)
{
  char first[32], last[32];
  format_time(first, sizeof(first), s->first_usec);
  format_time(last, sizeof(last), s->last_usec);
  lr_buf_clear(&n->tmp);
  lr_buf_printf(&n->tmp, "%s [%llu more]", s->subject, (unsigned long long)s->coalesced);
  char *subject = lr_xstrdup(n->tmp.data);
  lr_buf_clear(&n->tmp);
  lr_buf_printf(&n->tmp,
                "This alert was raised %llu more time%s between %s and %s.\n"
                "Identical alerts are sent at most once every %u s (email.throttleSeconds).\n\n",
                (unsigned long long)s->coalesced, s->coalesced > 1 ? "s" : "", first, last,
                n->cfg->throttle_s);
  lr_buf_add(&n->tmp, s->body, strlen(s->body));
  queue_text(n, subject, subject, n->tmp.data, n->tmp.len, lr_wall_usec());
  free(subject);
  n->stats.emails_coalesced += s->coalesced;
  s->coalesced = 0;
}

static void release_slot(struct lr_notify *n, struct throttle_slot *s)
{
  if (s->coalesced && n->cfg)
    send_summary(n, s);
  free(s->subject);
  free(s->body);
  memset(s, 0, sizeof(*s));
}

static void recompute_next_window(struct lr_notify *n)
{
  n->next_window_end = INT64_MAX;
  for (size_t i = 0; i < THROTTLE_SLOTS; i++)
    if (n->slots[i].hash && n->slots[i].window_end < n->next_window_end)
      n->next_window_end = n->slots[i].window_end;
}

static void close_windows(struct lr_notify *n, int64_t now)
{
  for (size_t i = 0; i < THROTTLE_SLOTS; i++)
    if (n->slots[i].hash && n->slots[i].window_end <= now)
      release_slot(n, &n->slots[i]);
  recompute_next_window(n);
}

void lr_notify_email(struct lr_notify *n, const char *subject, size_t slen, const char *body,
                     size_t blen, int64_t now)
{
  if (!n->cfg)
    return;
  if (now >= n->next_window_end)
    close_windows(n, now);
  char *subj = lr_xstrndup(subject, slen);
  if (n->cfg->throttle_s == 0) {
    queue_text(n, subj, subj, body, blen, lr_wall_usec()); /* the email's Date */
    free(subj);
    return;
  }
  uint64_t h = hash_alert(subject, slen, body, blen);
  struct throttle_slot *slot = NULL, *oldest = &n->slots[0];
  for (size_t i = 0; i < THROTTLE_SLOTS; i++) {
    struct throttle_slot *s = &n->slots[i];
    if (s->hash == h && s->window_end > now && strcmp(s->subject, subj) == 0 &&
        strlen(s->body) == blen && memcmp(s->body, body, blen) == 0) {
      if (!s->coalesced)
        s->first_usec = now;
      s->coalesced++;
      s->last_usec = now;
      free(subj);
      return;
    }
    if (!slot && !s->hash)
      slot = s;
    if (s->window_end < oldest->window_end)
      oldest = s;
  }
  if (!slot) {
    release_slot(n, oldest);
    slot = oldest;
  }
  queue_text(n, subj, subj, body, blen, lr_wall_usec()); /* the email's Date */
  *slot = (struct throttle_slot){.hash = h,
                                 .window_end = now + (int64_t)n->cfg->throttle_s * 1000000,
                                 .subject = subj,
                                 .body = lr_xstrndup(body, blen)};
  if (slot->window_end < n->next_window_end)
    n->next_window_end = slot->window_end;
}

void lr_notify_report(struct lr_notify *n, enum lr_report_level level,
                      enum lr_report_details details, int64_t time_usec, const char *msg,
                      size_t len, const char *host, size_t host_len)
{
  lr_report_store_add(n->report, level, details, time_usec, msg, len, host, host_len);
}

/* Local midnight after t: mktime normalises day 32 and finds the DST offset. */
static int64_t midnight_after(int64_t usec)
{
  time_t t = (time_t)(usec / 1000000);
  struct tm tm;
  localtime_r(&t, &tm);
  tm.tm_mday++;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return (int64_t)mktime(&tm) * 1000000;
}

/* The lines before the deadline, all committed with their cursors (so a crash
 * cannot bring any of them back), go out in one email. */
static void render(const struct lr_notify *n, struct lr_buf *text, struct lr_buf *html,
                   const struct lr_report_snapshot *snap, const struct lr_report_counts *counts)
{
  const struct lr_mail_config *c = n->cfg;
  struct lr_report_options o = {
    .title = c ? c->report_title : "luruse Report",
    .other_rows = c ? c->report_rows : 0,
    .time_format = c ? c->report_time_format : NULL,
    .summary = true,
    .counts = counts->rows,
    .ncounts = counts->n};
  lr_report_render(text, html, &o, snap->lines, snap->n);
}

static void send_report(struct lr_notify *n, int64_t before)
{
  struct lr_report_snapshot snap;
  struct lr_report_counts counts = {0};
  if (lr_report_store_load(n->report, before, &snap) < 0 || snap.n == 0 ||
      lr_report_tally_store_load(n->tally_store, before, &counts) < 0) {
    lr_report_snapshot_free(&snap);
    return;
  }
  struct lr_buf text = {0}, html = {0};
  render(n, &text, &html, &snap, &counts);
  char day[32];
  time_t t = (time_t)(snap.lines[0].time_usec / 1000000);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(day, sizeof(day), "%Y-%m-%d", &tm);
  lr_buf_clear(&n->tmp);
  lr_mail_config_report_subject(n->cfg, day, &n->tmp);
  struct lr_mail_header_info h = {
      .from = n->cfg->from, .to = (const char *const *)n->cfg->to, .nto = n->cfg->nto,
      .subject = n->tmp.data, .date_usec = lr_wall_usec()};
  lr_buf_clear(&n->msg);
  lr_mail_compose_alternative(&n->msg, &h, text.data, text.len, html.data, html.len);
  /* queued and cleared together (lines and figures): a crash sends the report
   * once or keeps them; sendmail only starts once the transaction is committed */
  if (lr_state_begin(n->st) == 0) {
    if (lr_outbox_store(n->outbox, n->tmp.data, n->msg.data, n->msg.len) == 0 &&
        lr_report_store_forget(n->report, &snap) == 0 &&
        lr_report_tally_store_forget(n->tally_store, before) == 0) {
      if (lr_state_commit(n->st) == 0) {
        n->stats.reports_queued++;
        lr_log(LOG_INFO, "daily report of %s queued (%zu lines)", day, snap.n);
        lr_outbox_kick(n->outbox);
      }
    } else {
      lr_state_exec(n->st, "ROLLBACK");
    }
  }
  lr_report_store_recount(n->report);
  lr_buf_free(&text);
  lr_buf_free(&html);
  lr_report_snapshot_free(&snap);
  lr_report_counts_free(&counts);
}

void lr_notify_tick(struct lr_notify *n, int64_t now)
{
  n->now = now;
  if (!n->cfg)
    return;
  if (now >= n->next_window_end)
    close_windows(n, now);
  int64_t oldest = lr_report_store_oldest(n->report);
  if (oldest != n->report_oldest) {
    n->report_oldest = oldest;
    n->report_deadline = oldest < 0 ? INT64_MAX : midnight_after(oldest);
  }
  if (now >= n->report_deadline)
    n->report_due = n->report_deadline;
}

int lr_notify_flush(struct lr_notify *n)
{
  uint64_t lost = lr_report_tally_lost(n->tally) + lr_report_tally_lost(n->late);
  if (lost > n->tally_lost_logged) {
    lr_log(LOG_WARNING, "daily report: %llu event(s) not counted in its figures (the table of "
           "%d keys was full)", (unsigned long long)(lost - n->tally_lost_logged), LR_TALLY_SLOTS);
    n->tally_lost_logged = lost;
  }
  int rc = lr_report_store_flush(n->report);
  if (store_pending(n) < 0)
    rc = -1;
  if (lr_report_tally_store_flush(n->tally_store, n->tally) < 0 ||
      lr_report_tally_store_flush(n->tally_store, n->late) < 0)
    rc = -1;
  /* figures that no report will take (rules without report lines) go after a
   * while: LR_TALLY_KEEP_DAYS before the oldest line, or the entries' clock */
  int64_t oldest = lr_report_store_oldest(n->report);
  int64_t keep = (int64_t)LR_TALLY_KEEP_DAYS * 86400 * 1000000;
  if (rc == 0 && lr_report_tally_store_prune(n->tally_store,
                                             (oldest >= 0 ? oldest : n->now) - keep) < 0)
    rc = -1;
  return rc;
}

void lr_notify_committed(struct lr_notify *n)
{
  lr_report_store_committed(n->report);
  pending_stored(n);
  lr_report_tally_clear(n->tally); /* in the database now */
  lr_report_tally_clear(n->late);
  if (n->report_due >= 0 && n->cfg) {
    int64_t due = n->report_due;
    n->report_due = -1;
    send_report(n, due);
    n->report_oldest = -2; /* recompute the next deadline at the next tick */
  }
}

bool lr_notify_wants_flush(const struct lr_notify *n)
{
  return n && (n->report_due >= 0 || n->npending || lr_report_store_buffered(n->report) > FLUSH_SOON ||
               lr_report_tally_wants_flush(n->tally));
}

void lr_notify_settle(struct lr_notify *n)
{
  for (size_t i = 0; i < THROTTLE_SLOTS; i++)
    if (n->slots[i].hash)
      release_slot(n, &n->slots[i]);
  recompute_next_window(n);
  store_pending_now(n);
  lr_outbox_settle(n->outbox);
}

int lr_notify_render_report(struct lr_notify *n, bool html, struct lr_buf *out)
{
  struct lr_report_snapshot snap;
  struct lr_report_counts counts = {0};
  if (lr_report_store_load(n->report, INT64_MAX, &snap) < 0)
    return -1;
  if (lr_report_tally_store_load(n->tally_store, INT64_MAX, &counts) < 0) {
    lr_report_snapshot_free(&snap);
    return -1;
  }
  render(n, html ? NULL : out, html ? out : NULL, &snap, &counts);
  lr_report_snapshot_free(&snap);
  lr_report_counts_free(&counts);
  return 0;
}

/* Raw log bytes on a line of their own: nothing that splits the line or the
 * columns, nor a terminal escape, comes through as is. */
static void add_escaped(struct lr_buf *out, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\\')
      lr_buf_add(out, "\\\\", 2);
    else if (ch == '\t')
      lr_buf_add(out, "\\t", 2);
    else if (ch == '\n')
      lr_buf_add(out, "\\n", 2);
    else if (ch < 0x20 || ch == 0x7f) {
      char e[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
      lr_buf_add(out, e, 4);
    } else
      lr_buf_addc(out, (char)ch);
  }
}

int lr_notify_list_report(struct lr_notify *n, struct lr_buf *out)
{
  struct lr_report_snapshot snap;
  if (lr_report_store_load(n->report, INT64_MAX, &snap) < 0)
    return -1;
  for (size_t i = 0; i < snap.n; i++) {
    const struct lr_report_line *l = &snap.lines[i];
    lr_buf_printf(out, "%lld\t%s\t%s\t", (long long)l->time_usec,
                  lr_report_level_name(l->level), lr_report_details_name(l->details));
    add_escaped(out, l->host, l->host_len);
    lr_buf_addc(out, '\t');
    add_escaped(out, l->message, l->len);
    lr_buf_addc(out, '\n');
  }
  lr_report_snapshot_free(&snap);
  return 0;
}

void lr_notify_stats(struct lr_notify *n, struct lr_notify_stats *out)
{
  *out = n->stats;
  out->report_lines_pending = lr_report_store_pending(n->report);
  out->outbox_size = lr_outbox_size(n->outbox);
}

struct lr_outbox *lr_notify_outbox(struct lr_notify *n) { return n->outbox; }

/* What the loop told after the last commit (sendmail's answers), in a
 * transaction of its own. */
static void save_late(struct lr_notify *n)
{
  if (!lr_report_tally_size(n->late) || lr_state_begin(n->st) < 0)
    return;
  if (lr_report_tally_store_flush(n->tally_store, n->late) == 0 && lr_state_commit(n->st) == 0)
    lr_report_tally_clear(n->late);
  else
    lr_state_rollback(n->st);
}

void lr_notify_close(struct lr_notify *n)
{
  if (!n)
    return;
  for (size_t i = 0; i < THROTTLE_SLOTS; i++)
    if (n->slots[i].hash)
      release_slot(n, &n->slots[i]);
  store_pending_now(n); /* after the last commit: the summaries, or alerts a failed commit kept */
  free(n->pending);
  lr_outbox_close(n->outbox); /* waits for a running sendmail */
  save_late(n);
  lr_report_store_close(n->report);
  lr_report_tally_store_close(n->tally_store);
  lr_report_tally_free(n->tally);
  lr_report_tally_free(n->late);
  lr_buf_free(&n->msg);
  lr_buf_free(&n->tmp);
  free(n);
}
