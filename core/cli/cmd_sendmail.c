#include "cli/cmd_sendmail.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "notify/mail_envelope.h"
#include "notify/smtp_submit.h"
#include "util/buf.h"
#include "util/errmsg.h"

#define MESSAGE_MAX (64u << 20)

static void usage(FILE *out)
{
  fputs("usage: luruse sendmail [-t] [-i] [-f SENDER] [--smtp HOST[:PORT]] [--timeout SECONDS]\n"
        "                       [RECIPIENT...]\n\n"
        "Reads a message on stdin and hands it to the mail server over SMTP (default\n"
        "localhost port 25, the local MTA, which relays for localhost), as `sendmail`\n"
        "would queue it: for email.sendmail = { \"/usr/sbin/luruse\", \"sendmail\", \"-t\" }\n"
        "inside the service's sandbox, where NoNewPrivileges keeps the setuid or setgid\n"
        "sendmail of exim4 or postfix from writing its spool. No TLS, no authentication.\n\n"
        "  -t                    the recipients are also those of To:, Cc: and Bcc: (Bcc:\n"
        "                        is not sent)\n"
        "  -i, -oi               accepted, as sendmail's (a lone dot never ends the message)\n"
        "  -f SENDER             the envelope sender (default: the address of From:)\n"
        "  --smtp HOST[:PORT]    the server (default localhost:25; [IPv6]:PORT)\n"
        "  --timeout SECONDS     for the connection and for each reply (default 30)\n\n"
        "Exit status: 0 accepted; 75 try later (no server, a 4xx reply, a timeout); 69\n"
        "refused (5xx); 65 the message has no readable header or no recipient; 64 usage.\n",
        out);
}

/* "host", "host:port", "[v6]", "[v6]:port" -> host and port (in buf). */
static int split_server(char *spec, const char **host, const char **port)
{
  *port = "25";
  if (spec[0] == '[') {
    char *close = strchr(spec, ']');
    if (!close || (close[1] && close[1] != ':'))
      return -1;
    *close = '\0';
    *host = spec + 1;
    if (close[1] == ':')
      *port = close + 2;
  } else {
    char *colon = strchr(spec, ':');
    if (colon && strchr(colon + 1, ':'))
      return -1; /* an IPv6 address needs its brackets */
    if (colon) {
      *colon = '\0';
      *port = colon + 1;
    }
    *host = spec;
  }
  return **host && **port ? 0 : -1;
}

static int read_stdin(struct lr_buf *msg)
{
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
    if (msg->len + n > MESSAGE_MAX)
      return -1;
    lr_buf_add(msg, chunk, n);
  }
  return ferror(stdin) ? -1 : 0;
}

int lr_cmd_sendmail(int argc, char **argv)
{
  static const struct option longopts[] = {
    {"smtp", required_argument, NULL, 's'},
    {"timeout", required_argument, NULL, 'T'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  bool from_headers = false;
  const char *sender = NULL;
  char server[512] = "localhost";
  long timeout = 30;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "+tif:o:h", longopts, NULL)) != -1) {
    switch (opt) {
    case 't':
      from_headers = true;
      break;
    case 'i':
      break;
    case 'o':
      if (strcmp(optarg, "i") != 0) {
        fprintf(stderr, "luruse sendmail: -o%s: only -oi is understood\n", optarg);
        return EX_USAGE;
      }
      break;
    case 'f':
      sender = optarg;
      break;
    case 's':
      if (strlen(optarg) >= sizeof(server)) {
        fprintf(stderr, "luruse sendmail: --smtp: too long\n");
        return EX_USAGE;
      }
      strcpy(server, optarg);
      break;
    case 'T': {
      char *end;
      timeout = strtol(optarg, &end, 10);
      if (*end || timeout < 1 || timeout > 3600) {
        fprintf(stderr, "luruse sendmail: --timeout: '%s' is not 1 to 3600 seconds\n", optarg);
        return EX_USAGE;
      }
      break;
    }
    case 'h':
      usage(stdout);
      return 0;
    default:
      usage(stderr);
      return EX_USAGE;
    }
  }
  const char *host, *port;
  if (split_server(server, &host, &port) < 0) {
    fprintf(stderr, "luruse sendmail: --smtp: '%s' is not HOST, HOST:PORT or [IPv6]:PORT\n",
            server);
    return EX_USAGE;
  }
  struct lr_buf msg = {0};
  if (read_stdin(&msg) < 0) {
    fprintf(stderr, "luruse sendmail: cannot read the message on stdin (or over %u MiB)\n",
            MESSAGE_MAX >> 20);
    lr_buf_free(&msg);
    return EX_IOERR;
  }
  char err[LR_ERR_MAX];
  struct lr_mail_envelope env;
  int status = EX_DATAERR;
  if (lr_mail_envelope_parse(&env, msg.data ? msg.data : "", msg.len, err, sizeof(err)) < 0) {
    fprintf(stderr, "luruse sendmail: %s\n", err);
    lr_buf_free(&msg);
    return EX_DATAERR;
  }
  if (!from_headers) { /* the header's recipients only with -t, as sendmail */
    for (size_t i = 0; i < env.nrcpt; i++)
      free(env.rcpt[i]);
    env.nrcpt = 0;
  }
  for (int i = optind; i < argc; i++)
    if (lr_mail_envelope_add_rcpt(&env, argv[i], err, sizeof(err)) < 0) {
      fprintf(stderr, "luruse sendmail: %s\n", err);
      goto out;
    }
  if (sender && lr_mail_envelope_set_from(&env, sender, err, sizeof(err)) < 0) {
    fprintf(stderr, "luruse sendmail: -f: %s\n", err);
    goto out;
  }
  if (env.nrcpt == 0) {
    fprintf(stderr, "luruse sendmail: no recipient (give some, or -t with To:)\n");
    goto out;
  }
  int rc = lr_smtp_submit(&(struct lr_smtp_server){host, port, (unsigned)timeout}, &env,
                          msg.data, msg.len, err, sizeof(err));
  if (rc < 0)
    fprintf(stderr, "luruse sendmail: %s:%s: %s\n", host, port, err);
  status = rc == 0 ? EX_OK : rc == LR_SMTP_PERMANENT ? EX_UNAVAILABLE : EX_TEMPFAIL;
out:
  lr_mail_envelope_free(&env);
  lr_buf_free(&msg);
  return status;
}
