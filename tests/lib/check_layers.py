#!/usr/bin/env python3
"""Fails when a file in core/ includes a header of a higher layer, or when a
file outside core/lua/ includes Lua's own headers. Layers, lowest first:
util < input < state < notify, defence < fleet < rules < steps < lua < cli.
Usage: check_layers.py CORE_DIR"""
import os
import re
import sys

RANK = {"util": 0, "input": 1, "state": 2, "notify": 3, "defence": 3, "fleet": 4,
        "rules": 5, "steps": 6, "lua": 7, "cli": 8}
LUA_HEADERS = {"lua.h", "lauxlib.h", "lualib.h", "luaconf.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main():
    core = sys.argv[1]
    bad = []
    files = 0
    for layer in sorted(RANK):
        d = os.path.join(core, layer)
        if not os.path.isdir(d):
            bad.append("%s/: missing layer folder" % layer)
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            files += 1
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for kind, inc in INCLUDE.findall(text):
                if kind == "<":
                    if inc in LUA_HEADERS and layer != "lua":
                        bad.append("%s/%s includes <%s>: only core/lua/ may" % (layer, name, inc))
                    continue
                top = inc.split("/")[0] if "/" in inc else None
                if top is None:
                    if not os.path.exists(os.path.join(d, inc)):
                        bad.append('%s/%s: "#include "%s"" is not spelled from core/' % (layer, name, inc))
                    else:
                        bad.append('%s/%s: "#include "%s"": spell it "%s/%s"' % (layer, name, inc, layer, inc))
                    continue
                if top not in RANK:
                    bad.append('%s/%s: "#include "%s"": no such layer' % (layer, name, inc))
                    continue
                if RANK[top] > RANK[layer] or (RANK[top] == RANK[layer] and top != layer):
                    bad.append('%s/%s includes "%s": %s may not use %s' % (layer, name, inc, layer, top))
    # nothing left at the top of core/
    loose = [n for n in os.listdir(core) if n.endswith((".c", ".h"))]
    for n in sorted(loose):
        bad.append("%s: not in a layer folder" % n)
    for b in bad:
        print("FAIL", b)
    print("%d files checked, %d problems" % (files, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
