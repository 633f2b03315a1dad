/* The services tell evictions the way an administrator can read under attack:
 * the DNAT map's first eviction at once, later ones at most once a minute (at
 * a commit), the rest when the services close, and the counts told add up to
 * every mapping evicted. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rules/services.h"
#include "state/dnat.h"
#include "util/log.h"
#include "state_fixture.h"

static void capture(struct lr_services *s, int from, int to)
{
  char port[16];
  for (int i = from; i < to; i++) {
    int n = snprintf(port, sizeof(port), "%d", i);
    struct lr_dnat_values v = {.saddr = LR_DNAT_STR("203.0.113.7"),
                               .addr = LR_DNAT_STR("192.0.2.1"),
                               .port = {port, (size_t)n}};
    lr_dnat_capture(s->dnat, &v, 3600, 1000 + i);
  }
}

int main(void)
{
  lr_log_to_stderr(true);
  struct state_fixture f;
  struct lr_state *st = state_fixture_open(&f, "services-evictions");
  if (!st)
    return check_done();
  char err[512], path[] = "/tmp/luruse-services-evictions-log.XXXXXX";
  struct lr_services s;
  CHECK_INT(lr_services_open(&s, st, NULL, 0, err, sizeof(err)), 0);
  lr_dnat_index(s.dnat, LR_DNAT_ADDR | LR_DNAT_PORT);
  lr_dnat_set_limit(s.dnat, 100);
  int fd = mkstemp(path), saved = dup(2);
  CHECK(fd >= 0 && saved >= 0);
  fflush(stderr);
  dup2(fd, 2);
  capture(&s, 0, 1000);
  CHECK_INT(lr_services_commit(&s, NULL, 0, 0), 0);  /* the first: told at once */
  capture(&s, 1000, 2000);
  CHECK_INT(lr_services_commit(&s, NULL, 0, 0), 0);  /* within the minute: not yet */
  size_t evicted = lr_dnat_evicted(s.dnat);
  lr_services_close(&s);                             /* the rest */
  fflush(stderr);
  dup2(saved, 2);
  close(saved);

  FILE *log = fopen(path, "r");
  CHECK(log != NULL);
  char line[512];
  int told = 0;
  unsigned long sum = 0, last_total = 0;
  while (log && fgets(line, sizeof(line), log)) {
    const char *p = strstr(line, "DNAT: the map is full (");
    unsigned long held, n, total;
    if (!p || sscanf(p, "DNAT: the map is full (%lu mappings); %lu oldest mapping(s) evicted "
                        "(%lu since start)", &held, &n, &total) != 3)
      continue;
    told++;
    sum += n;
    last_total = total;
    CHECK(held <= 100);
  }
  if (log)
    fclose(log);
  unlink(path);
  CHECK_INT(told, 2);
  CHECK(evicted > 1000);
  CHECK_INT(sum, evicted);
  CHECK_INT(last_total, evicted);
  state_fixture_close(&f);
  return check_done();
}
