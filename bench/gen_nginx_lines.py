#!/usr/bin/env python3
"""Deterministic nginx access-log lines (combined format) for bench/lines_bench.sh.

    gen_nginx_lines.py --lines N --seed S > access.log

Standard library only. The same N and S give the same bytes. About 3 % of the
lines are scanner-like requests (/wp-login.php, /.env, ...), answered with
404, 401, 403 or 444; the rest are ordinary traffic from many client
addresses (IPv4 and some IPv6) with a variety of paths, status codes, sizes,
referers and user agents. Time runs forward from 2024-03-04 00:00:00 +0100.
"""
import argparse
import random
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]  # 2024

PAGES = ["/", "/index.html", "/about/", "/contact/", "/blog/", "/feed.xml",
         "/robots.txt", "/favicon.ico", "/sitemap.xml", "/login", "/logout",
         "/search", "/api/v1/status", "/api/v1/items", "/cloud/index.php/apps/files/",
         "/cloud/status.php", "/cloud/remote.php/dav/files/alice/",
         "/git/explore/repos", "/git/user/login", "/xmpp/http-bind"]
ASSETS = ["/static/css/site.css", "/static/js/app.js", "/static/js/vendor.js",
          "/static/img/logo.svg", "/static/img/header.jpg", "/static/fonts/inter.woff2"]
WORDS = ["linux", "nginx", "journal", "lua", "mail", "backup", "release",
         "howto", "notes", "2023", "2024", "server", "dns", "tls"]
SCANS = ["/wp-login.php", "/wp-admin/", "/xmlrpc.php", "/.env", "/.git/config",
         "/phpmyadmin/", "/pma/index.php", "/admin.php", "/cgi-bin/luci",
         "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/boaform/admin/formLogin",
         "/.aws/credentials", "/config.json", "/actuator/env", "/owa/auth/logon.aspx",
         "/HNAP1/", "/solr/admin/info/system", "/shell?cd+/tmp", "/server-status",
         "/backup.zip", "/wp-content/plugins/revslider/temp/update_extract/"]
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/7.88.1", "Wget/1.21.3", "Go-http-client/1.1", "python-requests/2.31.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "mirall/3.11.0 (Nextcloud, debian-6.1.0-17-amd64 ClientArchitecture: x86_64 OsArchitecture: x86_64)",
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers)",
]
SCAN_AGENTS = ["Mozilla/5.0 zgrab/0.x", "-", "Mozilla/5.0 (compatible; CensysInspect/1.1)",
               "python-requests/2.25.1", "Go-http-client/1.1",
               "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:45.0) Gecko/20100101 Firefox/45.0"]
REFERERS = ["-", "-", "-", "https://www.example.org/", "https://www.example.org/blog/",
            "https://www.google.com/", "https://duckduckgo.com/", "https://news.ycombinator.com/"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    # Client populations: a few heavy users, many occasional ones, scanners.
    clients = []
    for _ in range(20000):
        if rnd.random() < 0.08:
            clients.append("2001:db8:%x:%x::%x" % (rnd.randrange(65536), rnd.randrange(65536),
                                                  rnd.randrange(1, 65536)))
        else:
            clients.append("%d.%d.%d.%d" % (rnd.randrange(1, 224), rnd.randrange(256),
                                            rnd.randrange(256), rnd.randrange(1, 255)))
    heavy = clients[:200]
    scanners = ["%d.%d.%d.%d" % (rnd.randrange(1, 224), rnd.randrange(256),
                                 rnd.randrange(256), rnd.randrange(1, 255)) for _ in range(800)]
    users = ["alice", "bob", "carol", "dave"]

    month, day, sec = 2, 4, 0  # 0-based month: March 4th
    out = sys.stdout
    buf = []
    scans = 0
    for _ in range(args.lines):
        sec += rnd.choice((0, 0, 0, 1, 1, 2))
        if sec >= 86400:
            sec -= 86400
            day += 1
            if day > DAYS_IN_MONTH[month]:
                day, month = 1, (month + 1) % 12
        ts = "%02d/%s/2024:%02d:%02d:%02d +0100" % (day, MONTHS[month], sec // 3600,
                                                  sec // 60 % 60, sec % 60)
        r = rnd.random()
        user = "-"
        if r < 0.03:  # scanner
            scans += 1
            ip = rnd.choice(scanners)
            method = rnd.choice(("GET", "GET", "GET", "POST", "HEAD"))
            path = rnd.choice(SCANS)
            status = rnd.choice((404, 404, 404, 444, 403, 401))
            size = 0 if status == 444 else rnd.choice((153, 162, 548, 555))
            ref, agent = "-", rnd.choice(SCAN_AGENTS)
        else:
            ip = rnd.choice(heavy) if rnd.random() < 0.4 else rnd.choice(clients)
            x = rnd.random()
            if x < 0.45:
                path = rnd.choice(ASSETS) + ("?v=%d" % rnd.randrange(1, 40) if rnd.random() < 0.3 else "")
            elif x < 0.75:
                path = rnd.choice(PAGES)
            elif x < 0.92:
                path = "/blog/%d/%02d/%s-%s/" % (rnd.randrange(2015, 2025), rnd.randrange(1, 13),
                                                 rnd.choice(WORDS), rnd.choice(WORDS))
            else:
                path = "/search?q=%s+%s&page=%d" % (rnd.choice(WORDS), rnd.choice(WORDS),
                                                    rnd.randrange(1, 6))
            method = "GET" if rnd.random() < 0.9 else rnd.choice(("POST", "HEAD", "PROPFIND", "PUT", "OPTIONS"))
            s = rnd.random()
            if s < 0.80:
                status = 200
            elif s < 0.88:
                status = 304
            elif s < 0.92:
                status = rnd.choice((301, 302))
            elif s < 0.965:
                status = 404
            elif s < 0.985:
                status = 401
                path = rnd.choice(("/cloud/remote.php/dav/files/alice/", "/private/", "/git/api/v1/user"))
            elif s < 0.99:
                status = 403
            elif s < 0.995:
                status = 444
            else:
                status = rnd.choice((499, 500, 502, 503, 504))
            if status == 200 and path.startswith("/private/"):
                user = rnd.choice(users)
            size = 0 if status in (304, 444, 499) else int(rnd.lognormvariate(8, 1.6)) % 5000000
            ref, agent = rnd.choice(REFERERS), rnd.choice(AGENTS)
        buf.append('%s - %s [%s] "%s %s HTTP/%s" %d %d "%s" "%s"\n' % (
            ip, user, ts, method, path, rnd.choice(("1.1", "1.1", "2.0")), status, size, ref, agent))
        if len(buf) >= 4096:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    sys.stderr.write("lines %d, scanner requests %d\n" % (args.lines, scans))


if __name__ == "__main__":
    main()
