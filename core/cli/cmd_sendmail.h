/* luruse sendmail: a sendmail stand-in that hands the message to the local
 * MTA over SMTP (notify/smtp_submit.h says why), for the email.sendmail
 * setting of a sandboxed service. */
#pragma once

/* argv[0] is "sendmail"; returns a sysexits.h status (75: try again later). */
int lr_cmd_sendmail(int argc, char **argv);
