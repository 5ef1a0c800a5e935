#!/usr/bin/python3
"""`make install PREFIX=…` gives a working installation: the program (with
its data found beside it), `man juesuan`, bash completion, the documents,
and the library as a C developer uses it — `pkg-config --cflags --libs
juesuan` builds a two-line program against the shared library, and
`pkg-config --static` against the static one; its report.pdf is the build
tree's (the derived fonts installed beside the plugin). The man page and the
completion name every command the program has."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, example, is_, ok  # noqa: E402

BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
SAN = os.environ.get("JUESUAN_SANITIZE", "")
tmp = tempfile.mkdtemp(prefix="juesuan-install-")
prefix = os.path.join(tmp, "prefix")


def sh(args, **kw):
    p = subprocess.run(args, capture_output=True, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


make = ["make", "--no-print-directory", "-C", ROOT, "install", "PREFIX=" + prefix, "BUILD=" + BUILD]
if SAN:
    make.append("SANITIZE=" + SAN)
rc, out, err = sh(make)
ok(rc == 0, "make install PREFIX=… succeeds", err[-2000:])

bin_ = os.path.join(prefix, "bin", "juesuan")
rc, out, err = sh([bin_, "-V"])
ok(rc == 0 and re.match(r"juesuan \d+\.\d+\.\d+\n$", out), "the installed juesuan -V prints its version " + out)
env = dict(os.environ)
env.pop("JUESUAN_DATA", None)
rc, out, err = sh([bin_, "tables", example("qingshan-2024")], env=env)
ok(rc == 0 and "公开01表" in out, "the installed program finds its data under PREFIX/share/juesuan " + err)
# its plugins, under PREFIX/lib/juesuan: the PDF renderer and the portal
env.pop("JUESUAN_PDF", None)
env.pop("JUESUAN_PORTAL", None)
rc, out, err = sh([bin_, "serve", "--routes"], env=env)
ok(rc == 0 and "/api/v1/" in out, "the installed program finds its portal plugin (serve --routes) " + err)
rc, out, err = sh(["ldd", bin_])
ok(rc == 0 and "libjansson" in out and "libsqlite3" not in out and "libpq" not in out,
   "the installed program links the core libraries only", out)
# report.pdf with the derived fonts installed beside the plugin (docs/formats.md)
pdfs = []
for tag, prog in (("installed", bin_), ("build", JUESUAN)):
    rc, out, err = sh([prog, "build", example("qingshan-2024"), "-o", os.path.join(tmp, tag), "--only", "pdf"],
                      env=dict(env, JUESUAN_DATA=os.path.join(ROOT, "data")) if tag == "build" else env)
    pdf = os.path.join(tmp, tag, "report.pdf")
    pdfs.append(open(pdf, "rb").read() if rc == 0 and os.path.exists(pdf) else err)
fonts = os.path.join(prefix, "lib", "juesuan", "fonts")
ok(os.path.isfile(os.path.join(fonts, "NotoSerifCJKsc-Regular.otf")), "the derived fonts are installed in " + fonts)
ok(isinstance(pdfs[0], bytes) and pdfs[0][:5] == b"%PDF-" and pdfs[0] == pdfs[1],
   "the installed program finds its PDF plugin and writes the build tree's report.pdf (the same fonts)",
   "; ".join(p[-2000:] if isinstance(p, str) else "%d bytes" % len(p) for p in pdfs))

# the man page
env["MANPATH"] = os.path.join(prefix, "share", "man")
env["MANWIDTH"] = "100"
rc, page, err = sh(["man", "juesuan"], env=env)
ok(rc == 0 and "juesuan - 部门决算公开的编制与审核" in page, "man juesuan shows the installed page", err)
rc, help_, _ = sh([bin_, "--help"])
commands = re.findall(r"^  (\w+) ", help_, re.M)
ok(len(commands) >= 5, "juesuan --help lists the commands (%s)" % ", ".join(commands))
missing = [c for c in commands if not re.search(r"^\s+%s\b" % c, page, re.M)]
ok(not missing, "the man page describes every command", "missing: %s" % missing)

# bash completion and the documents
comp = os.path.join(prefix, "share", "bash-completion", "completions", "juesuan")
text = open(comp, encoding="utf-8").read() if os.path.exists(comp) else ""
listed = re.search(r'local commands="([^"]*)"', text)
is_(sorted(listed.group(1).split()) if listed else None, sorted(commands), "bash completion offers every command")
rc, out, err = sh(["bash", "-c", 'shopt -s extglob; source "$0"; COMP_WORDS=(juesuan tables x --fo); COMP_CWORD=3; '
                   '_juesuan; echo "${COMPREPLY[@]}"', comp])
is_(out.strip(), "--format", "bash completion completes an option of tables")
docs = os.path.join(prefix, "share", "doc", "juesuan")
ok(all(os.path.exists(os.path.join(docs, f)) for f in ("README.md", "LICENSE", "CONTRIBUTING.md", "workbook.md")),
   "README, LICENSE, CONTRIBUTING and the docs are installed")

# the library through pkg-config
env["PKG_CONFIG_PATH"] = os.path.join(prefix, "lib", "pkgconfig")
rc, flags, err = sh(["pkg-config", "--cflags", "--libs", "juesuan"], env=env)
ok(rc == 0 and "-ljuesuan" in flags and "-I" + os.path.join(prefix, "include") in flags,
   "pkg-config --cflags --libs juesuan: " + flags.strip(), err)
prog = os.path.join(tmp, "two.c")
with open(prog, "w") as f:
    f.write('#include <juesuan/juesuan.h>\n'
            'int main(void) { char b[32]; js_money_format_wan(1234567890, true, b, sizeof b); return !(b[0] == \'1\' && b[1] == \',\'); }\n')
sanflags = ["-fsanitize=" + SAN] if SAN else []
exe = os.path.join(tmp, "two")
rc, out, err = sh(["cc", "-std=c11", "-o", exe, prog] + flags.split() + sanflags, env=env)
ok(rc == 0, "a two-line program builds with pkg-config's flags", err)
env["LD_LIBRARY_PATH"] = os.path.join(prefix, "lib")
rc, out, err = sh([exe], env=env)
is_(rc, 0, "it runs and formats 12,345,678.90 元 as 1,234.57 万元 " + err)
rc, out, err = sh(["ldd", exe], env=env)
ok("libjuesuan.so.0 => " + os.path.join(prefix, "lib") in out, "it uses the installed shared library", out)
# the static library with the shared libraries it needs (Requires.private;
# Debian ships libpq without the static archives --static would ask for)
rc, req, err = sh(["pkg-config", "--print-requires-private", "juesuan"], env=env)
rc2, deps, err2 = sh(["pkg-config", "--libs"] + [r.split()[0] for r in req.splitlines() if r.strip()], env=env)
sflags = flags.replace("-ljuesuan", "-Wl,-Bstatic -ljuesuan -Wl,-Bdynamic") + " " + deps + " -lm -pthread -ldl"
rc, out, err = sh(["cc", "-std=c11", "-o", exe + "-static", prog] + sflags.split() + sanflags, env=env)
ok(rc == 0 and rc2 == 0 and req.strip(), "the same program links the static library and the Requires.private of juesuan.pc",
   err + err2)
rc, out, err = sh([exe + "-static"]) if os.path.exists(exe + "-static") else (-1, "", "not built")
is_(rc, 0, "and runs without libjuesuan.so " + err)

shutil.rmtree(tmp)
done()
