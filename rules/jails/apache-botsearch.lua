-- Scans of well-known paths that a site that answers 404 for them never
-- serves, in Apache's access logs (Debian 12: apache2 2.4.57). Debian's
-- 000-default.conf logs to /var/log/apache2/access.log in the "combined"
-- format, and other-vhosts-access-log.conf to other_vhosts_access.log in
-- "vhost_combined" (apache2.conf: LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O
-- \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined; "combined" is the
-- same without "%v:%p "); a site's `*access.log` beside them is followed too.
-- mod_log_config escapes '"' and '\' in the request line, referrer and user
-- agent with a backslash, so a quoted field never holds a bare '"'.
--
-- Counted: a request for one of these paths answered 404 or 400; a site that
-- serves the path counts nobody. The address is %h, the first field (after
-- "vhost:port" in vhost_combined), and the path is the first thing in the
-- request field: a referrer or user agent naming "/wp-login.php" counts
-- nobody. The list is nginx-botsearch's; left out on purpose, as there:
-- favicon.ico, robots.txt, apple-touch-icon*, /.well-known/, /autodiscover/,
-- /wp-content/.
local L = require "luruse"

local IP = [[(?<ip>[0-9A-Fa-f:.]+)]]
local DIR = [[/(?:[^?" ]*/)?]] -- any directories before the scanned name
local PATHS = table.concat({
  DIR .. [[(?:wp-login|xmlrpc|wp-config|wp-config\.php[~.]\w*|phpinfo|info|eval-stdin|adminer(?:-[\d.]+)?)\.php]],
  DIR .. [[wp-includes/wlwmanifest\.xml]],
  DIR .. [[wp-admin/(?:setup-config|install|admin-ajax)\.php]],
  DIR .. [[\.(?:env(?:\.[\w-]+)?|htpasswd|DS_Store|git-credentials)(?=[?" ])]],
  DIR .. [[\.(?:git|svn|hg|aws|ssh|docker|vscode)/]],
  [[/(?i:phpmyadmin[\w.-]*|pma|myadmin|mysqladmin|sqladmin|dbadmin|phpma)/]],
  [[/cgi-bin/]],
  DIR .. [[vendor/phpunit/]],
  [[/(?:HNAP1|boaform/|GponForm/|shell\?|setup\.cgi|manager/html|remote/fgt_lang|solr/admin/|actuator/)]],
  [[/[^?" ]*?(?:\.\.|%2[eE]%2[eE]|\.%2[eE]|%2[eE]\.)/]], -- path traversal: /cgi-bin/.%2e/.%2e/bin/sh
}, "|")

L.jail "apache-botsearch" {
  file = { "/var/log/apache2/*access.log", identifier = "apache2" },
  failures = {
    [[^(?:[\w.-]+:\d+ )?]] .. IP .. [=[ \S+ \S+ \[[^\]]+\] "[A-Z]+ (?:https?://[^/" ]*)?(?:]=] .. PATHS
      .. [[)[^" ]* HTTP/\d(?:\.\d)?" (?:400|404) (?:\d+|-) "]],
  },
  maxretry = 5, findtime = "10m", bantime = "1h",
  increment = { factor = 2, max = "4w" },
}
