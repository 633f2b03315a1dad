/* The folding key of a daily report's OTHER line: the message with what
 * varies between otherwise equal log lines replaced by placeholders, so that
 * "Connection from 192.0.2.7 port 52311" and "Connection from 2001:db8::1
 * port 40022" become one row, "Connection from <ip> port <n>", with a count.
 *
 *   <ip>    an IPv4 or IPv6 address (as inet_pton reads it)
 *   <id>    a hex id (8 or more hex digits, at least one a decimal digit,
 *           dashes between groups as in UUIDs), or a word of 8 or more
 *           letters and digits holding at least 4 digits (queue ids)
 *   <n>     a number (digits, with '.' or ',' between groups) not glued to a
 *           word before it ("sha256", "eth0", "x86_64" stay), or 0x and hex
 *           digits; a unit after it stays ("<n>ms")
 *   <path>  an absolute path past its second component:
 *           "/srv/http/wp-login.php" becomes "/srv/http/<path>"
 *
 * Bytes of 0x80 and above count as letters, so UTF-8 words stay whole.
 *
 *   struct lr_buf key = {0};
 *   lr_report_fold(&key, msg, len);   // appended to key
 */
#pragma once
#include <stddef.h>

struct lr_buf;

void lr_report_fold(struct lr_buf *out, const char *s, size_t len);
