-- Gitea 1.21 lines: the journal's (MODE=console under systemd) and
-- /var/lib/gitea/log/gitea.log's (MODE=file), as Gitea writes them.
local LOG = "/var/lib/gitea/log/gitea.log"
return {
  jail = "gitea",
  ident = "gitea",
  failures = {
    { "routers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for admin from 203.0.113.9:52311: user does not exist [uid: 0, name: admin]", ip = "203.0.113.9" },
    { "routers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for alice from [2001:db8::7]:40022: user does not exist [uid: 2, name: alice]", ip = "2001:db8::7" },
    { "2024/03/04 00:08:20 ...ers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for root@example.org from 198.51.100.23:60122: user does not exist [uid: 0, name: root@example.org]", ip = "198.51.100.23" },
    { "routers/web/auth/auth.go:300:SignInPost() [W] Failed authentication attempt for bob from 192.0.2.44: user is not allowed login [uid: 3, name: bob]", ip = "192.0.2.44" },
    { "services/context/auth.go:61:func1() [I] Failed authentication attempt for carol from 2001:db8:1::15", ip = "2001:db8:1::15" },
    { "modules/ssh/ssh.go:328:publicKeyHandler() [W] Failed authentication attempt from 203.0.113.77:33211", ip = "203.0.113.77" },
    { log = LOG, "2024/03/04 00:08:24 ...ers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for test from 198.51.100.4:41234: user does not exist [uid: 0, name: test]", ip = "198.51.100.4" },
    { log = LOG, "2024/03/04 00:08:25 ...rvices/auth/httpsign.go:90:VerifyAuthData() [W] Failed authentication attempt from [2001:db8::9]:40400", ip = "2001:db8::9" },
    -- planted addresses in the user name
    { "routers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for 10.0.0.1:1 from 203.0.113.30:5001: user does not exist [uid: 0, name: 10.0.0.1:1]", ip = "203.0.113.30" },
    { log = LOG, "2024/03/04 00:08:27 ...ers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for x@from.10.0.0.1 from 198.51.100.31:5002: user does not exist [uid: 0, name: x@from.10.0.0.1]", ip = "198.51.100.31" },
  },
  harmless = {
    { "routers/web/auth/auth.go:294:SignInPost() [I] Failed authentication attempt for x from 10.0.0.1:1: y from 203.0.113.30:5001: user does not exist [uid: 0, name: x from 10.0.0.1:1: y]" },
    { "router: completed POST /user/login for 203.0.113.9:52311, 303 See Other in 85.2ms @ auth/auth.go:174(auth.SignInPost)" },
    { "router: completed GET /favicon.ico for 203.0.113.9:52311, 404 Not Found in 1.1ms @ web/base.go:35(web.avatarStorageHandler)" },
    { "cmd/web.go:223:listen() [I] Listen: http://0.0.0.0:3000" },
    { log = LOG, "2024/03/04 00:09:00 cmd/web.go:111:showWebStartupMessage() [I] Gitea version: 1.21.7 built with GNU Make 4.4.1, go1.21.7 : bindata, timetzdata, sqlite, sqlite_unlock_notify" },
    { "routers/web/auth/auth.go:330:handleSignInFull() [I] Successful authentication for alice from 203.0.113.9:52311" },
  },
}
