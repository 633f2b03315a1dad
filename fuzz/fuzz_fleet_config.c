/* The "fleet" setting, from any JSON text. Accepted: names and the prefix of
 * [A-Za-z0-9._-], the URL shown with the password as "***" and otherwise
 * rebuilt from what was read, a copy that keeps the same link. Refused: a
 * reason. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet_config.h"
#include "fuzz.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
  if (!j)
    return 0;
  struct lr_fleet_config c;
  lr_fleet_config_init(&c);
  char err[256] = "";
  int rc = lr_fleet_config_parse(&c, j, err, sizeof(err));
  if (rc < 0) {
    FUZZ_CHECK(err[0] != '\0', "%s", "refused without a reason");
  } else if (c.enabled) {
    FUZZ_CHECK(lr_fleet_name_ok(c.name, strlen(c.name)), "name \"%s\"", c.name);
    FUZZ_CHECK(lr_fleet_name_ok(c.prefix, strlen(c.prefix)), "prefix \"%s\"", c.prefix);
    FUZZ_CHECK(c.queue_max >= 1 && c.queue_max <= 10000000, "queueMax %u", c.queue_max);
    FUZZ_CHECK(c.db >= 0 && c.db <= 1000, "db %d", c.db);
    FUZZ_CHECK((c.host != NULL) != (c.unix_path != NULL), "%s", "host and socket");
    if (c.host) {
      struct lr_buf want = {0};
      lr_buf_add(&want, "redis://", 8);
      if (c.user || c.password)
        lr_buf_printf(&want, "%s%s@", c.user ? c.user : "", c.password ? ":***" : "");
      else if (!strncmp(c.url, "redis://@", 9)) /* an empty user part, as written */
        lr_buf_addc(&want, '@');
      bool v6 = strchr(c.host, ':') != NULL;
      lr_buf_printf(&want, "%s%s%s:%d/%d", v6 ? "[" : "", c.host, v6 ? "]" : "", c.port, c.db);
      FUZZ_CHECK(!strcmp(c.url, want.data), "url \"%s\", read as \"%s\"", c.url, want.data);
      FUZZ_CHECK(c.port >= 1 && c.port <= 65535 && c.host[0], "port %d host \"%s\"", c.port,
                 c.host);
      lr_buf_free(&want);
    } else {
      FUZZ_CHECK(!strncmp(c.url, "unix:///", 8) && c.unix_path[0] == '/' && !c.password,
                 "url \"%s\"", c.url);
    }
    for (char **s = c.share; s && *s; s++)
      FUZZ_CHECK(!strcmp(*s, "*") || lr_fleet_name_ok(*s, strlen(*s)), "share \"%s\"", *s);
    for (char **s = c.count; s && *s; s++)
      FUZZ_CHECK(!strcmp(*s, "*") || lr_fleet_name_ok(*s, strlen(*s)), "count \"%s\"", *s);
    struct lr_fleet_config d;
    lr_fleet_config_init(&d);
    lr_fleet_config_copy(&d, &c);
    FUZZ_CHECK(lr_fleet_config_same_link(&c, &d), "%s", "a copy is another link");
    for (char **s = c.share; s && *s; s++)
      FUZZ_CHECK(lr_fleet_config_shares(&d, *s), "the copy does not share \"%s\"", *s);
    lr_fleet_config_free(&d);
  }
  lr_fleet_config_free(&c);
  json_decref(j);
  return 0;
}
