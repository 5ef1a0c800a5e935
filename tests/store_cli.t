#!/usr/bin/env python3
"""juesuan user, dept and log against SQLite and a PostgreSQL this script
starts: departments and users added and listed, passwords from standard
input or typed at a terminal without echo (never from the command line),
refusals with Chinese messages and exit codes, and `log verify` finding a
changed or deleted entry."""
import atexit
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from pgserver import PgServer  # noqa: E402
from tap import JUESUAN, done, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-store-cli-")
atexit.register(shutil.rmtree, tmp, True)


def feed(stdin, *args):
    p = subprocess.run([JUESUAN] + list(args), input=stdin.encode(), capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def typed(password, *args):
    """Runs juesuan on a terminal, typing password at each prompt; returns
    (exit code, everything the terminal showed)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(JUESUAN, [JUESUAN] + list(args))
    shown = b""
    prompts = 0
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        # Echo is off before a prompt appears (store_args.c): answer it.
        while shown.count("密码：".encode()) > prompts:
            prompts += 1
            os.write(fd, (password + "\n").encode())
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def flow(name, db):
    rc, out, err = run("dept", "add", "qingshan-slj", "武汉市青山区经济信息化和科技创新局", "--db", db)
    ok(rc == 0 and "qingshan-slj" in out, "%s: dept add" % name, err)
    rc, out, err = run("dept", "add", "qingshan-slj", "again", "--db", db)
    ok(rc == 3 and "已存在" in err, "%s: a department code taken: %s" % (name, err.strip()))
    rc, out, err = run("dept", "add", "Bad Code", "x", "--db", db)
    ok(rc == 3 and "小写字母" in err, "%s: a bad code: %s" % (name, err.strip()))
    rc, out, err = run("dept", "list", "--db", db)
    lines = out.splitlines()
    ok(rc == 0 and lines[0] == "编号\t代码\t名称\t配置" and
       lines[1].split("\t")[1:] == ["qingshan-slj", "武汉市青山区经济信息化和科技创新局", "default"],
       "%s: dept list" % name, out)

    rc, out, err = feed("correct horse\n", "user", "add", "alice", "--role", "填报", "--dept",
                        "qingshan-slj", "--password-stdin", "--db", db)
    ok(rc == 0 and "alice" in out, "%s: user add, password from stdin" % name, err)
    rc, shown = typed("typed secret", "user", "add", "bob", "--role", "审核，发布", "--display", "鲍勃", "--db", db)
    ok(rc == 0 and shown.count("密码：") == 2 and "typed secret" not in shown,
       "%s: user add, password typed twice at a terminal and not echoed" % name, shown)
    rc, shown = typed("one secret", "user", "passwd", "bob", "--db", db)
    ok(rc == 0 and "one secret" not in shown, "%s: user passwd at a terminal" % name, shown)
    rc, out, err = feed("", "user", "add", "carol", "--role", "审核", "--db", db)
    ok(rc == 2 and "--password-stdin" in err, "%s: no terminal, no --password-stdin: %s" % (name, err.strip()))
    rc, out, err = feed("short\n", "user", "add", "carol", "--role", "审核", "--password-stdin", "--db", db)
    ok(rc == 3 and "至少 8" in err, "%s: a short password: %s" % (name, err.strip()))
    rc, out, err = feed("long enough\n", "user", "add", "carol", "--role", "填报", "--password-stdin", "--db", db)
    ok(rc == 3 and "部门" in err, "%s: a preparer without a department: %s" % (name, err.strip()))
    rc, out, err = feed("long enough\n", "user", "add", "carol", "--role", "boss", "--password-stdin", "--db", db)
    ok(rc == 2 and "boss" in err, "%s: an unknown role: %s" % (name, err.strip()))
    rc, out, err = feed("long enough\n", "user", "add", "alice", "--role", "审核", "--password-stdin", "--db", db)
    ok(rc == 3 and "已存在" in err, "%s: a login taken: %s" % (name, err.strip()))
    rc, out, err = run("user", "add", "carol", "--role", "审核", "--password", "x", "--db", db)
    ok(rc == 2 and "--password" in err, "%s: no password option on the command line" % name)
    rc, out, err = run("user", "grant", "bob", "--role", "管理", "--db", db)
    ok(rc == 0, "%s: user grant" % name, err)
    rc, out, err = run("user", "disable", "alice", "--db", db)
    ok(rc == 0, "%s: user disable" % name, err)
    rc, out, err = run("user", "disable", "nobody", "--db", db)
    ok(rc == 3 and "nobody" in err, "%s: disable an unknown user: %s" % (name, err.strip()))
    rc, out, err = run("user", "list", "--db", db)
    rows = [ln.split("\t") for ln in out.splitlines()]
    is_([r[1:6] for r in rows[1:]],
        [["alice", "alice", "填报", "qingshan-slj", "停用"], ["bob", "鲍勃", "管理", "", "启用"]],
        "%s: user list" % name)

    rc, out, err = run("log", "verify", "--db", db)
    ok(rc == 0 and "共 6 条" in out, "%s: log verify: %s" % (name, out.strip()), err)
    rc, out, err = run("log", "list", "--after", "1", "--limit", "2", "--db", db)
    rows = [ln.split("\t") for ln in out.splitlines()]
    ok(rc == 0 and [r[0] for r in rows[1:]] == ["2", "3"] and rows[1][3] == "user.add",
       "%s: log list --after --limit" % name, out)
    rc, out, err = run("log", "list", "--db", db)
    ok("correct horse" not in out and "secret" not in out, "%s: no password in the log" % name)


for cmd in ("user", "dept", "log"):
    rc, out, err = run("help", cmd)
    ok(rc == 0 and out.startswith("用法：juesuan " + cmd), "help %s" % cmd)
    rc2, out2, err2 = run(cmd, "add", "--help")
    ok(rc2 == 0 and out2 == out, "%s --help anywhere prints the help" % cmd)
rc, out, err = run("user")
ok(rc == 2 and "子命令" in err, "user without a subcommand: " + err.strip())
rc, out, err = run("log", "verify", "--db", "mysql://x/y")
ok(rc == 2 and "mysql://" in err, "an unknown database URL: " + err.strip())

db = os.path.join(tmp, "cli.db")
flow("SQLite", db)
# Tampering straight in the file: the guard triggers dropped, an entry
# changed, then one deleted.
con = sqlite3.connect(db)
con.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                  "UPDATE audit_log SET detail = 'alice 管理' WHERE seq = 2;")
con.close()
rc, out, err = run("log", "verify", "--db", db)
ok(rc == 1 and "第 2 条" in err and "改动" in err, "SQLite: log verify finds a changed entry: " + err.strip())
con = sqlite3.connect(db)
con.executescript("UPDATE audit_log SET detail = 'alice 填报 dept:1' WHERE seq = 2;"
                  "DELETE FROM audit_log WHERE seq = 4;")
con.close()
rc, out, err = run("log", "verify", "--db", db)
ok(rc == 1 and "第 4 条" in err and "删除" in err, "SQLite: log verify finds a deleted entry: " + err.strip())

with PgServer() as pg:
    url = pg.create("cli_test")
    flow("PostgreSQL", url)
    rc, out = pg.psql("cli_test", "UPDATE audit_log SET detail = 'x' WHERE seq = 3")
    ok(rc != 0 and "append-only" in out, "PostgreSQL: the log refuses UPDATE: " + out)
    pg.psql("cli_test", "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET actor = 7 WHERE seq = 3")
    rc, out, err = run("log", "verify", "--db", url)
    ok(rc == 1 and "第 3 条" in err, "PostgreSQL: log verify finds a changed entry: " + err.strip())

done()
