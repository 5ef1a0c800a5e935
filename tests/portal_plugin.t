#!/usr/bin/env python3
"""The portal is a plugin (juesuan-portal.so, src/cli/portal.c): the
program does not link the store's and the server's libraries, so tables,
check and build run where the plugin is absent, and the portal's commands
then fail with a Chinese message naming the plugin and JUESUAN_PORTAL
(exit 4), while a plugin found beside the program or named by
JUESUAN_PORTAL runs them."""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-portal-plugin-")
atexit.register(shutil.rmtree, tmp, True)
here = os.path.dirname(JUESUAN)
plugin = os.path.join(here, "juesuan-portal.so")
env = {k: v for k, v in os.environ.items() if k != "JUESUAN_PORTAL"}


def sh(args, **kw):
    p = subprocess.run(args, capture_output=True, env=kw.pop("env", env), **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


libs = subprocess.run(["ldd", JUESUAN], capture_output=True, text=True).stdout
ok(libs and "libjansson" in libs and not re.search(r"libsqlite3|libpq|libsodium|libmicrohttpd|libgnutls|libgssapi|libldap",
                                                    libs),
   "juesuan links neither the store's nor the server's libraries", libs)
plibs = subprocess.run(["ldd", plugin], capture_output=True, text=True).stdout
ok(all(n in plibs for n in ("libsqlite3", "libpq", "libsodium", "libmicrohttpd")),
   "juesuan-portal.so links SQLite, libpq, libsodium and libmicrohttpd", plibs)

# the program alone, with its PDF plugin but without the portal's
alone = os.path.join(tmp, "bin")
os.makedirs(alone)
bare = os.path.join(alone, "juesuan")
shutil.copy(JUESUAN, bare)
shutil.copy(os.path.join(here, "juesuan-pdf.so"), alone)
rc, want, err = run("tables", example("qingshan-2024"), env=env)
rc2, got, err2 = sh([bare, "tables", example("qingshan-2024")])
ok(rc == 0 and rc2 == 0 and "公开01表" in got and got == want, "tables runs without the portal plugin, the same tables",
   err + err2)
rc, out, err = sh([bare, "check", example("qingshan-2024")])
rc2, want, _ = run("check", example("qingshan-2024"), env=env)
ok(rc == rc2 and out == want, "so does check (exit %d)" % rc, err)
rc, out, err = sh([bare, "build", example("qingshan-2024"), "-o", os.path.join(tmp, "out"), "--only", "json,html"])
ok(rc == 0 and os.path.exists(os.path.join(tmp, "out", "report.html")), "and build", err)
for cmd in (["serve", "--routes"], ["user", "list", "--db", os.path.join(tmp, "x.db")], ["dept", "list"],
            ["log", "verify"]):
    rc, out, err = sh([bare] + cmd)
    ok(rc == 4 and out == "" and err.startswith("juesuan %s: 找不到门户模块 juesuan-portal.so" % cmd[0])
       and os.path.join(alone, "juesuan-portal.so") in err and "make install" in err and "JUESUAN_PORTAL" in err,
       "without the plugin, %s fails clearly (exit 4): %s" % (cmd[0], err.strip()))
ok(not os.path.exists(os.path.join(tmp, "x.db")), "and creates no store")
rc, out, err = sh([bare, "help", "serve"])
ok(rc == 0 and "juesuan serve" in out, "help serve needs no plugin")

# JUESUAN_PORTAL: the plugin named, a missing file, a file that is no plugin
rc, out, err = sh([bare, "serve", "--routes"], env=dict(env, JUESUAN_PORTAL=plugin))
rc2, want, _ = run("serve", "--routes", env=env)
ok(rc == 0 and rc2 == 0 and out == want and "/api/v1/" in out, "JUESUAN_PORTAL names the plugin: serve --routes", err)
rc, out, err = sh([bare, "serve"], env=dict(env, JUESUAN_PORTAL=os.path.join(tmp, "none.so")))
ok(rc == 4 and "JUESUAN_PORTAL" in err and os.path.join(tmp, "none.so") in err, "a missing JUESUAN_PORTAL is named: "
   + err.strip())
junk = os.path.join(tmp, "junk.so")
with open(junk, "w") as f:
    f.write("not a shared object\n")
rc, out, err = sh([bare, "serve"], env=dict(env, JUESUAN_PORTAL=junk))
ok(rc == 4 and "门户模块无法加载" in err and junk in err, "a file that cannot be loaded: the loader's reason " + err.strip())
rc, out, err = sh([bare, "serve"], env=dict(env, JUESUAN_PORTAL=os.path.join(here, "juesuan-pdf.so")))
ok(rc == 4 and "cmd_serve" in err, "a plugin without the command: " + err.strip())

# beside the program, it is found
shutil.copy(plugin, alone)
rc, out, err = sh([bare, "serve", "--routes"])
is_((rc, out), (0, want), "the plugin beside the program is found")
done()
