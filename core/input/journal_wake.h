/* An earlier wake-up for the journal reader: journald forwards each message it
 * receives to the syslog socket (/run/systemd/journal/syslog; ForwardToSyslog=,
 * on by default in Debian 12's journald) as it receives it, while it tells
 * journal readers of new entries through inotify at most every 250 ms. luruse
 * binds that socket only to learn *when* to read: the datagrams are discarded
 * unread, and the journal stays the only source of entries (so nothing a
 * forwarded line says is trusted, and a lost datagram costs only latency).
 *
 * The socket belongs to a syslog daemon when one is installed (rsyslog's
 * syslog.socket): a path a live socket answers on is never taken, and a stale
 * socket file (nobody listening) is replaced. On close the path is removed only
 * if it is still the one this process made.
 *
 *   struct lr_journal_wake *w = lr_journal_wake_open(LR_JOURNAL_WAKE_PATH, err, sizeof(err));
 *   poll lr_journal_wake_fd(w) for reading; when readable:
 *   int64_t first;                           // arrival of the oldest datagram
 *   if (lr_journal_wake_drain(w, &first) > 0) read the journal;
 *   lr_journal_wake_close(w);
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LR_JOURNAL_WAKE_PATH "/run/systemd/journal/syslog"

struct lr_journal_wake;

/* NULL with err ("PATH: why") when the socket cannot be had; a path held by a
 * live syslog daemon says so. */
struct lr_journal_wake *lr_journal_wake_open(const char *path, char *err, size_t errlen);
/* The socket systemd passed (socket activation: packaging/luruse.socket), if
 * one of the descriptors in $LISTEN_FDS is a datagram socket bound to path;
 * NULL when none is (another passed descriptor is left alone). Closing it
 * leaves the path to systemd. */
struct lr_journal_wake *lr_journal_wake_inherit(const char *path);
int lr_journal_wake_fd(const struct lr_journal_wake *w);
/* Reads every waiting datagram; returns how many (0: none), and the kernel's
 * arrival time (wall clock, usec) of the first in *first_usec. */
size_t lr_journal_wake_drain(struct lr_journal_wake *w, int64_t *first_usec);
/* Datagrams read since open. */
uint64_t lr_journal_wake_count(const struct lr_journal_wake *w);
void lr_journal_wake_close(struct lr_journal_wake *w);
