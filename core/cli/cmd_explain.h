/* luruse explain: runs entries through the rules as the daemon does (counters
 * and DNAT mappings in memory for the run), acts on nothing, and tells for each
 * entry the path, the fields the rules set and the actions they would take,
 * then a summary per chain (what fail2ban-regex is to fail2ban). */
#pragma once

/* argv[0] is "explain"; returns the exit status. */
int lr_cmd_explain(int argc, char **argv);
