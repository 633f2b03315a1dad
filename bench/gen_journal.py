#!/usr/bin/env python3
# Copied from the project's shared/bench/gen_journal.py (shared bench folder beside the repositories), unchanged below this line.
"""Synthetic systemd-journal corpus generator (Journal Export Format on stdout).

Deterministic for a given --seed.  Produces entries of a small multi-host
server installation (hosts dmz, sshserv, web1, mail), with the field set that
journald really writes for each transport (syslog, stdout, journal, kernel),
service mix proportional to one week of a real server, and an attacker
population whose repeated failures should make a fail2ban/Pyruse-like rule set
ban a few hundred addresses.

    python3 gen_journal.py --entries 1000000 --seed 1 \
        | /lib/systemd/systemd-journal-remote -o /tmp/x.journal -

Statistics are printed on stderr at the end.
Standard library only.
"""
import argparse
import datetime
import random
import re
import struct
import sys

# ---------------------------------------------------------------------------
# service mix (entries per week on the reference server) + rare tail
# ---------------------------------------------------------------------------
WEEKLY = [
    ("uwsgi", 55930), ("gitea", 38923), ("prosody", 25596), ("haproxy", 21877),
    ("postgres", 12990), ("nginx", 12808), ("dovecot", 7062), ("exim", 2540),
    ("systemd", 1997), ("su", 1458), ("ownCloud", 1067), ("sshd", 1051),
    ("mandb", 953), ("spamd", 855), ("kernel", 420), ("msmtp", 295),
    # rare tail
    ("CRON", 180), ("systemd-logind", 140), ("sudo", 110), ("ddclient", 60),
    ("php-fpm", 45), ("postfix/smtpd", 40), ("minidlnad", 30), ("dehydrated", 20),
    ("rpc.mountd", 15), ("sa-update", 12), ("loolwsd", 10), ("nslcd", 8),
    ("systemd-nspawn", 5), ("login", 5), ("systemd-coredump", 3),
]

HOSTS = ["dmz", "sshserv", "web1", "mail"]
SERVICE_HOSTS = {
    "uwsgi": ["web1"], "gitea": ["web1"], "prosody": ["web1"], "haproxy": ["dmz"],
    "postgres": ["web1"], "nginx": ["web1", "web1", "dmz"], "dovecot": ["mail"],
    "exim": ["mail"], "systemd": HOSTS, "su": HOSTS, "ownCloud": ["web1"],
    "sshd": ["sshserv", "dmz"], "mandb": HOSTS, "spamd": ["mail"],
    "kernel": ["dmz"], "msmtp": ["web1", "sshserv", "dmz"], "CRON": HOSTS,
    "systemd-logind": HOSTS, "sudo": HOSTS, "ddclient": ["dmz"],
    "php-fpm": ["web1"], "postfix/smtpd": ["dmz"], "minidlnad": ["web1"],
    "dehydrated": ["dmz"], "rpc.mountd": ["sshserv"], "sa-update": ["mail"],
    "loolwsd": ["web1"], "nslcd": HOSTS, "systemd-nspawn": ["web1"],
    "login": HOSTS, "systemd-coredump": HOSTS,
}

USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "root", "git"]
BAD_USERS = ["root", "admin", "test", "user", "ubuntu", "oracle", "postgres", "guest",
             "pi", "ftpuser", "git", "support", "info", "administrator", "deploy",
             "jenkins", "hadoop", "mysql", "www-data", "alice", "nagios", "backup"]
# mean number of entries one normal event of a service emits (keeps the entry mix proportional to WEEKLY)
LINES_PER_EVENT = {"su": 2.77, "sshd": 4.3, "sudo": 2.9, "CRON": 2.0, "postgres": 1.18}
DMZ_LAN_IP = "192.168.1.10"     # what sshserv sees behind the DMZ DNAT
TZ = datetime.timezone.utc
NONPRINT = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

URLS = ["/index.php/apps/files/", "/remote.php/dav/files/alice/Photos/", "/ocs/v2.php/apps/notifications/api/v2/notifications",
        "/index.php/apps/calendar/", "/remote.php/dav/calendars/bob/personal/", "/index.php/core/preview.png",
        "/status.php", "/index.php/login", "/ocs/v1.php/cloud/capabilities", "/index.php/apps/dashboard/",
        "/remote.php/webdav/Documents/report.odt", "/index.php/csrftoken", "/apps/theming/manifest/dashboard"]
GITEA_PATHS = ["/alice/dotfiles", "/bob/pyruse/src/branch/master/README.md", "/api/v1/repos/search",
               "/user/events", "/carol/website/commits/branch/main", "/explore/repos", "/alice/dotfiles/raw/branch/main/.bashrc",
               "/api/v1/notifications/new", "/user/login", "/assets/css/index.css", "/dave/notes/issues/12"]
PROBES = ["/wp-login.php", "/xmlrpc.php", "/wp-admin/setup-config.php", "/admin.php", "/phpmyadmin/index.php",
          "/cgi-bin/luci.cgi", "/shell.php", "/boaform/admin/formLogin.php", "/vendor/phpunit/src/Util/PHP/eval-stdin.php",
          "/cgi-bin/test.sh", "/setup.cgi", "/.env.php", "/HNAP1/index.cgi", "/owa/auth.pl", "/index.py"]
DOMAINS = ["example.org", "example.com", "example.net", "jabber.example.net", "mail.example.com", "xmpp.example.info"]


class Gen:
    def __init__(self, seed, entries, attack_share, rate, start):
        self.r = random.Random(seed)
        self.n = entries
        self.attack_share = attack_share
        self.rate = rate
        self.t = int(start * 1_000_000)          # realtime, µs
        self.out = sys.stdout.buffer
        self.stats = {}
        self.attack_lines = 0
        self.emitted = 0
        self.binary_fields = 0
        r = self.r
        self.host = {}
        for h in HOSTS:
            self.host[h] = {
                "machine": "%032x" % r.getrandbits(128),
                "boot": "%032x" % r.getrandbits(128),
                "boot_t": self.t - r.randint(2, 40) * 86400 * 1_000_000,
            }
        self.invocation = {}
        self.daemon_pid = {}
        self.stream_id = {}
        self.nextpid = {h: r.randint(20000, 30000) for h in HOSTS}
        self.session = {h: r.randint(100, 400) for h in HOSTS}
        self.conn = 1
        # legit clients
        self.legit4 = ["192.0.2.%d" % i for i in range(1, 255)] + \
                      ["198.18.%d.%d" % (r.randint(0, 255), r.randint(1, 254)) for _ in range(400)]
        self.lan = ["192.168.1.%d" % i for i in (20, 21, 22, 30, 31, 97, 98, 99, 100)]
        self.legit6 = ["2001:db8:1:%x::%x" % (r.randint(0, 0xffff), r.randint(1, 0xffff)) for _ in range(80)]
        # attackers: Zipf-like activity, 85 % IPv4, 15 % IPv6
        n_att = 1500
        self.attackers = []
        seen = set()
        while len(self.attackers) < n_att:
            if r.random() < 0.85:
                net = r.random()
                if net < 0.3:
                    ip = "203.0.113.%d" % r.randint(1, 254)
                elif net < 0.6:
                    ip = "198.51.100.%d" % r.randint(1, 254)
                else:
                    ip = "198.19.%d.%d" % (r.randint(0, 255), r.randint(1, 254))
            else:
                ip = "2001:db8:%x:%x::%x" % (r.randint(0xbad0, 0xbadf), r.randint(0, 0xffff), r.randint(1, 0xffff))
            if ip in seen:
                continue
            seen.add(ip)
            p = r.random()
            prof = "ssh" if p < 0.5 else "mail" if p < 0.72 else "web" if p < 0.88 else "cloud" if p < 0.95 else "postfix"
            self.attackers.append((ip, prof))
        w = [1.0 / (k ** 0.8) for k in range(1, n_att + 1)]
        acc, self.att_cum = 0.0, []
        for x in w:
            acc += x
            self.att_cum.append(acc)
        self.svc_names = [s for s, _ in WEEKLY]
        acc, self.svc_cum = 0, []
        for name, c in WEEKLY:       # weights are entries; generators may emit several entries per event
            acc += c / LINES_PER_EVENT.get(name, 1.0)
            self.svc_cum.append(acc)

    # ------------------------------------------------------------------ utils
    def ip_legit(self):
        x = self.r.random()
        if x < 0.35:
            return self.r.choice(self.lan)
        if x < 0.9:
            return self.r.choice(self.legit4)
        return self.r.choice(self.legit6)

    def port(self):
        return self.r.randint(1024, 65535)

    def newpid(self, host):
        self.nextpid[host] += self.r.randint(1, 40)
        if self.nextpid[host] > 4194000:
            self.nextpid[host] = 3000
        return self.nextpid[host]

    def dt(self):
        return datetime.datetime.fromtimestamp(self.t / 1e6, TZ)

    def hexid(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def inv(self, host, unit):
        k = (host, unit)
        v = self.invocation.get(k)
        if v is None:
            v = self.invocation[k] = self.hexid(32)
        return v

    def dpid(self, host, key):
        k = (host, key)
        v = self.daemon_pid.get(k)
        if v is None:
            v = self.daemon_pid[k] = self.newpid(host)
        return v

    # ---------------------------------------------------------------- output
    def emit(self, host, proc, msg, prio, extra=None):
        """proc: dict with ident, transport, facility, comm, exe, cmdline,
        uid, gid, unit, slice, pid, cap (optional), session fields."""
        if self.emitted >= self.n:
            return
        h = self.host[host]
        self.t += self.r.randint(1000, 400000)
        rt = self.t
        mono = rt - h["boot_t"]
        tr = proc["transport"]
        f = [("__REALTIME_TIMESTAMP", str(rt)), ("__MONOTONIC_TIMESTAMP", str(mono))]
        if tr == "kernel":
            f += [("_BOOT_ID", h["boot"]), ("_SOURCE_MONOTONIC_TIMESTAMP", str(mono - self.r.randint(50, 900))),
                  ("_TRANSPORT", "kernel"), ("PRIORITY", str(prio)), ("SYSLOG_FACILITY", "0"),
                  ("SYSLOG_IDENTIFIER", "kernel"), ("MESSAGE", msg),
                  ("_MACHINE_ID", h["machine"]), ("_HOSTNAME", host)]
        else:
            f.append(("PRIORITY", str(prio)))
            f.append(("SYSLOG_FACILITY", str(proc["facility"])))
            f.append(("SYSLOG_IDENTIFIER", proc["ident"]))
            pid = proc["pid"]
            if tr == "syslog":
                d = self.dt()
                f.append(("SYSLOG_PID", str(pid)))
                f.append(("SYSLOG_TIMESTAMP", "%s %2d %02d:%02d:%02d " % (MONTHS[d.month - 1], d.day, d.hour, d.minute, d.second)))
            elif tr == "journal" and extra:
                f.extend(extra)
                extra = None
            f.append(("MESSAGE", msg))
            f += [("_PID", str(pid)), ("_UID", str(proc["uid"])), ("_GID", str(proc["gid"])),
                  ("_COMM", proc["comm"]), ("_EXE", proc["exe"]), ("_CMDLINE", proc["cmdline"]),
                  ("_CAP_EFFECTIVE", proc.get("cap", "0"))]
            if "session" in proc:
                f += [("_AUDIT_SESSION", proc["session"]), ("_AUDIT_LOGINUID", proc["loginuid"])]
            f += [("_SYSTEMD_CGROUP", proc["cgroup"]), ("_SYSTEMD_UNIT", proc["unit"]),
                  ("_SYSTEMD_SLICE", proc["slice"])]
            if "session" in proc:
                f += [("_SYSTEMD_SESSION", proc["session"]), ("_SYSTEMD_OWNER_UID", proc["loginuid"])]
            else:
                f.append(("_SYSTEMD_INVOCATION_ID", self.inv(host, proc["unit"])))
            if tr == "stdout":
                sk = (host, proc["unit"])
                sid = self.stream_id.get(sk)
                if sid is None:
                    sid = self.stream_id[sk] = self.hexid(32)
                f.append(("_STREAM_ID", sid))
            else:
                f.append(("_SOURCE_REALTIME_TIMESTAMP", str(rt - self.r.randint(20, 3000))))
            f += [("_TRANSPORT", tr), ("_BOOT_ID", h["boot"]), ("_MACHINE_ID", h["machine"]),
                  ("_HOSTNAME", host)]
        if extra:
            f.extend(extra)
        self.write(f)
        ident = proc["ident"] if tr != "kernel" else "kernel"
        self.stats[ident] = self.stats.get(ident, 0) + 1
        self.emitted += 1
        if self.attacking:
            self.attack_lines += 1

    def write(self, fields):
        parts = []
        for k, v in fields:
            if isinstance(v, bytes):
                b, binary = v, True          # not valid UTF-8: binary-safe form
            else:
                b = v.encode("utf-8")
                binary = NONPRINT.search(v) is not None
            if binary:
                self.binary_fields += 1
                parts.append(k.encode() + b"\n" + struct.pack("<Q", len(b)) + b + b"\n")
            else:
                parts.append(k.encode() + b"=" + b + b"\n")
        parts.append(b"\n")
        self.out.write(b"".join(parts))

    # ---------------------------------------------------------- process info
    def proc(self, host, svc, pid=None, **kw):
        P = PROCS[svc]
        d = dict(P)
        d.update(kw)
        d["ident"] = d.get("ident", svc)
        if "unit" in d and "cgroup" not in d:
            d["cgroup"] = "/system.slice/" + d["unit"] if d.get("slice", "system.slice") == "system.slice" else "/init.scope"
        d["pid"] = pid if pid is not None else self.dpid(host, svc)
        return d

    def session_proc(self, host, svc, user_uid, comm, exe, cmdline, ident=None, facility=10):
        self.session[host] += 1
        s = str(self.session[host])
        return {"ident": ident or svc, "transport": "syslog", "facility": facility, "comm": comm,
                "exe": exe, "cmdline": cmdline, "uid": 0, "gid": 0 if user_uid == 0 else user_uid,
                "unit": "session-%s.scope" % s, "slice": "user-%d.slice" % user_uid,
                "cgroup": "/user.slice/user-%d.slice/session-%s.scope" % (user_uid, s),
                "session": s, "loginuid": str(user_uid), "pid": self.newpid(host),
                "cap": "1ffffffffff"}

    # ----------------------------------------------------------------- normal
    def normal(self):
        r = self.r
        svc = r.choices(self.svc_names, cum_weights=self.svc_cum)[0]
        host = r.choice(SERVICE_HOSTS[svc])
        getattr(self, "g_" + svc.replace("/", "_").replace("-", "_").replace(".", "_"))(host)

    def g_uwsgi(self, host):
        r = self.r
        p = self.proc(host, "uwsgi")
        d = self.dt()
        if r.random() < 0.002:
            self.emit(host, p, "not enough buffer space to add QUERY_STRING variable, consider increasing it with the --buffer-size option", 6)
            return
        meth = r.choice(["GET"] * 8 + ["PROPFIND", "POST", "PUT", "REPORT"])
        st = r.choices([200, 207, 201, 204, 304, 302, 401, 404, 500, 502], [60, 12, 3, 3, 10, 4, 3, 3, 1, 0.3])[0]
        url = r.choice(URLS)
        if r.random() < 0.3:
            url += "?x=%d&format=json" % r.randint(1, 10**6)
        msg = "[pid: %d|app: 0|req: %d/%d] %s () {%d vars in %d bytes} [%s %s %2d %02d:%02d:%02d %d] %s %s => generated %d bytes in %d msecs (HTTP/1.1 %d) %d headers in %d bytes (1 switches on core %d)" % (
            r.randint(400, 460), r.randint(1, 9000), r.randint(100000, 999999), self.ip_legit(),
            r.randint(30, 70), r.randint(700, 3000), DAYS[d.weekday()], MONTHS[d.month - 1], d.day, d.hour, d.minute, d.second, d.year,
            meth, url, r.randint(0, 400000), r.randint(1, 3000), st, r.randint(4, 14), r.randint(150, 900), r.randint(0, 3))
        self.emit(host, p, msg, 6)

    def g_gitea(self, host):
        r = self.r
        p = self.proc(host, "gitea")
        d = self.dt()
        ts = d.strftime("%Y/%m/%d %H:%M:%S")
        x = r.random()
        if x < 0.85:
            st = r.choices([200, 302, 304, 404, 401], [80, 8, 6, 5, 1])[0]
            msg = "%s ...eb/routing/logger.go:102:func1() [I] router: completed %s %s for %s:0, %d %s in %.1fms @ %s" % (
                ts, r.choice(["GET", "GET", "GET", "POST"]), r.choice(GITEA_PATHS), self.ip_legit(), st,
                {200: "OK", 302: "Found", 304: "Not Modified", 404: "Not Found", 401: "Unauthorized"}[st],
                r.uniform(0.3, 250), r.choice(["web/repo/view.go:735(repo.Home)", "web/user/home.go:112(user.Dashboard)", "api/v1/repo/repo.go:146(repo.Search)", "web/events/events.go:19(events.Events)"]))
            self.emit(host, p, msg, 6)
        elif x < 0.95:
            self.emit(host, p, "%s ...s/graceful/server.go:62:NewServer() [I] Starting new Web server: tcp:127.0.0.1:3000 on PID: %d" % (ts, p["pid"]) if r.random() < 0.02 else
                      "%s ...ules/cron/tasks.go:%d:RunWithUser() [I] Finished Cron: %s" % (ts, r.randint(50, 200), r.choice(["Update Mirrors", "Repository health checks", "Check repository statistics", "Delete all expired archives"])), 6)
        elif x < 0.99:
            self.emit(host, p, "%s ...ters/web/repo/http.go:%d:httpBase() [W] Unauthorized access from %s for repo %s" % (ts, r.randint(100, 300), self.ip_legit(), r.choice(GITEA_PATHS)), 4)
        else:
            self.emit(host, p, "%s ...eb/repo/view.go:%d:renderFile() [E] ReadDir: object not found\n\tat code.gitea.io/gitea/routers/web/repo/view.go:%d\n\tat code.gitea.io/gitea/modules/web/route.go:%d" % (
                ts, r.randint(300, 900), r.randint(300, 900), r.randint(10, 200)), 3)

    def g_prosody(self, host):
        r = self.r
        p = self.proc(host, "prosody")
        cid = "c2s%012x" % r.getrandbits(48)
        x = r.random()
        dom = r.choice(DOMAINS)
        if x < 0.25:
            self.emit(host, p, "%s info Client connected" % cid, 6)
        elif x < 0.4:
            self.emit(host, p, "%s info Authenticated as %s@example.org" % (cid, r.choice(USERS[:5])), 6)
        elif x < 0.6:
            self.emit(host, p, "%s info Client disconnected: %s" % (cid, r.choice(["connection closed", "Connection timeout", "closed"])), 6)
        elif x < 0.8:
            self.emit(host, p, "s2sout%012x info Outgoing s2s connection example.org->%s complete" % (r.getrandbits(48), dom), 6)
        elif x < 0.9:
            self.emit(host, p, "s2sin%012x info Incoming s2s connection %s->example.org complete" % (r.getrandbits(48), dom), 6)
        elif x < 0.97:
            self.emit(host, p, "mod_pep info Resending notifications for %s@example.org" % r.choice(USERS[:5]), 6) if r.random() < 0.5 else \
                self.emit(host, p, "c2s%012x warn Client is using legacy SSL/TLS negotiation" % r.getrandbits(48), 4)
        elif x < 0.997:
            self.emit(host, p, "s2sin%012x info s2sin%012x->%s closed: Encrypted server-to-server communication is required but was not offered" % (r.getrandbits(48), r.getrandbits(48), dom), 6)
        else:
            self.emit(host, p, "Traceback[c2s]: /usr/lib/prosody/util/stanza.lua:%d: invalid attribute value\nstack traceback:\n\t[C]: in function 'error'\n\t/usr/lib/prosody/util/stanza.lua:%d: in function 'tag'\n\t/usr/lib/prosody/modules/mod_carbons.lua:%d: in function '?'" % (
                r.randint(50, 300), r.randint(50, 300), r.randint(10, 90)), 3)

    def g_haproxy(self, host):
        r = self.r
        p = self.proc(host, "haproxy")
        d = self.dt()
        hts = "%02d/%s/%d:%02d:%02d:%02d.%03d" % (d.day, MONTHS[d.month - 1], d.year, d.hour, d.minute, d.second, r.randint(0, 999))
        if r.random() < 0.4:
            msg = "%s:%d [%s] tls~ xmpp[10.0.0.1:%d]/xmpp 1/0/%d %d -- %d/%d/%d/%d/0 0/0" % (
                self.ip_legit(), self.port(), hts, self.port(), r.randint(10, 9000000), r.randint(500, 900000),
                r.randint(1, 40), r.randint(1, 20), r.randint(0, 20), r.randint(0, 20))
        else:
            st = r.choices([200, 207, 304, 302, 404, 401, 503], [60, 10, 10, 5, 5, 2, 0.5])[0]
            msg = "%s:%d [%s] https~ %s/web1 0/0/1/%d/%d %d %d - - ---- %d/%d/0/0/0 0/0 \"%s %s HTTP/1.1\"" % (
                self.ip_legit(), self.port(), hts, r.choice(["nextcloud", "gitea", "www"]), r.randint(1, 900), r.randint(2, 1000),
                st, r.randint(200, 500000), r.randint(1, 60), r.randint(1, 60), r.choice(["GET", "GET", "POST", "PROPFIND"]),
                r.choice(URLS + GITEA_PATHS))
        self.emit(host, p, msg, 6)

    def g_postgres(self, host):
        r = self.r
        x = r.random()
        sub = r.choice(["checkpointer", "autovacuum launcher", "walwriter"]) if x < 0.4 else "%s nextcloud [local] idle" % r.choice(["nextcloud", "gitea"])
        p = self.proc(host, "postgres", pid=self.dpid(host, "pg" + sub[:4]) if x < 0.4 else self.newpid(host), cmdline="postgres: " + sub)
        pid = p["pid"]
        n = r.randint(1, 3)
        if x < 0.3:
            if r.random() < 0.5:
                self.emit(host, p, "[%d-1] LOG:  checkpoint starting: time" % pid, 6)
            else:
                self.emit(host, p, "[%d-1] LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=%.3f s, sync=%.3f s, total=%.3f s; sync files=%d, longest=%.3f s, average=%.3f s; distance=%d kB, estimate=%d kB" % (
                    pid, r.randint(1, 900), r.uniform(0, 6), r.randint(0, 3), r.uniform(0, 90), r.uniform(0, 1), r.uniform(0, 91), r.randint(1, 90), r.uniform(0, 0.5), r.uniform(0, 0.1), r.randint(10, 9000), r.randint(1000, 20000)), 6)
        elif x < 0.4:
            self.emit(host, p, "[%d-1] LOG:  automatic vacuum of table \"nextcloud.public.oc_filecache\": index scans: 1" % pid, 6)
        elif x < 0.75:
            self.emit(host, p, "[%d-%d] LOG:  duration: %.3f ms  statement: SELECT \"fileid\", \"storage\", \"path\" FROM \"oc_filecache\" WHERE \"storage\" = $1 AND \"path_hash\" = $2" % (pid, n, r.uniform(100, 3000)), 6)
        elif x < 0.93:
            self.emit(host, p, "[%d-%d] ERROR:  duplicate key value violates unique constraint \"oc_file_locks_key_index\"" % (pid, n), 4)
            self.emit(host, p, "[%d-%d] DETAIL:  Key (key)=(files/%s) already exists." % (pid, n + 1, self.hexid(32)), 4)
        elif x < 0.97:
            self.emit(host, p, "[%d-1] LOG:  could not receive data from client: Connection reset by peer" % pid, 6)
        else:
            self.emit(host, p, "[%d-1] FATAL:  password authentication failed for user \"%s\"" % (pid, r.choice(["nextcloud", "gitea", "postgres"])), 3)

    def nginx_ts(self):
        return self.dt().strftime("%Y/%m/%d %H:%M:%S")

    def g_nginx(self, host, attack_ip=None):
        r = self.r
        p = self.proc(host, "nginx", pid=self.dpid(host, "nginx%d" % r.randint(0, 3)))
        w = p["pid"]
        cid = r.randint(1, 9999999)
        ts = self.nginx_ts()
        ip = self.ip_legit()
        dom = r.choice(["cloud.example.org", "git.example.org", "www.example.org"])
        x = r.random()
        pre = "%s [%%s] %d#%d: *%d " % (ts, w, w, cid)
        if x < 0.35:
            self.emit(host, p, (pre % "info") + "client prematurely closed connection while sending to client, client: %s, server: , request: \"GET %s HTTP/1.1\", host: \"%s\"" % (ip, r.choice(URLS), dom), 6)
        elif x < 0.45:
            self.emit(host, p, (pre % "info") + "epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream, client: %s, server: , request: \"PROPFIND %s HTTP/1.1\", upstream: \"uwsgi://unix:/run/uwsgi/nextcloud.sock:\", host: \"%s\"" % (ip, r.choice(URLS), dom), 6)
        elif x < 0.62:
            self.emit(host, p, (pre % "info") + "client %s closed keepalive connection" % ip, 6)
        elif x < 0.70:
            self.emit(host, p, (pre % "info") + "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: %s, server: 0.0.0.0:443" % ip, 6)
        elif x < 0.80:
            u = r.choice(USERS[:5])
            self.emit(host, p, (pre % "notice") + "[lua] access.lua:%d: authenticate(): Connected as: %s, client: %s, server: , request: \"GET / HTTP/1.1\", host: \"%s\"" % (r.randint(20, 80), u, ip, dom), 5)
        elif x < 0.86:
            self.emit(host, p, (pre % "warn") + "an upstream response is buffered to a temporary file /var/lib/nginx/uwsgi/%d/%02d/%010d while reading upstream, client: %s, server: , request: \"GET %s HTTP/1.1\", upstream: \"uwsgi://unix:/run/uwsgi/nextcloud.sock:\", host: \"%s\"" % (
                r.randint(0, 9), r.randint(0, 99), r.randint(0, 10**9), ip, r.choice(URLS), dom), 4)
        elif x < 0.95:
            self.emit(host, p, (pre % "error") + "upstream prematurely closed connection while reading response header from upstream, client: %s, server: , request: \"GET %s HTTP/1.1\", upstream: \"http://127.0.0.1:3000%s\", host: \"%s\"" % (
                ip, r.choice(GITEA_PATHS), r.choice(GITEA_PATHS), dom), 3)
        elif x < 0.975:
            self.emit(host, p, (pre % "error") + "open() \"/srv/http/%s\" failed (2: No such file or directory), client: %s, server: , request: \"GET /%s HTTP/1.1\", host: \"%s\"" % (
                r.choice(["favicon.ico", "robots.txt", "apple-touch-icon.png"]), ip, "favicon.ico", dom), 3)
        elif x < 0.985:
            self.emit(host, p, (pre % "error") + "upstream prematurely closed connection while reading response header from upstream, client: %s, server: , request: \"CONNECT www.example.com:443 HTTP/1.1\", host: \"www.example.com:443\"" % ip, 3) if r.random() < 0.5 else \
                self.emit(host, p, (pre % "error") + "client sent invalid request, client: %s, server: , request: \"CONNECT www.example.com:443 HTTP/1.1\"" % ip, 3)
        elif x < 0.995:
            self.emit(host, p, "%s [crit] %d#%d: *%d connect() to unix:/run/php-fpm/php-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: %s, server: , request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php-fpm/php-fpm.sock:\", host: \"%s\"" % (
                ts, w, w, cid, ip, dom), 2)
        else:
            self.emit(host, p, "%s [error] %d#%d: *%d lua entry thread aborted: runtime error: /etc/nginx/lua/access.lua:%d: attempt to index a nil value (local 'session')" % (ts, w, w, cid, r.randint(20, 90)), 3)

    def g_dovecot(self, host):
        r = self.r
        x = r.random()
        ip = self.ip_legit()
        u = r.choice(USERS[:5])
        sess = self.b64(12)
        if x < 0.3:
            p = self.proc(host, "dovecot", pid=self.dpid(host, "imap-login"), comm="imap-login", exe="/usr/lib/dovecot/imap-login", cmdline="dovecot/imap-login")
            self.emit(host, p, "imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=192.168.1.20, mpid=%d, TLS, session=<%s>" % (u, ip, self.newpid(host), sess), 6)
        elif x < 0.65:
            p = self.proc(host, "dovecot", pid=self.newpid(host), comm="imap", exe="/usr/lib/dovecot/imap", cmdline="dovecot/imap")
            self.emit(host, p, "imap(%s)<%d><%s>: Logged out in=%d out=%d deleted=0 expunged=0 trashed=0 hdr_count=%d hdr_bytes=%d body_count=%d body_bytes=%d" % (
                u, p["pid"], sess, r.randint(50, 5000), r.randint(300, 900000), r.randint(0, 50), r.randint(0, 90000), r.randint(0, 10), r.randint(0, 900000)), 6)
        elif x < 0.8:
            p = self.proc(host, "dovecot", pid=self.newpid(host), comm="imap", exe="/usr/lib/dovecot/imap", cmdline="dovecot/imap")
            self.emit(host, p, "imap(%s)<%d><%s>: Connection closed (IDLE running for %d.%03d + waiting input for %d.%03d secs, 2 B in + 10 B out, state=wait-input) in=%d out=%d" % (
                u, p["pid"], sess, r.randint(0, 1800), r.randint(0, 999), r.randint(0, 30), r.randint(0, 999), r.randint(50, 900), r.randint(300, 9000)), 6)
        elif x < 0.95:
            p = self.proc(host, "dovecot", pid=self.dpid(host, "lmtp"), comm="lmtp", exe="/usr/lib/dovecot/lmtp", cmdline="dovecot/lmtp")
            self.emit(host, p, "lmtp(%s)<%d><%s>: msgid=<%s@%s>: saved mail to INBOX" % (u, p["pid"], self.b64(16), self.hexid(16), r.choice(DOMAINS)), 6)
        elif x < 0.995:
            p = self.proc(host, "dovecot", pid=self.dpid(host, "imap-login"), comm="imap-login", exe="/usr/lib/dovecot/imap-login", cmdline="dovecot/imap-login")
            self.emit(host, p, "imap-login: Disconnected (no auth attempts in %d secs): user=<>, rip=%s, lip=192.168.1.20, TLS, session=<%s>" % (r.randint(0, 9), ip, sess), 6)
        else:
            p = self.proc(host, "dovecot", pid=self.dpid(host, "auth"), comm="auth", exe="/usr/lib/dovecot/auth", cmdline="dovecot/auth")
            self.emit(host, p, "auth: Error: LDAP: Can't connect to server: ldapi://%2Frun%2Fopenldap%2Fslapd.sock", 3)

    def b64(self, n):
        a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return "".join(self.r.choice(a) for _ in range(n))

    def exim_id(self):
        a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        r = self.r
        return "1r" + "".join(r.choice(a) for _ in range(4)) + "-" + "".join(r.choice(a) for _ in range(6)) + "-" + "".join(r.choice(a) for _ in range(2))

    def exim_ts(self):
        return self.dt().strftime("%Y-%m-%d %H:%M:%S")

    def g_exim(self, host):
        r = self.r
        p = self.proc(host, "exim", pid=self.newpid(host))
        mid = self.exim_id()
        ts = self.exim_ts()
        x = r.random()
        dom = r.choice(DOMAINS)
        u = r.choice(USERS[:5])
        if x < 0.3:
            self.emit(host, p, "%s %s <= %s@%s H=mail.%s [%s] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S=%d id=%s@%s" % (
                ts, mid, self.hexid(8), dom, dom, self.ip_legit(), r.randint(900, 90000), self.hexid(20), dom), 6)
        elif x < 0.5:
            self.emit(host, p, "%s %s => %s <%s@example.org> R=localuser T=dovecot_lmtp C=\"250 2.0.0 <%s@example.org> %s Saved\"" % (ts, mid, u, u, u, self.b64(22)), 6)
        elif x < 0.62:
            self.emit(host, p, "%s %s => %s@%s R=smarthost T=remote_smtp H=smtp.provider.example [198.18.255.25] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as %s\"" % (
                ts, mid, self.hexid(6), dom, self.hexid(10).upper()), 6)
        elif x < 0.85:
            self.emit(host, p, "%s %s Completed" % (ts, mid), 6)
        elif x < 0.93:
            self.emit(host, p, "%s SMTP connection from [%s]:%d (TCP/IP connection count = %d)" % (ts, self.ip_legit(), self.port(), r.randint(1, 5)), 6)
        elif x < 0.98:
            self.emit(host, p, "%s %s Message is frozen" % (ts, mid), 6) if r.random() < 0.05 else \
                self.emit(host, p, "%s %s == %s@%s R=dnslookup T=remote_smtp defer (-44) H=mx.%s [198.18.254.%d]: SMTP error from remote mail server after RCPT TO:<x@%s>: 450 4.2.0 Greylisted" % (ts, mid, u, dom, dom, r.randint(1, 254), dom), 6)
        elif x < 0.99:
            self.emit(host, p, "%s %s all spamd servers failed" % (ts, mid), 4)
        else:
            self.emit(host, p, "%s %s H=(%s) [%s] F=<%s@%s> rejected after DATA: This message scored %.1f spam points." % (
                ts, mid, dom, self.ip_legit(), self.hexid(6), dom, r.uniform(5, 30)), 4)

    def g_systemd(self, host):
        r = self.r
        x = r.random()
        if x < 0.12:
            u = r.choice(USERS[:5])
            p = {"ident": "systemd", "transport": "syslog", "facility": 10, "comm": "(systemd)", "exe": "/usr/lib/systemd/systemd",
                 "cmdline": "(systemd)", "uid": 0, "gid": 0, "unit": "user@1000.service", "slice": "user-1000.slice",
                 "cgroup": "/user.slice/user-1000.slice/user@1000.service/init.scope", "pid": self.newpid(host)}
            self.emit(host, p, "pam_unix(systemd-user:session): session opened for user %s by root(uid=0)" % u, 6)
            return
        p = self.proc(host, "systemd", pid=1)
        units = ["logrotate.service", "man-db.service", "shadow.service", "systemd-tmpfiles-clean.service", "certbot.service",
                 "backup.service", "updatedb.service", "pacman-filesdb-refresh.service", "nextcloud-cron.service", "session-%d.scope" % r.randint(100, 900)]
        unit = r.choice(units)
        mid = None
        if x < 0.35:
            msg, prio, mid = "Starting %s..." % unit.replace(".service", ""), 6, "7d4958e842da4a758f6c1cdc7b36dcc5"
        elif x < 0.6:
            msg, prio, mid = "Finished %s." % unit.replace(".service", ""), 6, "39f53479d3a045ac8e11786248231fbf"
        elif x < 0.85:
            msg, prio = "%s: Deactivated successfully." % unit, 6
        elif x < 0.9:
            msg, prio = "%s: Consumed %.3fs CPU time." % (unit, r.uniform(0, 30)), 6
        elif x < 0.95:
            msg, prio, mid = "Started Session %d of User %s." % (r.randint(100, 999), r.choice(USERS[:5])), 6, "39f53479d3a045ac8e11786248231fbf"
        elif x < 0.98:
            msg, prio = "%s: Failed with result 'exit-code'." % unit, 4
        elif x < 0.99:
            msg, prio = "Failed to start %s." % unit.replace(".service", ""), 3
        elif x < 0.995:
            msg, prio = "Started /usr/bin/rsync -a /srv/backup/ backup@nas:/backup/%s." % host, 6
        else:
            msg, prio = "/srv/nfs: Start operation timed out. Terminating.", 3
        extra = [("CODE_FILE", "src/core/job.c" if mid else "src/core/unit.c"), ("CODE_LINE", str(r.randint(500, 5900))),
                 ("CODE_FUNC", "job_emit_start_message" if mid else "unit_log_success"), ("UNIT", unit),
                 ("INVOCATION_ID", self.hexid(32))]
        if mid:
            extra.append(("MESSAGE_ID", mid))
        self.emit(host, p, msg, prio, extra)

    def g_su(self, host):
        r = self.r
        u = r.choice(USERS[:5])
        uid = 1000 + USERS.index(u)
        p = self.session_proc(host, "su", uid, "su", "/usr/bin/su", "su -")
        tty = "pts/%d" % r.randint(0, 5)
        if r.random() < 0.04:
            self.emit(host, p, "pam_unix(su:auth): authentication failure; logname=%s uid=%d euid=0 tty=/dev/%s ruser=%s rhost=  user=root" % (u, uid, tty, u), 5)
            self.emit(host, p, "FAILED SU (to root) %s on %s" % (u, tty), 5)
            return
        self.emit(host, p, "(to root) %s on %s" % (u, tty), 5)
        self.emit(host, p, "pam_unix(su:session): session opened for user root by %s(uid=%d)" % (u, uid), 6)
        if r.random() < 0.8:
            self.emit(host, p, "pam_unix(su:session): session closed for user root", 6)

    def g_ownCloud(self, host, attack_ip=None):
        r = self.r
        p = self.proc(host, "ownCloud", pid=self.newpid(host))
        x = r.random()
        if attack_ip:
            self.emit(host, p, "{core} Login failed: '%s' (Remote IP: '%s')" % (r.choice(BAD_USERS), attack_ip), 4)
        elif x < 0.35:
            self.emit(host, p, "{PHP} Undefined array key \"%s\" at /usr/share/webapps/nextcloud/lib/private/%s.php#%d" % (
                r.choice(["path", "mimetype", "etag"]), r.choice(["Files/Cache/Cache", "Preview/Generator", "legacy/OC_Util"]), r.randint(10, 900)), 3)
        elif x < 0.55:
            self.emit(host, p, "{user_ldap} Bind failed: 49: Invalid credentials", 3)
        elif x < 0.8:
            self.emit(host, p, "{cron} Finished background job, the job took : %d seconds, this job is an instance of class : OCA\\%s with arguments : []" % (
                r.randint(0, 90), r.choice(["Files\\BackgroundJob\\ScanFiles", "DAV\\BackgroundJob\\CleanupInvitationTokenJob", "Activity\\BackgroundJob\\EmailNotification"])), 6)
        elif x < 0.995:
            self.emit(host, p, "{core} Login failed: '%s' (Remote IP: '%s')" % (r.choice(USERS[:5]), self.ip_legit()), 4)
        else:
            self.emit(host, p, "{core} starting upgrade from 27.1.3.2 to 27.1.4.1", 6)

    def sshd_proc(self, host, user=None):
        cl = "sshd: %s [priv]" % user if user else "sshd: unknown [priv]"
        return self.proc(host, "sshd", pid=self.newpid(host), cmdline=cl)

    def g_sshd(self, host):
        r = self.r
        u = r.choice(USERS[:6])
        via_dnat = host == "sshserv"
        ip = self.ip_legit()
        port = self.port()
        if via_dnat:
            self.dnat_line(ip, port)
            ip = DMZ_LAN_IP
        p = self.sshd_proc(host, u)
        x = r.random()
        if x < 0.97:
            self.emit(host, p, "Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:%s" % (u, ip, port, self.b64(43)), 6)
            self.emit(host, p, "pam_unix(sshd:session): session opened for user %s by (uid=0)" % u, 6)
            if r.random() < 0.8:
                self.emit(host, p, "Received disconnect from %s port %d:11: disconnected by user" % (ip, port), 6)
                self.emit(host, p, "Disconnected from user %s %s port %d" % (u, ip, port), 6)
                self.emit(host, p, "pam_unix(sshd:session): session closed for user %s" % u, 6)
        elif x < 0.99:
            self.emit(host, p, "Accepted password for %s from %s port %d ssh2" % (u, ip, port), 6)
        else:
            self.emit(host, p, "/etc/ssh/sshd_config line %d: Deprecated option UsePrivilegeSeparation" % r.randint(10, 120), 3)

    def dnat_line(self, src, sport, svc="ssh", dport=22):
        r = self.r
        fam6 = ":" in src
        if fam6:
            msg = "DNAT/%s: IN=eth0 OUT=eth1 MAC=52:54:00:%02x:%02x:%02x:00:1f:33:%02x:%02x:%02x:86:dd SRC=%s DST=2001:db8:1::10 LEN=80 TC=0 HOPLIMIT=%d FLOWLBL=%d PROTO=TCP SPT=%d DPT=%d WINDOW=64800 RES=0x00 SYN URGP=0" % (
                svc, r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255),
                src, r.randint(40, 64), r.randint(0, 1048575), sport, dport)
        else:
            msg = "DNAT/%s: IN=eth0 OUT=eth1 MAC=52:54:00:%02x:%02x:%02x:00:1f:33:%02x:%02x:%02x:08:00 SRC=%s DST=%s LEN=60 TOS=0x00 PREC=0x00 TTL=%d ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=64240 RES=0x00 SYN URGP=0" % (
                svc, r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255), r.randint(0, 255),
                src, DMZ_LAN_IP, r.randint(40, 64), r.randint(0, 65535), sport, dport)
        self.emit("dmz", {"transport": "kernel", "ident": "kernel"}, msg, 4)

    def g_kernel(self, host):
        r = self.r
        x = r.random()
        if x < 0.85:
            # DNAT'ed connections to sshserv are produced by g_sshd/attacks; here: other DNAT'ed services
            self.dnat_line(self.ip_legit() if r.random() < 0.5 else self.pick_attacker()[0], self.port(),
                           *r.choice([("imap", 993), ("smtp", 25), ("xmpp", 5222)]))
        elif x < 0.95:
            self.emit(host, {"transport": "kernel", "ident": "kernel"}, "nf_conntrack: nf_conntrack: table full, dropping packet", 4)
        else:
            self.emit(host, {"transport": "kernel", "ident": "kernel"}, "EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.", 6)

    def g_mandb(self, host):
        r = self.r
        p = self.proc(host, "mandb")
        self.emit(host, p, r.choice(["Purging old database entries in /usr/share/man...", "Processing manual pages under /usr/share/man...",
                                     "Checking for stray cats under /var/cache/man...", "Processing manual pages under /usr/share/man/fr...",
                                     "%d man subdirectories contained newer manual pages." % r.randint(1, 9),
                                     "%d manual pages were added." % r.randint(0, 30), "0 stray cats were added.",
                                     "%d old database entries were purged." % r.randint(0, 20)]), 6)

    def g_spamd(self, host):
        r = self.r
        p = self.proc(host, "spamd", pid=self.dpid(host, "spamd-child%d" % r.randint(0, 4)))
        x = r.random()
        mid = "<%s@%s>" % (self.hexid(16), r.choice(DOMAINS))
        if x < 0.25:
            self.emit(host, p, "spamd: connection from localhost [127.0.0.1]:%d to port 783, fd 5" % self.port(), 6)
        elif x < 0.45:
            self.emit(host, p, "spamd: checking message %s for Debian-exim:101" % mid, 6)
        elif x < 0.62:
            self.emit(host, p, "spamd: clean message (%.1f/5.0) for Debian-exim:101 in %.1f seconds, %d bytes." % (r.uniform(-5, 4.9), r.uniform(0.1, 5), r.randint(900, 90000)), 6)
        elif x < 0.66:
            self.emit(host, p, "spamd: identified spam (%.1f/5.0) for Debian-exim:101 in %.1f seconds, %d bytes." % (r.uniform(5, 30), r.uniform(0.1, 5), r.randint(900, 90000)), 6)
        elif x < 0.85:
            self.emit(host, p, "spamd: result: . %d - BAYES_00,DKIM_SIGNED,DKIM_VALID,RCVD_IN_DNSWL_NONE,SPF_PASS scantime=%.1f,size=%d,user=Debian-exim,uid=101,required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=%d,mid=%s,autolearn=ham" % (
                r.randint(-5, 4), r.uniform(0.1, 5), r.randint(900, 90000), self.port(), mid), 6)
        else:
            self.emit(host, p, "prefork: child states: %s" % "".join(r.choice("II") for _ in range(r.randint(2, 5))), 6)

    def g_msmtp(self, host):
        r = self.r
        p = self.proc(host, "msmtp", pid=self.newpid(host))
        self.emit(host, p, "host=mail.example.org tls=on auth=on user=%s from=%s@example.org recipients=hostmaster@example.org mailsize=%d smtpstatus=250 smtpmsg='250 OK id=%s' exitcode=EX_OK" % (
            host, host, r.randint(500, 90000), self.exim_id()), 6)

    def g_CRON(self, host):
        r = self.r
        p = self.proc(host, "CRON", pid=self.newpid(host))
        u = r.choice(["root", "alice", "nextcloud"])
        self.emit(host, p, "pam_unix(crond:session): session opened for user %s by (uid=0)" % u, 6)
        self.emit(host, p, "(%s) CMD (%s)" % (u, r.choice(["/usr/bin/php -f /srv/nextcloud/cron.php", "run-parts /etc/cron.hourly", "/usr/local/bin/backup.sh"])), 6)

    def g_systemd_logind(self, host):
        r = self.r
        p = self.proc(host, "systemd-logind")
        s = r.randint(100, 999)
        self.emit(host, p, r.choice(["New session %d of user %s." % (s, r.choice(USERS[:5])), "Session %d logged out. Waiting for processes to exit." % s,
                                     "Removed session %d." % s]), 6)

    def g_sudo(self, host):
        r = self.r
        u = r.choice(USERS[:5])
        uid = 1000 + USERS.index(u)
        p = self.session_proc(host, "sudo", uid, "sudo", "/usr/bin/sudo", "sudo systemctl status nginx")
        if r.random() < 0.05:
            self.emit(host, p, "    %s : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl status nginx" % (u, u), 2)
        else:
            self.emit(host, p, "    %s : TTY=pts/1 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl status nginx" % (u, u), 5)
            self.emit(host, p, "pam_unix(sudo:session): session opened for user root by %s(uid=%d)" % (u, uid), 6)
            self.emit(host, p, "pam_unix(sudo:session): session closed for user root", 6)

    def g_ddclient(self, host):
        self.emit(host, self.proc(host, "ddclient"), "SUCCESS:  updating example.org: good: IP address set to 192.0.2.1", 6)

    def g_php_fpm(self, host):
        r = self.r
        p = self.proc(host, "php-fpm")
        if r.random() < 0.2:
            self.emit(host, p, "[WARNING] [pool nextcloud] server reached pm.max_children setting (20), consider raising it", 4)
        else:
            self.emit(host, p, "[NOTICE] [pool www] child %d started" % self.newpid(host), 5)

    def g_postfix_smtpd(self, host, attack_ip=None):
        r = self.r
        p = self.proc(host, "postfix/smtpd", pid=self.newpid(host), comm="smtpd", exe="/usr/lib/postfix/bin/smtpd", cmdline="smtpd -n smtp -t inet -u -o stress=")
        if attack_ip:
            if ":" in attack_ip:
                h = "unknown[%s]" % attack_ip
            else:
                h = "unknown[%s]" % attack_ip
            if r.random() < 0.7:
                self.emit(host, p, "warning: %s: SASL LOGIN authentication failed: UGFzc3dvcmQ6" % h, 4)
            else:
                self.emit(host, p, "NOQUEUE: reject: RCPT from %s: 554 5.7.1 <%s@example.net>: Relay access denied; from=<spameri@example.tld> to=<%s@example.net> proto=ESMTP helo=<WIN-%s>" % (
                    h, self.hexid(6), self.hexid(6), self.hexid(8).upper()), 6)
            return
        ip = self.ip_legit()
        self.emit(host, p, r.choice(["connect from unknown[%s]" % ip, "disconnect from unknown[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5" % ip]), 6)

    def g_minidlnad(self, host):
        r = self.r
        p = self.proc(host, "minidlnad")
        if r.random() < 0.5:
            self.emit(host, p, ("monitor.c:%d: error: inotify_add_watch(/srv/media/Vid\xe9os/%s) [Permission non accord\xe9e]" % (r.randint(100, 400), self.hexid(6))).encode("latin-1"), 3)
        else:
            self.emit(host, p, "metadata.c:%d: warn: /srv/media/%s.mkv: Unhandled format: matroska" % (r.randint(100, 900), self.hexid(8)), 4)

    def g_dehydrated(self, host):
        r = self.r
        p = self.proc(host, "dehydrated", pid=self.newpid(host))
        self.emit(host, p, r.choice([" + Requesting new certificate order from CA...", " + Checking expire date of existing cert...",
                                     " + Valid till Jun  2 10:12:13 2024 GMT (Longer than 30 days). Skipping renew!", "ERROR: Challenge is invalid!"]), 6)

    def g_rpc_mountd(self, host):
        self.emit(host, self.proc(host, "rpc.mountd"), "authenticated mount request from 192.168.1.%d:%d for /srv/nfs/home (/srv/nfs/home)" % (self.r.randint(20, 40), self.r.randint(600, 1023)), 5)

    def g_sa_update(self, host):
        self.emit(host, self.proc(host, "sa-update", pid=self.newpid(host)), "channel: could not find working mirror, channel failed" if self.r.random() < 0.3 else "channel: no 'mirrors.updates.spamassassin.org' record found, channel failed", 4)

    def g_loolwsd(self, host):
        self.emit(host, self.proc(host, "loolwsd"), "wsd-%05d-%05d %s [ loolwsd ] WRN  Waking up dead poll thread [HttpSynReqPoll], started: true, finished: false| net/Socket.hpp:%d" % (
            self.r.randint(10000, 99999), self.r.randint(10000, 99999), self.dt().strftime("%Y-%m-%d %H:%M:%S.%f"), self.r.randint(500, 800)), 4)

    def g_nslcd(self, host):
        self.emit(host, self.proc(host, "nslcd"), "[%s] <passwd=\"%s\"> ldap_result() failed: Can't contact LDAP server: Connection refused" % (self.hexid(6), self.r.choice(USERS)), 3)

    def g_systemd_nspawn(self, host):
        self.emit(host, self.proc(host, "systemd-nspawn"), self.r.choice(["Failed to connect to bus: No such file or directory", "[  OK  ] Reached target Multi-User System."]), 4)

    def g_login(self, host):
        p = self.session_proc(host, "login", 0, "login", "/usr/bin/login", "/bin/login -p --")
        if self.r.random() < 0.3:
            self.emit(host, p, "FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure", 5)
        else:
            self.emit(host, p, "pam_unix(login:session): session opened for user root by LOGIN(uid=0)", 6)

    def g_systemd_coredump(self, host):
        p = self.proc(host, "systemd-coredump", pid=self.newpid(host))
        self.emit(host, p, "Process %d (php-fpm) of user 33 dumped core.\n\nStack trace of thread %d:\n#0  0x00007f3b8c0a2e5c n/a (libc.so.6 + 0x8ae5c)\n#1  0x00007f3b8c0547a2 raise (libc.so.6 + 0x3c7a2)\nELF object binary architecture: AMD x86-64" % (
            self.newpid(host), self.newpid(host)), 2, [("COREDUMP_UID", "33"), ("COREDUMP_COMM", "php-fpm")])

    # ---------------------------------------------------------------- attacks
    def pick_attacker(self):
        return self.attackers[self.r.choices(range(len(self.attackers)), cum_weights=self.att_cum)[0]]

    def attack(self):
        r = self.r
        ip, prof = self.pick_attacker()
        burst = min(1 + int(r.expovariate(1 / 3.5)), 20)
        for _ in range(burst):
            getattr(self, "a_" + prof)(ip)

    def a_ssh(self, ip):
        r = self.r
        port = self.port()
        via_dnat = r.random() < 0.6 and ":" not in ip
        host = "sshserv" if via_dnat else "dmz"
        seen_ip = ip
        if via_dnat:
            self.dnat_line(ip, port)
            seen_ip = DMZ_LAN_IP
        x = r.random()
        u = r.choice(BAD_USERS)
        if x < 0.32:
            p = self.sshd_proc(host, "root")
            self.emit(host, p, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root" % seen_ip, 5)
            self.emit(host, p, "Failed password for root from %s port %d ssh2" % (seen_ip, port), 6)
            if r.random() < 0.5:
                self.emit(host, p, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (seen_ip, port), 6)
                self.emit(host, p, "Disconnected from authenticating user root %s port %d [preauth]" % (seen_ip, port), 6)
        elif x < 0.72:
            p = self.sshd_proc(host)
            self.emit(host, p, "Invalid user %s from %s port %d" % (u, seen_ip, port), 6)
            if r.random() < 0.6:
                self.emit(host, p, "pam_unix(sshd:auth): check pass; user unknown", 5)
                self.emit(host, p, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s" % seen_ip, 5)
                self.emit(host, p, "Failed password for invalid user %s from %s port %d ssh2" % (u, seen_ip, port), 6)
            self.emit(host, p, "Connection closed by invalid user %s %s port %d [preauth]" % (u, seen_ip, port), 6)
        elif x < 0.8:
            p = self.sshd_proc(host)
            self.emit(host, p, "User %s from %s not allowed because not listed in AllowUsers" % (r.choice(["root", "mysql", "nobody", "git"]), seen_ip), 6)
            self.emit(host, p, "Connection closed by authenticating user %s %s port %d [preauth]" % (r.choice(["root", "git"]), seen_ip, port), 6)
        elif x < 0.88:
            p = self.sshd_proc(host)
            self.emit(host, p, "Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 [preauth]" % (seen_ip, port), 6)
        elif x < 0.95:
            p = self.sshd_proc(host)
            self.emit(host, p, "error: kex_exchange_identification: Connection closed by remote host", 3)
            self.emit(host, p, "Connection closed by %s port %d" % (seen_ip, port), 6)
        else:
            p = self.sshd_proc(host, "root")
            self.emit(host, p, "error: maximum authentication attempts exceeded for root from %s port %d ssh2 [preauth]" % (seen_ip, port), 3)
            self.emit(host, p, "Disconnecting authenticating user root %s port %d: Too many authentication failures [preauth]" % (seen_ip, port), 6)

    def a_mail(self, ip):
        r = self.r
        host = "mail"
        if r.random() < 0.55:
            sess = self.b64(12)
            x = r.random()
            if x < 0.6:
                u = r.choice(BAD_USERS + ["alice@example.org", "info@example.org"])
                pa = self.proc(host, "dovecot", pid=self.dpid(host, "auth-worker"), comm="auth", exe="/usr/lib/dovecot/auth", cmdline="dovecot/auth-worker")
                self.emit(host, pa, "auth-worker(%d): pam(%s,%s,<%s>): pam_authenticate() failed: Authentication failure (password mismatch?)" % (pa["pid"], u, ip, sess), 6)
                p = self.proc(host, "dovecot", pid=self.dpid(host, "imap-login"), comm="imap-login", exe="/usr/lib/dovecot/imap-login", cmdline="dovecot/imap-login")
                self.emit(host, p, "imap-login: Disconnected (auth failed, %d attempts in %d secs): user=<%s>, method=PLAIN, rip=%s, lip=192.168.1.20, TLS, session=<%s>" % (
                    r.randint(1, 3), r.randint(2, 15), u, ip, sess), 6)
            elif x < 0.85:
                p = self.proc(host, "dovecot", pid=self.dpid(host, "imap-login"), comm="imap-login", exe="/usr/lib/dovecot/imap-login", cmdline="dovecot/imap-login")
                self.emit(host, p, "imap-login: Disconnected (no auth attempts in %d secs): user=<>, rip=%s, lip=192.168.1.20, TLS handshaking: SSL_accept() failed: error:0A00010B:SSL routines::wrong version number, session=<%s>" % (
                    r.randint(10, 60), ip, sess), 6)
            else:
                p = self.proc(host, "dovecot", pid=self.dpid(host, "imap-login"), comm="imap-login", exe="/usr/lib/dovecot/imap-login", cmdline="dovecot/imap-login")
                self.emit(host, p, "imap-login: Disconnected: Too many invalid commands. (no auth attempts in 0 secs): user=<>, rip=%s, lip=192.168.1.20, session=<%s>" % (ip, sess), 6)
            return
        p = self.proc(host, "exim", pid=self.newpid(host))
        ts = self.exim_ts()
        helo = r.choice(["User", "WIN-%s" % self.hexid(8).upper(), "localhost", "ylmf-pc", "%s" % ip])
        x = r.random()
        if x < 0.45:
            self.emit(host, p, "%s login_server authenticator failed for (%s) [%s]: 535 Incorrect authentication data (set_id=%s@example.org)" % (ts, helo, ip, r.choice(BAD_USERS)), 4)
        elif x < 0.6:
            self.emit(host, p, "%s H=(%s) [%s] F=<%s@example.tld> rejected RCPT <%s@example.net>: relay not permitted" % (ts, helo, ip, self.hexid(6), self.hexid(6)), 4)
        elif x < 0.7:
            self.emit(host, p, "%s rejected EHLO from [%s]: syntactically invalid argument(s): %s" % (ts, ip, "_" + self.hexid(5)), 4)
        elif x < 0.8:
            self.emit(host, p, "%s SMTP command timeout on connection from (%s) [%s]" % (ts, helo, ip), 6)
        elif x < 0.87:
            self.emit(host, p, "%s SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[%s]:%d input=\"GET / HTTP/1.1%%0D%%0AHost: mail.example.org\"" % (ts, ip, self.port()), 4)
        elif x < 0.93:
            self.emit(host, p, "%s SMTP call from (%s) [%s] dropped: too many nonmail commands (last was \"RSET\")" % (ts, helo, ip), 6)
        elif x < 0.97:
            self.emit(host, p, "%s SMTP syntax error in \"\\026\\003\\001\" H=[%s] NULL character(s) present (shown as '?')" % (ts, ip), 4)
        else:
            self.emit(host, p, "%s H=(%s) [%s] AUTH command used when not advertised" % (ts, helo, ip), 4)

    def a_web(self, ip):
        r = self.r
        host = r.choice(["web1", "web1", "dmz"])
        p = self.proc(host, "nginx", pid=self.dpid(host, "nginx%d" % r.randint(0, 3)))
        w = p["pid"]
        ts = self.nginx_ts()
        dom = r.choice(["cloud.example.org", "git.example.org", "www.example.org"])
        pre = "%s [%%s] %d#%d: *%d " % (ts, w, w, r.randint(1, 9999999))
        x = r.random()
        if x < 0.5:
            path = r.choice(PROBES)
            self.emit(host, p, (pre % "error") + "open() \"/srv/http%s\" failed (2: No such file or directory), client: %s, server: , request: \"GET %s HTTP/1.1\", host: \"%s\"" % (path, ip, path, dom), 3)
        elif x < 0.62:
            path = r.choice(PROBES)
            self.emit(host, p, (pre % "error") + "FastCGI sent in stderr: \"Unable to open primary script: /srv/http%s (No such file or directory)\" while reading response header from upstream, client: %s, server: , request: \"GET %s HTTP/1.1\", upstream: \"fastcgi://unix:/run/php-fpm/php-fpm.sock:\", host: \"%s\"" % (path, ip, path, dom), 3)
        elif x < 0.75:
            self.emit(host, p, (pre % "error") + "user \"%s\" was not found in \"/etc/nginx/htpasswd\", client: %s, server: %s, request: \"GET /admin/ HTTP/1.1\", host: \"%s\"" % (r.choice(BAD_USERS), ip, dom, dom), 3)
        elif x < 0.85:
            self.emit(host, p, (pre % "error") + "user \"%s\": password mismatch, client: %s, server: %s, request: \"GET /admin/ HTTP/1.1\", host: \"%s\"" % (r.choice(USERS[:5]), ip, dom, dom), 3)
        else:
            red = "%2F" + self.hexid(8)
            self.emit(host, p, (pre % "notice") + "[lua] access.lua:%d: Redirect to: https://%s/sso/?r=%s, client: %s, server: , request: \"POST /sso/?r=%s HTTP/1.1\", host: \"%s\", referrer: \"https://%s/sso/?r=%s\"" % (
                r.randint(20, 90), dom, red, ip, red, dom, dom, red), 5)

    def a_cloud(self, ip):
        self.g_ownCloud("web1", attack_ip=ip)
        if self.r.random() < 0.5:
            self.a_web(ip)

    def a_postfix(self, ip):
        self.g_postfix_smtpd("dmz", attack_ip=ip)

    # ------------------------------------------------------------------ main
    def run(self):
        r = self.r
        # an attack event (burst) emits ~9 entries on average, a normal one ~1.15
        s = self.attack_share
        p_att = s * 1.15 / (s * 1.15 + (1 - s) * 9.0) if s < 1 else 1.0
        mean_gap = 1_000_000 / self.rate
        while self.emitted < self.n:
            self.t += int(r.expovariate(1.0 / mean_gap))
            if r.random() < p_att:
                self.attacking = True
                self.attack()
            else:
                self.attacking = False
                self.normal()
        self.out.flush()

    attacking = False


def proc_table():
    def sysd(unit, comm, exe, cmdline, uid=0, gid=None, transport="syslog", facility=3, **kw):
        d = {"transport": transport, "facility": facility, "comm": comm, "exe": exe, "cmdline": cmdline,
             "uid": uid, "gid": uid if gid is None else gid, "unit": unit, "slice": "system.slice"}
        d.update(kw)
        return d
    return {
        "uwsgi": sysd("uwsgi@nextcloud.service", "uwsgi", "/usr/bin/uwsgi", "/usr/bin/uwsgi --ini /etc/uwsgi/nextcloud.ini", 33, transport="stdout"),
        "gitea": sysd("gitea.service", "gitea", "/usr/bin/gitea", "/usr/bin/gitea web --config /etc/gitea/app.ini", 972, transport="stdout"),
        "prosody": sysd("prosody.service", "lua5.4", "/usr/bin/lua5.4", "lua5.4 /usr/bin/prosody -F", 970),
        "haproxy": sysd("haproxy.service", "haproxy", "/usr/bin/haproxy", "/usr/bin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -S /run/haproxy-master.sock", 969, facility=16),
        "postgres": sysd("postgresql.service", "postgres", "/usr/bin/postgres", "postgres: checkpointer", 88, facility=16),
        "nginx": sysd("nginx.service", "nginx", "/usr/bin/nginx", "nginx: worker process", 33, facility=23),
        "dovecot": sysd("dovecot.service", "dovecot", "/usr/bin/dovecot", "/usr/bin/dovecot -F", 0, facility=2),
        "exim": sysd("exim.service", "exim", "/usr/bin/exim", "/usr/bin/exim -bd -q30m", 79, facility=2),
        "systemd": sysd("init.scope", "systemd", "/usr/lib/systemd/systemd", "/sbin/init", 0, transport="journal", slice="-.slice", cgroup="/init.scope", cap="1ffffffffff"),
        "ownCloud": sysd("php-fpm.service", "php-fpm", "/usr/bin/php-fpm", "php-fpm: pool nextcloud", 33, facility=1),
        "sshd": sysd("sshd.service", "sshd", "/usr/bin/sshd", "sshd: unknown [priv]", 0, facility=10, cap="1ffffffffff"),
        "mandb": sysd("man-db.service", "mandb", "/usr/bin/mandb", "/usr/bin/mandb --quiet", 6, transport="stdout"),
        "spamd": sysd("spamassassin.service", "spamd child", "/usr/bin/perl", "spamd child", 0, facility=2),
        "msmtp": sysd("cronie.service", "msmtp", "/usr/bin/msmtp", "/usr/bin/msmtp -t", 0, facility=2),
        "CRON": sysd("cronie.service", "crond", "/usr/bin/crond", "/usr/bin/crond -n", 0, facility=9),
        "systemd-logind": sysd("systemd-logind.service", "systemd-logind", "/usr/lib/systemd/systemd-logind", "/usr/lib/systemd/systemd-logind", 0, transport="journal", facility=4),
        "ddclient": sysd("ddclient.service", "ddclient", "/usr/bin/perl", "ddclient - sleeping for 270 seconds", 0),
        "php-fpm": sysd("php-fpm.service", "php-fpm", "/usr/bin/php-fpm", "php-fpm: master process (/etc/php/php-fpm.conf)", 0, transport="stdout"),
        "postfix/smtpd": sysd("postfix.service", "smtpd", "/usr/lib/postfix/bin/smtpd", "smtpd -n smtp -t inet -u", 73, facility=2),
        "minidlnad": sysd("minidlna.service", "minidlnad", "/usr/bin/minidlnad", "/usr/bin/minidlnad -S", 971),
        "dehydrated": sysd("dehydrated.service", "dehydrated", "/usr/bin/bash", "/bin/bash /usr/bin/dehydrated --cron", 0, transport="stdout"),
        "rpc.mountd": sysd("nfs-mountd.service", "rpc.mountd", "/usr/bin/rpc.mountd", "/usr/bin/rpc.mountd", 0),
        "sa-update": sysd("sa-update.service", "sa-update", "/usr/bin/perl", "/usr/bin/perl -T -w /usr/bin/vendor_perl/sa-update", 0, transport="stdout"),
        "loolwsd": sysd("loolwsd.service", "loolwsd", "/usr/bin/loolwsd", "/usr/bin/loolwsd --version --o:sys_template_path=/opt/lool/systemplate", 968, transport="stdout"),
        "nslcd": sysd("nslcd.service", "nslcd", "/usr/bin/nslcd", "/usr/bin/nslcd", 0, facility=3),
        "systemd-nspawn": sysd("systemd-nspawn@ct1.service", "systemd-nspawn", "/usr/bin/systemd-nspawn", "/usr/bin/systemd-nspawn --quiet --keep-unit --boot --link-journal=try-guest --network-veth -U --machine=ct1", 0, transport="stdout"),
        "systemd-coredump": sysd("systemd-coredump@0-1234-0.service", "systemd-coredum", "/usr/lib/systemd/systemd-coredump", "/usr/lib/systemd/systemd-coredump", 0, transport="journal"),
    }


PROCS = proc_table()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=100000, help="number of journal entries (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--attack-share", type=float, default=0.01,
                    help="approximate fraction of entries produced by attackers (default 0.01)")
    ap.add_argument("--rate", type=float, default=193_000 / 604_800,
                    help="mean entry events per second of log time (default: one real week = 193k entries)")
    ap.add_argument("--start", default="2024-03-04T00:00:00",
                    help="UTC start time, ISO format or 'now-DAYS' e.g. now-36 (default 2024-03-04T00:00:00)")
    a = ap.parse_args()
    if a.start.startswith("now"):
        import time
        days = float(a.start[4:] or 0)
        start = time.time() - days * 86400
    else:
        start = datetime.datetime.fromisoformat(a.start).replace(tzinfo=TZ).timestamp()
    g = Gen(a.seed, a.entries, a.attack_share, a.rate, start)
    g.run()
    tot = g.emitted
    sys.stderr.write("entries=%d attack_lines=%d (%.2f%%) binary_fields=%d end=%s\n" % (
        tot, g.attack_lines, 100.0 * g.attack_lines / max(tot, 1), g.binary_fields, g.dt().isoformat()))
    for k, v in sorted(g.stats.items(), key=lambda kv: -kv[1]):
        sys.stderr.write("  %-18s %8d %6.2f%%\n" % (k, v, 100.0 * v / max(tot, 1)))


if __name__ == "__main__":
    main()
