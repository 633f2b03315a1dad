/* NULL-terminated argument vectors owned by settings (sendmail, nft, ipset).
 *
 *   char **argv = lr_argv_dup((const char *const[]){"/usr/sbin/sendmail", "-t", NULL});
 *   lr_argv_free(argv);
 */
#pragma once

char **lr_argv_dup(const char *const *src); /* NULL -> NULL */
void lr_argv_free(char **argv);             /* NULL is fine */
