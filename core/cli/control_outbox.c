#include "cli/control_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/control.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

static void add_item(void *ctx, const struct lr_outbox_item *m)
{
  json_t *list = ctx;
  int64_t now = lr_wall_usec();
  json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:I, s:i, s:I, s:b}", "id", (json_int_t)m->id,
                        "stored_usec", (json_int_t)m->created_usec, "age_seconds",
                        (json_int_t)((now - m->created_usec) / 1000000), "label", m->what,
                        "size", (json_int_t)m->size, "attempts", m->attempts, "next_try_usec",
                        (json_int_t)m->next_try_usec, "sending", m->sending);
  json_object_set_new(o, "last_error", m->last_error ? json_string(m->last_error) : json_null());
  json_array_append_new(list, o);
}

struct find {
  int64_t id;
  char *label;
};

static void find_label(void *ctx, const struct lr_outbox_item *m)
{
  struct find *f = ctx;
  if (m->id == f->id)
    f->label = lr_xstrdup(m->what);
}

static json_t *drop_one(struct lr_outbox *ob, int64_t id, bool log)
{
  struct find f = {id, NULL};
  if (lr_outbox_each(ob, find_label, &f) < 0)
    return lr_control_error("the outbox cannot be read (see the log)");
  int rc = f.label ? lr_outbox_drop(ob, id) : 0;
  json_t *r;
  if (rc < 0)
    r = lr_control_error("email %lld could not be dropped (see the log)", (long long)id);
  else if (rc == 0)
    r = lr_control_error("no waiting email has id %lld (`luruse outbox` lists them)",
                         (long long)id);
  else {
    char msg[512];
    snprintf(msg, sizeof(msg), "email %lld dropped: %s", (long long)id, f.label);
    if (log)
      lr_log(LOG_NOTICE, "outbox: %s", msg);
    r = json_pack("{s:b, s:i, s:s}", "ok", 1, "dropped", 1, "message", msg);
  }
  free(f.label);
  return r;
}

json_t *lr_control_outbox(struct lr_outbox *ob, const json_t *req, bool log)
{
  const json_t *drop = json_object_get(req, "drop"), *all = json_object_get(req, "all");
  if (drop && all)
    return lr_control_error("drop one email (drop) or all of them (all), not both");
  if (drop) {
    if (!json_is_integer(drop) || json_integer_value(drop) <= 0)
      return lr_control_error("drop: an email's id is a positive integer");
    return drop_one(ob, json_integer_value(drop), log);
  }
  if (all) {
    if (!json_is_true(all))
      return lr_control_error("all: true or nothing");
    int64_t n = lr_outbox_drop_all(ob);
    if (n < 0)
      return lr_control_error("the outbox could not be emptied (see the log)");
    char msg[128];
    snprintf(msg, sizeof(msg), "%lld waiting email%s dropped", (long long)n, n == 1 ? "" : "s");
    if (log && n > 0)
      lr_log(LOG_NOTICE, "outbox: %s", msg);
    return json_pack("{s:b, s:I, s:s}", "ok", 1, "dropped", (json_int_t)n, "message", msg);
  }
  json_t *list = json_array();
  if (lr_outbox_each(ob, add_item, list) < 0) {
    json_decref(list);
    return lr_control_error("the outbox cannot be read (see the log)");
  }
  return json_pack("{s:b, s:o}", "ok", 1, "messages", list);
}
