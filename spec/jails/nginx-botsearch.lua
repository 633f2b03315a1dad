-- nginx 1.22.1 (Debian 12) access.log lines ("combined"), as nginx writes them.
local LOG = "/var/log/nginx/access.log"
return {
  jail = "nginx-botsearch",
  failures = {
    { log = LOG, [[203.0.113.9 - - [04/Mar/2024:00:08:18 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"]], ip = "203.0.113.9" },
    { log = LOG, [[198.51.100.23 - - [04/Mar/2024:00:08:19 +0000] "POST /xmlrpc.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"]], ip = "198.51.100.23" },
    { log = LOG, [[2001:db8::7 - - [04/Mar/2024:00:08:20 +0000] "GET /.env HTTP/1.1" 404 153 "-" "python-requests/2.31.0"]], ip = "2001:db8::7" },
    { log = LOG, [[2001:db8:1::15 - - [04/Mar/2024:00:08:21 +0000] "GET /.git/config HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11; Linux x86_64)"]], ip = "2001:db8:1::15" },
    { log = LOG, [[192.0.2.44 - - [04/Mar/2024:00:08:22 +0000] "GET /phpMyAdmin/index.php?lang=en HTTP/1.1" 404 153 "-" "Mozilla/5.0 zgrab/0.x"]], ip = "192.0.2.44" },
    { log = LOG, [[203.0.113.77 - - [04/Mar/2024:00:08:23 +0000] "POST /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1" 400 157 "-" "-"]], ip = "203.0.113.77" },
    { log = LOG, [[198.51.100.4 - - [04/Mar/2024:00:08:24 +0000] "GET /blog/wp-includes/wlwmanifest.xml HTTP/1.1" 404 153 "-" "Mozilla/5.0"]], ip = "198.51.100.4" },
    { log = LOG, [[192.0.2.9 - - [04/Mar/2024:00:08:25 +0000] "GET /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1" 444 0 "-" "Mozilla/5.0"]], ip = "192.0.2.9" },
    { log = "/var/log/nginx/example.org.access.log", [[203.0.113.12 - - [04/Mar/2024:00:08:26 +0000] "GET /api/.env.production HTTP/2.0" 404 146 "-" "Mozilla/5.0"]], ip = "203.0.113.12" },
    { log = LOG, [[198.51.100.8 - - [04/Mar/2024:00:08:27 +0000] "GET http://example.org/pma/ HTTP/1.1" 404 153 "-" "-"]], ip = "198.51.100.8" },
    { log = LOG, [[203.0.113.66 - - [04/Mar/2024:00:08:28 +0000] "GET /cgi-bin/luci/;stok=/locale HTTP/1.1" 404 153 "-" "-"]], ip = "203.0.113.66" },
    -- planted addresses and paths in the fields that follow: the first field counts
    { log = LOG, [[203.0.113.30 - - [04/Mar/2024:00:08:29 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "10.0.0.1 - - [04/Mar/2024:00:08:29 +0000] \x22GET /.env HTTP/1.1\x22 404" "10.0.0.1"]], ip = "203.0.113.30" },
    { log = LOG, [[198.51.100.31 - 10.0.0.1 [04/Mar/2024:00:08:30 +0000] "GET /.git/HEAD HTTP/1.1" 404 153 "-" "-"]], ip = "198.51.100.31" },
  },
  harmless = {
    { log = LOG, [[203.0.113.9 - - [04/Mar/2024:00:09:00 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "https://example.org/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"]] },
    { log = LOG, [[203.0.113.9 - - [04/Mar/2024:00:09:01 +0000] "GET / HTTP/1.1" 200 615 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"]] },
    { log = LOG, [[198.51.100.23 - alice [04/Mar/2024:00:09:02 +0000] "POST /wp-login.php HTTP/1.1" 302 0 "https://example.org/wp-login.php" "Mozilla/5.0"]] },
    { log = LOG, [[198.51.100.23 - - [04/Mar/2024:00:09:03 +0000] "GET /robots.txt HTTP/1.1" 404 153 "-" "Googlebot/2.1"]] },
    { log = LOG, [[2001:db8::7 - - [04/Mar/2024:00:09:04 +0000] "GET /search?q=.env+wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"]] },
    { log = LOG, [[192.0.2.44 - - [04/Mar/2024:00:09:05 +0000] "GET /index.html HTTP/1.1" 404 153 "https://evil.example/wp-login.php" "10.0.0.1 - - [04/Mar/2024:00:09:05 +0000] \x22GET /.env HTTP/1.1\x22 404"]] },
    { log = LOG, [[192.0.2.44 - - [04/Mar/2024:00:09:06 +0000] "GET /wp-content/uploads/2019/05/photo.jpg HTTP/1.1" 404 153 "https://www.google.com/" "Mozilla/5.0"]] },
    { log = LOG, [[203.0.113.9 - - [04/Mar/2024:00:09:07 +0000] "GET /.well-known/acme-challenge/Hk2Yx HTTP/1.1" 404 153 "-" "Mozilla/5.0 (compatible; Let's Encrypt validation server)"]] },
    { log = LOG, [[203.0.113.9 - - [04/Mar/2024:00:09:08 +0000] "GET /environment.html HTTP/1.1" 404 153 "-" "Mozilla/5.0"]] },
  },
}
