-- The request paths of bot scans that a normal site never serves, as one
-- PCRE2 alternation: shared by nginx-botsearch and apache-botsearch (the
-- access logs' request field). Loaded with dofile by those jails.
local DIR = [[/(?:[^?" ]*/)?]] -- any directories before the scanned name
return table.concat({
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
