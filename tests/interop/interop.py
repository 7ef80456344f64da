#!/usr/bin/env python3
"""Interoperability tests: pop3d driven by curl, by Python's poplib, by mpop
and fetchmail, and by small clients written here (SCRAM, OAUTHBEARER,
EXTERNAL, an STLS probe).

Run by tests/interop/run.sh (make check-interop), which installs the tools,
then calls:

    interop.py --pop3d PATH --tmp DIR --pidfile FILE [--no-curl] [--no-mpop]
               [--no-fetchmail] [--tls]

Everything runs on loopback against temporary copies of
tests/maildir-sample.  Each check prints "ok - name" or "FAIL - name: why";
the last line is "interop: N passed, N failed".  Every client has a
timeout, and every pop3d started here is recorded in the pid file so that
run.sh can kill it whatever happens.
"""
import argparse
import base64
import concurrent.futures
import hashlib
import hmac
import json
import os
import poplib
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(REPO, "tests", "maildir-sample")
T = 10  # seconds: the timeout of every client operation

passed = 0
failed = 0
args = None


def ok(name):
    global passed
    passed += 1
    print("ok - " + name, flush=True)


def fail(name, why):
    global failed
    failed += 1
    print("FAIL - %s: %s" % (name, why), flush=True)


def check(name):
    """Decorator: run a test function, count it, never let it escape."""
    def wrap(fn):
        def run(*a, **k):
            try:
                r = fn(*a, **k)
            except Exception as e:  # noqa: BLE001 - a test failure
                fail(name, "%s: %s" % (type(e).__name__, e))
                if os.environ.get("INTEROP_DEBUG"):
                    traceback.print_exc()
                return
            if r is None or r is True:
                ok(name)
            else:
                fail(name, r)
        run.__name__ = fn.__name__
        return run
    return wrap


# ---------------------------------------------------------------------------
# Messages: what the server should send

def norm(b):
    """Line-end normalisation: CRLF and lone CR become LF; a final line end
    is added if missing (the server adds CRLF there)."""
    b = b.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b and not b.endswith(b"\n"):
        b += b"\n"
    return b


def wire_size(b):
    return len(norm(b).replace(b"\n", b"\r\n"))


def top_of(b, k):
    text = norm(b)
    i = text.find(b"\n\n")
    if i < 0:
        return text
    head, body = text[:i + 2], text[i + 2:]
    lines = body.split(b"\n")[:-1]
    return head + b"".join(l + b"\n" for l in lines[:k])


def sort_key(name):
    m = re.match(r"\d+", name)
    return (int(m.group(0)) if m else 0, name)


def source_messages(maildir):
    """[(unique part, bytes)] in the order pop3d numbers them."""
    found = []
    for sub in ("cur", "new"):
        d = os.path.join(maildir, sub)
        if not os.path.isdir(d):
            continue
        for n in os.listdir(d):
            if n.startswith("."):
                continue
            full = n if (sub == "cur" or ":" in n) else n + ":2,"
            with open(os.path.join(d, n), "rb") as f:
                found.append((full, f.read()))
    found.sort(key=lambda x: sort_key(x[0]))
    return [(n.split(":")[0], b) for n, b in found]


def files_in(maildir):
    out = []
    for sub in ("cur", "new"):
        d = os.path.join(maildir, sub)
        if os.path.isdir(d):
            out += [sub + "/" + n for n in os.listdir(d) if not n.startswith(".")]
    return sorted(out)


def count_files(maildir):
    return len(files_in(maildir))


# ---------------------------------------------------------------------------
# The server

class Server:
    def __init__(self, name, mail, users, extra=(), tls=False):
        self.name = name
        self.log = os.path.join(args.tmp, name + ".log")
        cmd = [args.pop3d, "--mail-root", mail, "--users", users,
               "--listen", "127.0.0.1:0", "--verbose"]
        if tls:
            cmd += ["--tls-cert", args.cert, "--tls-key", args.key,
                    "--tls-listen", "127.0.0.1:0"]
        cmd += list(extra)
        self.logf = open(self.log, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=self.logf)
        with open(args.pidfile, "a") as f:
            f.write("%d\n" % self.proc.pid)
        self.port = self.tls_port = None
        deadline = time.time() + T
        while time.time() < deadline:
            text = self.text()
            if "at most" in text:
                break
            if self.proc.poll() is not None:
                raise RuntimeError("pop3d exited: " + text.strip())
            time.sleep(0.02)
        text = self.text()
        m = re.search(r"listening on 127\.0\.0\.1:(\d+) \(pop3[,)]", text)
        if not m:
            raise RuntimeError("no listening line in: " + text)
        self.port = int(m.group(1))
        m = re.search(r"listening on 127\.0\.0\.1:(\d+) \(pop3s", text)
        if m:
            self.tls_port = int(m.group(1))

    def text(self):
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, wait=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()
        return self.proc.returncode

    def wait_log(self, pattern, timeout=T):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.text())
            if m:
                return m
            time.sleep(0.02)
        return None


def pop(port, tls=False):
    if tls:
        return poplib.POP3_SSL("127.0.0.1", port, context=client_tls(), timeout=T)
    return poplib.POP3("127.0.0.1", port, timeout=T)


def client_tls():
    ctx = ssl.create_default_context(cafile=args.cert)
    return ctx


def retr_bytes(m, n):
    resp, lines, octets = m.retr(n)
    return b"\n".join(lines) + b"\n", resp


def expect_error(fn, code):
    try:
        r = fn()
    except poplib.error_proto as e:
        if code.encode() in e.args[0]:
            return None
        return "expected %s, got %r" % (code, e.args[0])
    return "expected -ERR %s, got %r" % (code, r)


# ---------------------------------------------------------------------------
# curl

def curl(*cmd, ok_codes=(0,)):
    full = ["curl", "-sS", "--max-time", str(T)] + list(cmd)
    r = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=T + 5)
    if r.returncode not in ok_codes:
        raise RuntimeError("curl exit %d: %s" % (r.returncode,
                                                 r.stderr.decode(errors="replace").strip()))
    return r.stdout


def curl_tests(srv, mail):
    url = "pop3://127.0.0.1:%d/" % srv.port
    alice = source_messages(os.path.join(mail, "alice"))

    @check("curl: LIST sizes are the CRLF sizes of the files")
    def _():
        out = curl("-u", "alice:wonderland", url).decode()
        got = [tuple(map(int, l.split())) for l in out.splitlines() if l.strip()]
        want = [(i + 1, wire_size(b)) for i, (_, b) in enumerate(alice)]
        return None if got == want else "LIST %r, expected %r" % (got, want)
    _()

    @check("curl: RETR of every message equals its file")
    def _():
        for i, (_, b) in enumerate(alice):
            got = curl("-u", "alice:wonderland", url + str(i + 1))
            if norm(got) != norm(b):
                return "message %d differs" % (i + 1)
    _()

    @check("curl: -X 'TOP n k'")
    def _():
        for n, k in ((1, 0), (2, 3), (3, 4), (4, 100)):
            got = curl("-u", "alice:wonderland", "-X", "TOP %d %d" % (n, k), url)
            if norm(got) != top_of(alice[n - 1][1], k):
                return "TOP %d %d differs: %r" % (n, k, got[:200])
    _()

    @check("curl: -X UIDL gives the Maildir unique names")
    def _():
        out = curl("-u", "alice:wonderland", "-X", "UIDL", url).decode()
        got = [l.split() for l in out.splitlines() if l.strip()]
        want = [[str(i + 1), u] for i, (u, _) in enumerate(alice)]
        return None if got == want else "UIDL %r, expected %r" % (got, want)
    _()

    @check("curl: -X DELE then QUIT removes the file")
    def _():
        carol = os.path.join(mail, "carol")
        before = files_in(carol)
        first = source_messages(carol)[0][0]
        curl("-u", "carol:carol-secret", "-X", "DELE", "-I", url + "1")
        after = files_in(carol)
        if len(after) != len(before) - 1:
            return "files before %d, after %d" % (len(before), len(after))
        if any(f.split("/")[1].startswith(first) for f in after):
            return "the deleted message is still there"
    _()

    @check("curl: TLS by STLS (--ssl-reqd) retrieves a message")
    def _():
        if not srv.tls_port:
            return None
        got = curl("--ssl-reqd", "--cacert", args.cert, "-u", "alice:wonderland",
                   url + "5")
        return None if norm(got) == norm(alice[4][1]) else "message differs"
    _()

    @check("curl: pop3s (implicit TLS) retrieves a message")
    def _():
        if not srv.tls_port:
            return None
        got = curl("--cacert", args.cert, "-u", "alice:wonderland",
                   "pop3s://localhost:%d/2" % srv.tls_port)
        return None if norm(got) == norm(alice[1][1]) else "message differs"
    _()

    @check("curl: a hashed user logs in with USER/PASS where APOP is not offered")
    def _():
        # bob has a crypt hash; curl prefers APOP and CRAM-MD5, which need a
        # plain secret, so this server runs with --no-apop.
        out = curl("-u", "bob:builder", "pop3://127.0.0.1:%d/" % args.noapop_port)
        return None if out.decode().split() == ["1", "246", "2", "227"] else repr(out)
    _()


# ---------------------------------------------------------------------------
# mpop and fetchmail: two more real clients, each with its own POP3 code

def run_client(argv, home, timeout=3 * T):
    env = dict(os.environ, HOME=home)
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env, timeout=timeout)
    return r.returncode, r.stdout.decode(errors="replace")


def private_file(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)


def maildir_contents(d):
    out = []
    for sub in ("new", "cur"):
        p = os.path.join(d, sub)
        for n in sorted(os.listdir(p)) if os.path.isdir(p) else ():
            with open(os.path.join(p, n), "rb") as f:
                out.append(f.read())
    return out


def same_messages(got, want):
    """got and want equal as multisets after line-end normalisation."""
    a = sorted(norm(b) for b in got)
    b = sorted(norm(b) for b in want)
    if len(a) != len(b):
        return "%d messages, expected %d" % (len(a), len(b))
    return None if a == b else "the messages differ from their files"


def mpop_tests(srv, mail):
    alice = source_messages(os.path.join(mail, "alice"))
    home = os.path.join(args.tmp, "mpop")
    os.makedirs(home, exist_ok=True)
    n = [0]

    def mpop(user, password, auth, keep=True, only_new=False, tls=False,
             uidls=None):
        """One mpop run into a fresh Maildir; returns (rc, output, messages).
        Each run has a UIDL file of its own unless uidls names one."""
        n[0] += 1
        box = os.path.join(home, "box%d" % n[0])
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(box, sub))
        conf = os.path.join(home, "mpoprc%d" % n[0])
        lines = ["account default", "host 127.0.0.1" if not tls else "host localhost",
                 "port %d" % srv.port, "user " + user, "password " + password,
                 "auth " + auth, "keep " + ("on" if keep else "off"),
                 "only_new " + ("on" if only_new else "off"),
                 "uidls_file " + os.path.join(home, uidls or "uidls%d" % n[0]),
                 "received_header off", "delivery maildir " + box, "timeout %d" % T]
        if tls:
            lines += ["tls on", "tls_starttls on", "tls_trust_file " + args.cert]
        else:
            lines += ["tls off"]
        private_file(conf, "\n".join(lines) + "\n")
        rc, out = run_client(["mpop", "-C", conf, "-d"], home)
        return rc, out, maildir_contents(box)

    @check("mpop: USER/PASS, every message delivered equals its file")
    def _():
        rc, out, got = mpop("alice", "wonderland", "user")
        if rc != 0:
            return "mpop exit %d: %s" % (rc, out[-400:])
        return same_messages(got, [b for _, b in alice])
    _()

    @check("mpop: APOP, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1 and SCRAM-SHA-256 each log in and fetch")
    def _():
        for auth, cmd in (("apop", "APOP alice"), ("plain", "AUTH PLAIN"),
                          ("login", "AUTH LOGIN"), ("cram-md5", "AUTH CRAM-MD5"),
                          ("scram-sha-1", "AUTH SCRAM-SHA-1"),
                          ("scram-sha-256", "AUTH SCRAM-SHA-256")):
            rc, out, got = mpop("alice", "wonderland", auth)
            if rc != 0:
                return "%s: mpop exit %d: %s" % (auth, rc, out[-400:])
            if "--> " + cmd not in out:
                return "%s: mpop did not send %r" % (auth, cmd)
            r = same_messages(got, [b for _, b in alice])
            if r:
                return auth + ": " + r
    _()

    @check("mpop: a wrong password fails cleanly and is reported as -ERR [AUTH]")
    def _():
        rc, out, got = mpop("alice", "not-the-password", "scram-sha-256")
        if rc == 0 or got:
            return "mpop exit %d with %d messages" % (rc, len(got))
        return None if "-ERR [AUTH]" in out else "no -ERR [AUTH] in: " + out[-400:]
    _()

    @check("mpop: only_new with UIDLs fetches nothing the second time")
    def _():
        rc, out, first = mpop("alice", "wonderland", "user", only_new=True,
                              uidls="uidls-only-new")
        if rc != 0 or len(first) != len(alice):
            return "first run: exit %d, %d messages" % (rc, len(first))
        rc, out, second = mpop("alice", "wonderland", "user", only_new=True,
                               uidls="uidls-only-new")
        if rc != 0:
            return "second run: exit %d: %s" % (rc, out[-400:])
        return None if not second else "%d messages fetched again" % len(second)
    _()

    @check("mpop: keep off deletes the delivered messages at QUIT")
    def _():
        box = os.path.join(mail, "mia")
        want = [b for _, b in source_messages(box)]
        rc, out, got = mpop("mia", "mia-secret", "plain", keep=False)
        if rc != 0:
            return "mpop exit %d: %s" % (rc, out[-400:])
        r = same_messages(got, want)
        if r:
            return r
        return None if count_files(box) == 0 else "%d files left" % count_files(box)
    _()

    @check("mpop: STLS with the test certificate checked")
    def _():
        if not srv.tls_port:
            return None
        rc, out, got = mpop("alice", "wonderland", "scram-sha-256", tls=True)
        if rc != 0:
            return "mpop exit %d: %s" % (rc, out[-400:])
        if "--> STLS" not in out:
            return "mpop did not send STLS"
        return same_messages(got, [b for _, b in alice])
    _()


def fetchmail_tests(srv, mail):
    alice = source_messages(os.path.join(mail, "alice"))
    home = os.path.join(args.tmp, "fetchmail")
    os.makedirs(home, exist_ok=True)
    n = [0]

    def fetchmail(user, password, opts="", keep=True):
        """One poll; each message goes to its own file through an MDA.
        Returns (rc, output, messages without the Received: header fetchmail
        adds)."""
        n[0] += 1
        out_dir = os.path.join(home, "out%d" % n[0])
        os.makedirs(out_dir)
        rc_file = os.path.join(home, "fetchmailrc%d" % n[0])
        mda = "/bin/sh -c 'cat > %s/$$'" % out_dir
        private_file(rc_file,
                     "set no syslog\n"
                     "poll 127.0.0.1 port %d protocol pop3 uidl timeout %d %s\n"
                     "  user \"%s\" password \"%s\" %s sslproto '' mda \"%s\"\n"
                     % (srv.port, T, opts, user, password,
                        "keep" if keep else "nokeep", mda))
        rc, out = run_client(["fetchmail", "-f", rc_file, "-v", "--idfile",
                              os.path.join(home, "ids%d" % n[0]), "--nosslcertck"], home)
        got = []
        for name in sorted(os.listdir(out_dir)):
            with open(os.path.join(out_dir, name), "rb") as f:
                b = f.read()
            lines = b.split(b"\n")
            if lines and lines[0].startswith(b"Received:"):
                i = 1
                while i < len(lines) and lines[i][:1] in (b" ", b"\t"):
                    i += 1
                b = b"\n".join(lines[i:])
            got.append(b)
        return rc, out, got

    @check("fetchmail: every message (TOP n 99999999) equals its file")
    def _():
        rc, out, got = fetchmail("alice", "wonderland")
        if rc != 0:
            return "fetchmail exit %d: %s" % (rc, out[-400:])
        return same_messages(got, [b for _, b in alice])
    _()

    @check("fetchmail: CRAM-MD5 logs in and fetches")
    def _():
        rc, out, got = fetchmail("alice", "wonderland", "auth cram-md5")
        if rc != 0:
            return "fetchmail exit %d: %s" % (rc, out[-400:])
        if "AUTH CRAM-MD5" not in out:
            return "fetchmail did not use CRAM-MD5"
        return same_messages(got, [b for _, b in alice])
    _()

    @check("fetchmail: nokeep deletes the fetched messages at QUIT")
    def _():
        box = os.path.join(mail, "finn")
        want = [b for _, b in source_messages(box)]
        rc, out, got = fetchmail("finn", "finn-secret", keep=False)
        if rc != 0:
            return "fetchmail exit %d: %s" % (rc, out[-400:])
        r = same_messages(got, want)
        if r:
            return r
        return None if count_files(box) == 0 else "%d files left" % count_files(box)
    _()


# ---------------------------------------------------------------------------
# poplib

def poplib_tests(srv, mail):
    alice = source_messages(os.path.join(mail, "alice"))
    bob = source_messages(os.path.join(mail, "bob"))

    @check("poplib: CAPA before login")
    def _():
        m = pop(srv.port)
        caps = m.capa()
        m.quit()
        need = ["TOP", "UIDL", "USER", "RESP-CODES", "PIPELINING"]
        if srv.tls_port:
            need.append("STLS")
        missing = [c for c in need if c not in caps]
        return None if not missing else "missing %s in %r" % (missing, caps)
    _()

    @check("poplib: USER/PASS with a crypt hash; STAT, LIST, RETR")
    def _():
        m = pop(srv.port)
        m.user("bob")
        m.pass_("builder")
        st = m.stat()
        want = (len(bob), sum(wire_size(b) for _, b in bob))
        if st != want:
            return "STAT %r, expected %r" % (st, want)
        lst = m.list()[1]
        if lst != [b"%d %d" % (i + 1, wire_size(b)) for i, (_, b) in enumerate(bob)]:
            return "LIST %r" % lst
        for i, (_, b) in enumerate(bob):
            got, resp = retr_bytes(m, i + 1)
            if norm(got) != norm(b):
                return "RETR %d differs" % (i + 1)
            if resp != b"+OK %d octets" % wire_size(b):
                return "RETR status %r" % resp
        m.quit()
    _()

    @check("poplib: APOP; UIDL, TOP, RETR of every message (dots, no final "
           "newline, MIME, 8-bit UTF-8)")
    def _():
        m = pop(srv.port)
        m.apop("alice", "wonderland")
        uidl = m.uidl()[1]
        if uidl != [b"%d %s" % (i + 1, u.encode()) for i, (u, _) in enumerate(alice)]:
            return "UIDL %r" % uidl
        for i, (_, b) in enumerate(alice):
            got, _r = retr_bytes(m, i + 1)
            if norm(got) != norm(b):
                return "RETR %d differs:\n%r\n%r" % (i + 1, got, b)
            top = m.top(i + 1, 2)[1]
            if norm(b"\n".join(top) + b"\n") != top_of(b, 2):
                return "TOP %d 2 differs" % (i + 1)
        m.quit()
    _()

    @check("poplib: DELE, RSET, QUIT deletes nothing")
    def _():
        before = files_in(os.path.join(mail, "alice"))
        m = pop(srv.port)
        m.user("alice")
        m.pass_("wonderland")
        m.dele(1)
        m.dele(3)
        if m.stat()[0] != len(alice) - 2:
            return "STAT after DELE: %r" % (m.stat(),)
        m.rset()
        if m.stat()[0] != len(alice):
            return "STAT after RSET: %r" % (m.stat(),)
        m.quit()
        after = files_in(os.path.join(mail, "alice"))
        # new/ was moved to cur/ at the first login: compare unique names.
        u = lambda fs: sorted(f.split("/")[1].split(":")[0] for f in fs)
        return None if u(before) == u(after) else "files changed"
    _()

    @check("poplib: DELE, QUIT unlinks exactly the deleted files")
    def _():
        carol = os.path.join(mail, "carol")
        msgs = source_messages(carol)
        m = pop(srv.port)
        m.user("carol")
        m.pass_("carol-secret")
        m.dele(2)
        r = m.quit()
        if b"1 message deleted" not in r:
            return "QUIT said %r" % r
        left = [x[0] for x in source_messages(carol)]
        want = [x[0] for i, x in enumerate(msgs) if i != 1]
        return None if left == want else "left %r, expected %r" % (left, want)
    _()

    @check("poplib: wrong password -> -ERR [AUTH]")
    def _():
        m = pop(srv.port)
        m.user("alice")
        r = expect_error(lambda: m.pass_("wrong"), "[AUTH]")
        m.quit()
        return r
    _()

    @check("poplib: APOP for a user with a crypt hash -> -ERR [AUTH]")
    def _():
        m = pop(srv.port)
        r = expect_error(lambda: m.apop("bob", "builder"), "[AUTH]")
        m.quit()
        return r
    _()

    @check("server log: failed logins are logged with user and peer")
    def _():
        if not srv.wait_log(r"auth failed: user=alice peer=127\.0\.0\.1:\d+"):
            return "no 'auth failed' line for alice"
        if not srv.wait_log(r"auth failed: user=bob peer=127\.0\.0\.1:\d+"):
            return "no 'auth failed' line for bob"
    _()

    if srv.tls_port:
        @check("poplib: POP3_SSL (implicit TLS), USER/PASS, RETR")
        def _():
            m = pop(srv.tls_port, tls=True)
            m.user("bob")
            m.pass_("builder")
            got, _r = retr_bytes(m, 1)
            m.quit()
            return None if norm(got) == norm(bob[0][1]) else "RETR differs"
        _()

        @check("poplib: POP3_SSL, RETR of a 4 MB message (bulk writes through TLS)")
        def _():
            want = source_messages(os.path.join(mail, "dave"))[0][1]
            m = pop(srv.tls_port, tls=True)
            m.user("dave")
            m.pass_("dave-secret")
            got, _r = retr_bytes(m, 1)
            m.quit()
            return None if norm(got) == norm(want) else "RETR differs (%d octets)" % len(got)
        _()

        @check("poplib: STLS, then APOP and RETR over TLS")
        def _():
            m = pop(srv.port)
            m.stls(client_tls())
            caps = m.capa()
            if "STLS" in caps:
                return "STLS still offered after TLS: %r" % caps
            m.apop("alice", "wonderland")
            got, _r = retr_bytes(m, 2)
            m.quit()
            return None if norm(got) == norm(alice[1][1]) else "RETR differs"
        _()

    @check("pipelining: 40 commands in one write are answered in order")
    def _():
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=T)
        f = s.makefile("rb")
        f.readline()
        cmds = b"USER bob\r\nPASS builder\r\n" + b"NOOP\r\nSTAT\r\n" * 19 + b"QUIT\r\n"
        s.sendall(cmds)
        lines = [f.readline() for _ in range(2 + 38 + 1)]
        f.close()
        s.close()
        want = [b"+OK send PASS"] + [b"+OK maildrop"] + \
            [b"+OK noop", b"+OK 2 473"] * 19 + [b"+OK bye"]
        for g, w in zip(lines, want):
            if not g.startswith(w):
                return "got %r, expected %r..." % (g, w)
    _()


# ---------------------------------------------------------------------------
# Interruptions and locks

def raw_login(port, user, password):
    s = socket.create_connection(("127.0.0.1", port), timeout=T)
    f = s.makefile("rb")
    assert f.readline().startswith(b"+OK")
    s.sendall(b"USER %s\r\nPASS %s\r\n" % (user.encode(), password.encode()))
    assert f.readline().startswith(b"+OK")
    line = f.readline()
    return s, f, line


def interruption_tests(srv, mail):
    dave = os.path.join(mail, "dave")
    carol = os.path.join(mail, "carol")

    @check("client killed in the middle of RETR: nothing deleted")
    def _():
        before = files_in(dave)
        s, f, line = raw_login(srv.port, "dave", "dave-secret")
        if not line.startswith(b"+OK"):
            return "login: %r" % line
        s.sendall(b"DELE 2\r\n")
        if not f.readline().startswith(b"+OK"):
            return "DELE failed"
        s.sendall(b"RETR 1\r\n")
        status = f.readline()
        if not status.startswith(b"+OK"):
            return "RETR: %r" % status
        got = f.read(100000)
        if len(got) < 100000:
            return "short read"
        # Reset the connection in the middle of the 4 MB message.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        f.close()                       # (the file object holds the socket)
        s.close()
        if not srv.wait_log(r"user=dave end=(eof|abort)"):
            return "no end-of-session line for dave"
        if files_in(dave) != before:
            return "files changed: %r" % files_in(dave)
        m = pop(srv.port)
        m.user("dave")
        m.pass_("dave-secret")
        n = m.stat()[0]
        m.quit()
        return None if n == len(before) else "STAT %d after the reset" % n
    _()

    @check("RETR of 4 MB then QUIT, pipelined, read slowly: every octet, then the bye")
    def _():
        # pop3d gathers bulk output beyond the engine's window, which counts
        # it sent at once and closes after QUIT: the gathered part must
        # still reach a slow reader, in order, before the connection ends.
        # --stdio writes into a pipe, made one page small, so the reader's
        # pace, not a socket buffer of megabytes, decides when pop3d may
        # write.
        want = norm(source_messages(dave)[0][1])
        p = subprocess.Popen([args.pop3d, "--mail-root", args.mail, "--users",
                              args.users, "--stdio"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            try:   # Linux: a one-page pipe, so nearly every write is partial
                import fcntl
                fcntl.fcntl(p.stdout.fileno(), 1031, 4096)      # F_SETPIPE_SZ
            except (ImportError, OSError):
                pass
            p.stdin.write(b"USER dave\r\nPASS dave-secret\r\nRETR 1\r\nQUIT\r\n")
            p.stdin.close()
            time.sleep(0.5)             # the pipe fills up meanwhile
            chunks = []
            deadline = time.time() + 3 * T
            while time.time() < deadline:
                b = os.read(p.stdout.fileno(), 4096)
                if not b:
                    break
                chunks.append(b)
            data = b"".join(chunks)
            p.wait(T)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        for _ in range(3):                    # greeting, USER, PASS
            line, _, data = data.partition(b"\r\n")
            if not line.startswith(b"+OK"):
                return "login: %r" % line
        head, sep, rest = data.partition(b"\r\n")
        if not head.startswith(b"+OK"):
            return "RETR: %r" % head
        end = b"\r\n.\r\n+OK bye, 0 messages deleted\r\n"
        if not rest.endswith(end):
            return "the reply does not end with the terminator and the bye: %r" % rest[-80:]
        body = rest[:-len(end) + 2].split(b"\r\n")[:-1]
        got = b"".join((l[1:] if l.startswith(b".") else l) + b"\n" for l in body)
        return None if got == want else "the message differs (%d octets, want %d)" % (
            len(got), len(want))
    _()

    @check("client process killed after DELEs: nothing deleted")
    def _():
        before = files_in(carol)
        code = (
            "import poplib, os, signal, sys\n"
            "m = poplib.POP3('127.0.0.1', %d, timeout=%d)\n"
            "m.user('carol'); m.pass_('carol-secret')\n"
            "n = m.stat()[0]\n"
            "for i in range(1, n + 1): m.dele(i)\n"
            "print(n, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n" % (srv.port, T))
        r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=T + 5)
        if r.returncode != -signal.SIGKILL:
            return "the client did not die as planned: %r" % r.stderr
        if int(r.stdout.strip() or 0) != len(before):
            return "the client marked %r of %d" % (r.stdout, len(before))
        if not srv.wait_log(r"user=carol end=eof retr=0/0 top=0/0 dele=%d auth" % len(before)):
            return "no end=eof line with the DELE count for carol"
        return None if files_in(carol) == before else "files changed"
    _()

    @check("two logins to one maildrop: the second gets -ERR [IN-USE]")
    def _():
        a = pop(srv.port)
        a.user("alice")
        a.pass_("wonderland")
        b = pop(srv.port)
        b.user("alice")
        r = expect_error(lambda: b.pass_("wonderland"), "[IN-USE]")
        if r:
            return r
        # APOP too, and the session stays usable for a later attempt.
        r = expect_error(lambda: b.apop("alice", "wonderland"), "[IN-USE]")
        if r:
            return r
        a.quit()
        b.user("alice")
        b.pass_("wonderland")
        b.quit()
    _()

    @check("the lock holds across processes: pop3d --stdio gets [IN-USE]")
    def _():
        a = pop(srv.port)
        a.user("alice")
        a.pass_("wonderland")
        try:
            out = run_stdio(b"USER alice\r\nPASS wonderland\r\nQUIT\r\n")
        finally:
            a.quit()
        return None if b"-ERR [IN-USE]" in out else "stdio said %r" % out
    _()

    @check("the lock holds the other way: a --stdio session holds it, the daemon "
           "gets [IN-USE]; killing that pop3d (SIGKILL) frees it")
    def _():
        cmd = [args.pop3d, "--mail-root", args.mail, "--users", args.users, "--stdio"]
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        with open(args.pidfile, "a") as f:
            f.write("%d\n" % p.pid)
        try:
            p.stdin.write(b"USER alice\r\nPASS wonderland\r\n")
            p.stdin.flush()
            r, _w, _x = select.select([p.stdout], [], [], T)
            if not r:
                return "no greeting from --stdio"
            lines = [p.stdout.readline() for _ in range(3)]
            if not lines[2].startswith(b"+OK"):
                return "--stdio login: %r" % lines
            b = pop(srv.port)
            b.user("alice")
            r = expect_error(lambda: b.pass_("wonderland"), "[IN-USE]")
            if r:
                return "daemon while --stdio holds the lock: " + r
            p.kill()                    # no QUIT, no clean-up: a crash
            p.wait(T)
            b.user("alice")
            b.pass_("wonderland")       # the kernel dropped the dead process's lock
            b.quit()
        finally:
            if p.poll() is None:
                p.kill()
                p.wait(T)
    _()


# ---------------------------------------------------------------------------
# --stdio

def run_stdio(script, extra=()):
    cmd = [args.pop3d, "--mail-root", args.mail, "--users", args.users, "--stdio"]
    cmd += list(extra)
    r = subprocess.run(cmd, input=script, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=T)
    return r.stdout


def unstuff(lines):
    return [l[1:] if l.startswith(b".") else l for l in lines]


def stdio_tests(mail):
    bob = source_messages(os.path.join(mail, "bob"))

    @check("--stdio: a whole session on a pipe (USER/PASS, RETR, TOP, QUIT)")
    def _():
        out = run_stdio(b"CAPA\r\nUSER bob\r\nPASS builder\r\nSTAT\r\nRETR 1\r\n"
                        b"TOP 2 1\r\nQUIT\r\n")
        lines = out.split(b"\r\n")
        if not lines[0].startswith(b"+OK POP3 server ready"):
            return "greeting %r" % lines[0]
        i = lines.index(b"+OK 246 octets")
        j = lines.index(b".", i)
        body = b"\n".join(unstuff(lines[i + 1:j])) + b"\n"
        if norm(body) != norm(bob[0][1]):
            return "RETR differs"
        if not out.endswith(b"+OK bye, 0 messages deleted\r\n"):
            return "end %r" % out[-60:]
    _()

    @check("--stdio: end of input without QUIT deletes nothing")
    def _():
        before = files_in(os.path.join(mail, "bob"))
        run_stdio(b"USER bob\r\nPASS builder\r\nDELE 1\r\nDELE 2\r\n")
        return None if files_in(os.path.join(mail, "bob")) == before else "deleted"
    _()

    @check("--stdio: DELE + QUIT deletes the file")
    def _():
        out = run_stdio(b"USER bob\r\nPASS builder\r\nDELE 2\r\nQUIT\r\n")
        if b"+OK bye, 1 message deleted" not in out:
            return repr(out)
        return None if count_files(os.path.join(mail, "bob")) == 1 else "not deleted"
    _()


# ---------------------------------------------------------------------------
# Many connections, SIGTERM, start-up errors

def fd_kinds(pid):
    """(sockets, other descriptors) of a process, or None without /proc."""
    d = "/proc/%d/fd" % pid
    socks = other = 0
    try:
        names = os.listdir(d)
    except OSError:
        return None
    for fd in names:
        try:
            target = os.readlink(os.path.join(d, fd))
        except OSError:
            continue                    # closed meanwhile
        if target.startswith("socket:"):
            socks += 1
        else:
            other += 1
    return socks, other


def load_test(srv, n=200):
    @check("%d concurrent connections: all greeted, all logged in (one descriptor "
           "each), all closed" % n)
    def _():
        socks, files = [], []
        fds0 = fd_kinds(srv.proc.pid)
        try:
            for _ in range(n):
                socks.append(socket.create_connection(("127.0.0.1", srv.port), timeout=T))
            files += [s.makefile("rb") for s in socks]
            for f in files:
                if not f.readline().startswith(b"+OK"):
                    return "no greeting"
            # Each one its own maildrop (user0..userN-1, empty Maildirs).
            for i, s in enumerate(socks):
                s.sendall(b"USER user%d\r\nPASS pw%d\r\nSTAT\r\n" % (i, i))
            for f in files:
                r = [f.readline() for _ in range(3)]
                if not r[2].startswith(b"+OK 0 0"):
                    return "got %r" % r
            # Logged in and idle, a session holds its socket and nothing
            # else (the maildrop locks share one file per process).
            fds = fd_kinds(srv.proc.pid)
            if fds and fds0:
                other = fds[1] - fds0[1]
                if other > 3 or fds[0] + fds[1] - fds0[0] - fds0[1] > n + 3:
                    return "%d logged-in sessions hold %d sockets and %d other " \
                           "descriptors" % (n, fds[0] - fds0[0], other)
            for s in socks:
                s.sendall(b"QUIT\r\n")
            for f in files:
                if not f.readline().startswith(b"+OK bye"):
                    return "no bye"
        finally:
            for f in files:
                f.close()
            for s in socks:
                s.close()
    _()


def sigterm_tests(mail):
    @check("SIGTERM: listeners close at once; a session in progress may finish")
    def _():
        srv = Server("sigterm", mail, args.users)
        m = pop(srv.port)
        m.user("bob")
        m.pass_("builder")
        srv.proc.send_signal(signal.SIGTERM)
        if not srv.wait_log("SIGTERM: not accepting"):
            return "no SIGTERM log line"
        try:
            socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
            return "still accepting connections"
        except OSError:
            pass
        if srv.proc.poll() is not None:
            return "exited before the session ended"
        st = m.stat()                       # still served
        m.quit()
        try:
            srv.proc.wait(5)
        except subprocess.TimeoutExpired:
            return "did not exit after its last session"
        srv.stop()
        want = count_files(os.path.join(mail, "bob"))
        return None if st[0] == want and srv.proc.returncode == 0 else \
            "stat %r, exit %r" % (st, srv.proc.returncode)
    _()

    @check("SIGTERM twice: the remaining sessions are aborted, nothing deleted")
    def _():
        before = files_in(os.path.join(mail, "bob"))
        srv = Server("sigterm2", mail, args.users)
        m = pop(srv.port)
        m.user("bob")
        m.pass_("builder")
        m.dele(1)
        srv.proc.send_signal(signal.SIGTERM)
        srv.wait_log("SIGTERM: not accepting")
        srv.proc.send_signal(signal.SIGTERM)
        try:
            srv.proc.wait(5)
        except subprocess.TimeoutExpired:
            return "did not exit"
        srv.stop()
        if "note=server shutdown" not in srv.text():
            return "no shutdown note in the log"
        return None if files_in(os.path.join(mail, "bob")) == before else "deleted"
    _()


def startup_error_tests(mail):
    def run(argv, inp=None):
        r = subprocess.run([args.pop3d] + argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=T, input=inp)
        return r.returncode, r.stderr.decode(errors="replace")

    @check("start-up: a bad users file is refused, with line numbers")
    def _():
        bad = os.path.join(args.tmp, "bad-users")
        with open(bad, "w") as f:
            f.write("# comment\n\nok:{PLAIN}fine\nnocolon\n../x:pw\n"
                    "h:{SHA512-CRYPT}notahash\nok:{PLAIN}again\nz:{FOO}x\n"
                    "s1:{SCRAM-SHA-256}4096$c2FsdA==$AAAA$AAAA\n"
                    "s2:{SCRAM-SHA-1}0$c2FsdA==$%s$%s\n"
                    "s3:{SCRAM-SHA-256}4096$not base64$x$y\n"
                    "n:{NONE}x\n" % (b64(b"k" * 20), b64(b"k" * 20)))
        code, err = run(["--mail-root", mail, "--users", bad, "--stdio"], b"")
        for want in (":4: expected user:secret", ":5: bad user name",
                     ":6: the hash does not match", ":7: duplicate user ok",
                     ":8: unknown scheme", ":9: bad SCRAM StoredKey (base64 of 32",
                     ":10: SCRAM iteration count out of range",
                     ":11: bad SCRAM salt", ":12: {NONE} takes nothing",
                     "9 bad lines", "refusing to start"):
            if want not in err:
                return "missing %r in %r" % (want, err)
        return None if code == 1 else "exit %d" % code
    _()

    @check("start-up: a bad OAuth tokens file is refused, with line numbers")
    def _():
        bad = os.path.join(args.tmp, "bad-tokens")
        with open(bad, "w") as f:
            f.write("# token user\ngood.token alice\nonlytoken\nbad*token bob\n"
                    "good.token carol\nt2 ../x\nt3 alice extra\n")
        code, err = run(["--mail-root", mail, "--users", args.users,
                         "--oauth-tokens", bad, "--stdio"], b"")
        for want in (":3: expected: token user", ":4: bad token", ":5: duplicate token",
                     ":6: bad user name", ":7: expected: token user", "5 bad lines",
                     "refusing to start"):
            if want not in err:
                return "missing %r in %r" % (want, err)
        return None if code == 1 else "exit %d" % code
    _()

    @check("start-up: bad options and missing mail root are clear errors")
    def _():
        code, err = run(["--bogus"])
        if code != 2 or "bogus" not in err:
            return "--bogus: %d %r" % (code, err)
        code, err = run(["--mail-root", mail, "--users", args.users,
                         "--max-sessions", "zero", "--stdio"])
        if code != 2 or "--max-sessions" not in err:
            return "--max-sessions: %d %r" % (code, err)
        code, err = run(["--mail-root", os.path.join(args.tmp, "nope"),
                         "--users", args.users, "--stdio"])
        if code != 1 or "No such file" not in err:
            return "mail root: %d %r" % (code, err)
        code, err = run(["--mail-root", mail, "--users", args.users])
        if code != 2 or "--listen" not in err:
            return "nothing to serve: %d %r" % (code, err)
        code, err = run(["--mail-root", mail, "--users", args.users, "--stdio",
                         "--sasl", "PLAIN,GSSAPI"])
        if code != 2 or "unknown mechanism 'GSSAPI'" not in err:
            return "--sasl GSSAPI: %d %r" % (code, err)
        if args.tls:
            code, err = run(["--mail-root", mail, "--users", args.users, "--stdio",
                             "--tls-client-ca", args.cert])
            if code != 2 or "--tls-client-ca needs --tls-cert" not in err:
                return "--tls-client-ca alone: %d %r" % (code, err)
    _()

    @check("start-up: a port in use is a clear error")
    def _():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        try:
            code, err = run(["--mail-root", mail, "--users", args.users,
                             "--listen", "127.0.0.1:%d" % port])
        finally:
            s.close()
        want = "cannot listen on 127.0.0.1:%d: Address already in use" % port
        return None if code == 1 and want in err else "%d %r" % (code, err)
    _()


# ---------------------------------------------------------------------------
# Authentication: every SASL mechanism pop3d offers, over STLS and implicit
# TLS, driven by curl where curl speaks it (PLAIN, LOGIN, CRAM-MD5,
# OAUTHBEARER, XOAUTH2, EXTERNAL) and by the clients below where it does not
# (SCRAM) or where the test needs to look at single lines.

TOKENS = {"alice": "tok.alice.0123456789", "bob": "tok.bob.abcdef-_~+/=="}


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def tls_context(cert=None):
    """Trusts the server's test certificate; cert = (pem, key) to present."""
    ctx = ssl.create_default_context(cafile=args.cert)
    if cert:
        ctx.load_cert_chain(cert[0], cert[1])
    return ctx


class Conn:
    """A POP3 connection read line by line: plain, implicit TLS, or STLS."""

    def __init__(self, port, tls=False, cert=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=T)
        if tls:
            self.sock = tls_context(cert).wrap_socket(self.sock,
                                                      server_hostname="localhost")
        self.f = self.sock.makefile("rb")
        self.greeting = self.line()

    def line(self):
        return self.f.readline().rstrip(b"\r\n")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def cmd(self, text):
        self.send(text)
        return self.line()

    def capa(self):
        first = self.cmd("CAPA")
        if not first.startswith(b"+OK"):
            raise RuntimeError("CAPA: %r" % first)
        out = []
        while True:
            l = self.line()
            if l == b".":
                return [x.decode() for x in out]
            out.append(l)

    def mechs(self):
        for c in self.capa():
            if c.startswith("SASL "):
                return c.split()[1:]
        return []

    def stls(self, cert=None):
        r = self.cmd("STLS")
        if r != b"+OK begin TLS negotiation":
            raise RuntimeError("STLS: %r" % r)
        self.sock = tls_context(cert).wrap_socket(self.sock, server_hostname="localhost")
        self.f = self.sock.makefile("rb")

    def close(self):
        try:
            self.send("QUIT")
            self.line()
        except OSError:
            pass
        self.f.close()
        self.sock.close()


def scram_login(conn, mech, user, password, tamper=False):
    """The client side of RFC 5802 (SCRAM-SHA-1) and RFC 7677 (-256), with
    hashlib and hmac.  Returns (final reply, salt, iterations).  When the
    server sends its signature (v=), checks it first: a wrong one raises."""
    h = "sha1" if mech == "SCRAM-SHA-1" else "sha256"
    cnonce = b64(os.urandom(18))
    gs2 = "n,,"
    bare = "n=%s,r=%s" % (user.replace("=", "=3D").replace(",", "=2C"), cnonce)
    r = conn.cmd("AUTH %s %s" % (mech, b64(gs2 + bare)))
    if not r.startswith(b"+ "):
        raise RuntimeError("no server-first-message: %r" % r)
    first = base64.b64decode(r[2:]).decode()
    at = dict(kv.split("=", 1) for kv in first.split(","))
    nonce, salt, it = at["r"], base64.b64decode(at["s"]), int(at["i"])
    if not nonce.startswith(cnonce) or len(nonce) == len(cnonce):
        raise RuntimeError("bad server nonce %r" % nonce)
    salted = hashlib.pbkdf2_hmac(h, password.encode(), salt, it)
    client_key = hmac.new(salted, b"Client Key", h).digest()
    stored_key = hashlib.new(h, client_key).digest()
    without_proof = "c=%s,r=%s" % (b64(gs2), nonce)
    auth_msg = ("%s,%s,%s" % (bare, first, without_proof)).encode()
    sig = hmac.new(stored_key, auth_msg, h).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, sig))
    if tamper:
        proof = bytes([proof[0] ^ 1]) + proof[1:]
    r = conn.cmd(b64("%s,p=%s" % (without_proof, b64(proof))))
    if r.startswith(b"+ "):
        final = base64.b64decode(r[2:]).decode()
        server_key = hmac.new(salted, b"Server Key", h).digest()
        want = "v=" + b64(hmac.new(server_key, auth_msg, h).digest())
        if final != want:
            raise RuntimeError("wrong server signature %r (expected %r)" % (final, want))
        r = conn.cmd("")                # the empty response to v=
    return r, salt, it


def curl_v(url, *opts):
    """curl -v: (exit code, body, verbose text)."""
    cmd = ["curl", "-sS", "-v", "--max-time", str(T)]
    if args.tls:
        cmd += ["--cacert", args.cert]
    r = subprocess.run(cmd + list(opts) + [url], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=T + 5)
    return (r.returncode, r.stdout.decode(errors="replace"),
            r.stderr.decode(errors="replace"))


def openssl(*argv):
    r = subprocess.run(["openssl"] + list(argv), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (argv[0], r.stderr.decode(errors="replace")))


def make_client_certs():
    """A client CA, certificates it signs for alice (CN) and
    grace@example.org (emailAddress), and a self-signed "alice" it did not
    sign.  EC keys: quick to make."""
    d = args.tmp
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-days", "1", "-subj", "/CN=pop3d interop client CA",
            "-keyout", os.path.join(d, "ca.key"), "-out", os.path.join(d, "ca.pem"))
    certs = {}
    for name, subj in (("alice", "/CN=alice"),
                       ("grace", "/CN=Grace Hopper/emailAddress=grace@example.org")):
        key, csr, pem = (os.path.join(d, name + x) for x in (".key", ".csr", ".pem"))
        openssl("req", "-new", *ec, "-subj", subj, "-keyout", key, "-out", csr)
        openssl("x509", "-req", "-in", csr, "-CA", os.path.join(d, "ca.pem"),
                "-CAkey", os.path.join(d, "ca.key"), "-set_serial", str(len(certs) + 2),
                "-days", "1", "-out", pem)
        certs[name] = (pem, key)
    key, pem = os.path.join(d, "rogue.key"), os.path.join(d, "rogue.pem")
    openssl("req", "-x509", *ec, "-days", "1", "-subj", "/CN=alice",
            "-keyout", key, "-out", pem)
    certs["rogue"] = (pem, key)
    return certs


def parallel(tests):
    """Run (name, fn) pairs at once - each failed login costs libpop3's 2 s
    delay - and report them in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(tests)) as ex:
        futs = [(name, ex.submit(fn)) for name, fn in tests]
        for name, fut in futs:
            try:
                r = fut.result(timeout=T + 10)
            except Exception as e:  # noqa: BLE001 - a test failure
                r = "%s: %s" % (type(e).__name__, e)
            if r is None:
                ok(name)
            else:
                fail(name, r)


def auth_users(mail):
    """The users file of the auth server: the interop users, plus henry and
    ivy made by pop3d --scram-hash, and grace@example.org without a
    password (client certificate only).  The tokens file."""
    users = os.path.join(args.tmp, "users-auth")
    shutil.copy(args.users, users)
    lines = []
    for name, mech, pw in (("henry", "SCRAM-SHA-256", "hen-house"),
                           ("ivy", "SCRAM-SHA-1", "ivy-league")):
        r = subprocess.run([args.pop3d, "--scram-hash", mech], input=pw.encode() + b"\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=T)
        if r.returncode != 0:
            raise RuntimeError("--scram-hash: %r" % r.stderr)
        lines.append("%s:%s" % (name, r.stdout.decode().strip()))
    lines.append("grace@example.org:{NONE}")
    with open(users, "a") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(users, 0o600)
    tokens = os.path.join(args.tmp, "tokens")
    with open(tokens, "w") as f:
        f.write("# token user\n")
        for u, t in TOKENS.items():
            f.write("%s %s\n" % (t, u))
    os.chmod(tokens, 0o600)
    return users, tokens, lines


def auth_tests(mail):
    alice = source_messages(os.path.join(mail, "alice"))
    want_list = [(i + 1, wire_size(b)) for i, (_, b) in enumerate(alice)]
    users, tokens, made = auth_users(mail)
    trace = os.path.join(args.tmp, "trace-auth")
    extra = ["--oauth-tokens", tokens, "--trace", trace]
    certs = {}
    if args.tls:
        certs = make_client_certs()
        extra += ["--tls-client-ca", os.path.join(args.tmp, "ca.pem")]
    srv = Server("auth", mail, users, extra=extra, tls=args.tls)
    # curl 7.88 uses OAUTHBEARER whenever the server offers it, whatever
    # --login-options says (curl/curl#10259): a server offering XOAUTH2
    # alone makes it use XOAUTH2.
    xo = Server("xoauth2", mail, users, tls=args.tls,
                extra=["--oauth-tokens", tokens, "--sasl", "XOAUTH2"])
    try:
        _auth_tests(srv, xo, certs, want_list, made, trace)
    finally:
        srv.stop()
        xo.stop()


def _auth_tests(srv, xo, certs, want_list, made, trace):
    tls = bool(srv.tls_port)
    # Transports: STLS on the plain port (curl --ssl-reqd), implicit TLS.
    # Without TLS: the plain port, which is protected because it is
    # loopback.
    if tls:
        transports = [("STLS", lambda s: "pop3://127.0.0.1:%d/" % s.port, ["--ssl-reqd"]),
                      ("pop3s", lambda s: "pop3s://localhost:%d/" % s.tls_port, [])]
    else:
        transports = [("plain", lambda s: "pop3://127.0.0.1:%d/" % s.port, [])]

    @check("auth: --scram-hash writes SCRAM lines that hashlib agrees with")
    def _():
        for line in made[:2]:
            m = re.match(r"(\w+):\{(SCRAM-SHA-1|SCRAM-SHA-256)\}4096\$([^$]+)\$([^$]+)\$([^$]+)$",
                         line)
            if not m:
                return "line %r" % line
            pw = {"henry": b"hen-house", "ivy": b"ivy-league"}[m.group(1)]
            h = "sha1" if m.group(2) == "SCRAM-SHA-1" else "sha256"
            salted = hashlib.pbkdf2_hmac(h, pw, base64.b64decode(m.group(3)), 4096)
            ck = hmac.new(salted, b"Client Key", h).digest()
            if base64.b64decode(m.group(4)) != hashlib.new(h, ck).digest() or \
                    base64.b64decode(m.group(5)) != hmac.new(salted, b"Server Key", h).digest():
                return "keys of %r differ from hashlib's" % line
    _()

    @check("auth: CAPA offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 "
           "OAUTHBEARER XOAUTH2, not EXTERNAL, on the plain port")
    def _():
        c = Conn(srv.port)
        got = c.mechs()
        c.close()
        want = ["PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
                "OAUTHBEARER", "XOAUTH2"]
        return None if got == want else "SASL %r" % got
    _()

    if tls:
        @check("auth: EXTERNAL is offered only over TLS with a verified client "
               "certificate (implicit TLS, STLS; none, untrusted, trusted)")
        def _():
            c = Conn(srv.tls_port, tls=True)
            no_cert = c.mechs()
            c.close()
            c = Conn(srv.tls_port, tls=True, cert=certs["rogue"])
            rogue = c.mechs()
            c.close()
            c = Conn(srv.tls_port, tls=True, cert=certs["alice"])
            good = c.mechs()
            c.close()
            c = Conn(srv.port)
            before = c.capa()
            c.stls(certs["alice"])
            after = c.capa()               # the first reply inside TLS
            c.close()
            if "EXTERNAL" in no_cert or "EXTERNAL" in rogue:
                return "EXTERNAL without a trusted certificate: %r %r" % (no_cert, rogue)
            if good[-1:] != ["EXTERNAL"]:
                return "implicit TLS with a certificate: %r" % good
            if any("EXTERNAL" in l for l in before) or "STLS" not in before:
                return "before STLS: %r" % before
            sasl = [l for l in after if l.startswith("SASL ")]
            if "STLS" in after or not sasl or not sasl[0].endswith(" EXTERNAL"):
                return "after STLS: %r" % after
            if not srv.wait_log(r"client certificate not verified: .*EXTERNAL not offered"):
                return "no log line for the untrusted certificate"
        _()

        @check("auth: after STLS with a client certificate, APOP still works "
               "(the greeting's timestamp survives the remade session)")
        def _():
            m = poplib.POP3("127.0.0.1", srv.port, timeout=T)
            m.stls(context=tls_context(certs["alice"]))
            m.apop("alice", "wonderland")
            n = m.stat()[0]
            m.quit()
            return None if n == len(want_list) else "STAT %d" % n
        _()

    # curl, every mechanism it speaks, each transport.
    tok = TOKENS["alice"]
    cases = [
        ("PLAIN", srv, ["-u", "alice:wonderland", "--login-options", "AUTH=PLAIN"]),
        ("LOGIN", srv, ["-u", "alice:wonderland", "--login-options", "AUTH=LOGIN"]),
        ("CRAM-MD5", srv, ["-u", "alice:wonderland", "--login-options", "AUTH=CRAM-MD5"]),
        ("OAUTHBEARER", srv, ["-u", "alice:", "--oauth2-bearer", tok,
                              "--login-options", "AUTH=OAUTHBEARER"]),
        ("XOAUTH2", xo, ["-u", "alice:", "--oauth2-bearer", tok]),
    ]
    if tls:
        cases.append(("EXTERNAL", srv, ["-u", "alice:", "--login-options", "AUTH=EXTERNAL",
                                        "--cert", certs["alice"][0],
                                        "--key", certs["alice"][1]]))
    if args.no_curl:
        cases = []
    for tname, url, topts in transports:
        for mech, server, opts in cases:
            irs = (False, True) if mech in ("PLAIN", "OAUTHBEARER", "XOAUTH2",
                                            "EXTERNAL") else (False,)
            for ir in irs:
                name = "curl %s: AUTH %s%s" % (tname, mech, " --sasl-ir" if ir else "")

                @check(name)
                def _(server=server, url=url, topts=topts, opts=opts, mech=mech, ir=ir,
                      tname=tname):
                    code, out, err = curl_v(url(server), *(topts + opts +
                                                           (["--sasl-ir"] if ir else [])))
                    if code != 0:
                        return "curl exit %d: %s" % (code, err.strip().splitlines()[-1:])
                    auth = re.findall(r"^> AUTH (.*?)\r?$", err, re.M)
                    want = r"%s [A-Za-z0-9+/=]+" % mech if ir else re.escape(mech)
                    if len(auth) != 1 or not re.fullmatch(want, auth[0]):
                        return "AUTH lines %r" % auth
                    if tname == "STLS" and not re.search(r"^> STLS\r?$", err, re.M):
                        return "curl did not use STLS"
                    got = [tuple(map(int, l.split())) for l in out.splitlines() if l.strip()]
                    return None if got == want_list else "LIST %r" % got
                _()

    # SCRAM, by the client above: stored keys and derived ones.
    t_port, t_tls = (srv.tls_port, True) if tls else (srv.port, False)
    over_tls, over_stls = ("implicit TLS", "STLS") if tls else ("plain port", "plain port")

    def scram_ok(port, use_tls, stls, mech, user, pw):
        c = Conn(port, tls=use_tls)
        if stls:
            c.stls()
        r, salt, it = scram_login(c, mech, user, pw)
        st = c.cmd("STAT")
        c.close()
        if not r.startswith(b"+OK maildrop"):
            raise RuntimeError("%s %s: %r" % (mech, user, r))
        if not st.startswith(b"+OK"):
            raise RuntimeError("STAT: %r" % st)
        return salt, it

    @check("auth: SCRAM-SHA-256 with stored keys (erin), %s, server "
           "signature verified" % over_tls)
    def _():
        salt, it = scram_ok(t_port, t_tls, False, "SCRAM-SHA-256", "erin", "eagle-eyed")
        return None if (salt, it) == (b"erin-sample-salt", 4096) else repr((salt, it))
    _()

    @check("auth: SCRAM-SHA-1 with stored keys in doveadm's comma form (frank), %s"
           % over_stls)
    def _():
        salt, it = scram_ok(srv.port, False, tls, "SCRAM-SHA-1", "frank", "fish-finger")
        return None if (salt, it) == (b"frank-sample-slt", 4096) else repr((salt, it))
    _()

    @check("auth: SCRAM-SHA-256 and SCRAM-SHA-1 for --scram-hash users (henry, ivy)")
    def _():
        scram_ok(t_port, t_tls, False, "SCRAM-SHA-256", "henry", "hen-house")
        scram_ok(srv.port, False, tls, "SCRAM-SHA-1", "ivy", "ivy-league")
    _()

    @check("auth: SCRAM-SHA-256 and SCRAM-SHA-1 for a plain secret (alice): "
           "a derived 16-octet salt, the same every time, 4096 iterations")
    def _():
        a = scram_ok(t_port, t_tls, False, "SCRAM-SHA-256", "alice", "wonderland")
        b = scram_ok(srv.port, False, tls, "SCRAM-SHA-1", "alice", "wonderland")
        c = scram_ok(t_port, t_tls, False, "SCRAM-SHA-256", "alice", "wonderland")
        if a != c or a != b or len(a[0]) != 16 or a[1] != 4096:
            return "salts/iterations %r %r %r" % (a, b, c)
    _()

    @check("auth: USER/PASS and AUTH PLAIN for users with SCRAM keys only")
    def _():
        m = pop(srv.port)
        m.user("erin")
        m.pass_("eagle-eyed")
        m.quit()
        if args.no_curl:
            return None
        code, out, err = curl_v(transports[0][1](srv), *(transports[0][2] + [
            "-u", "frank:fish-finger", "--login-options", "AUTH=PLAIN"]))
        return None if code == 0 else "curl PLAIN frank: exit %d" % code
    _()

    if tls:
        @check("auth: EXTERNAL by emailAddress ({NONE} user grace@example.org), "
               "empty authorization identity")
        def _():
            c = Conn(srv.tls_port, tls=True, cert=certs["grace"])
            r = c.cmd("AUTH EXTERNAL =")
            c.close()
            if not r.startswith(b"+OK maildrop"):
                return "AUTH EXTERNAL: %r" % r
            if not srv.wait_log(r"user=grace@example\.org authenticated with EXTERNAL"):
                return "no login line for grace@example.org"
        _()

    # Refusals: all at once (each waits out the 2 s failure delay).
    def curl_refused(server, url, topts, opts, status=None, hangs_up=False):
        def run():
            code, out, err = curl_v(url(server), *(topts + opts))
            if code != 67:
                return "curl exit %d, expected 67 (login denied)" % code
            # curl's XOAUTH2 gives up at the error challenge without the
            # dummy response, so it never reads the -ERR that follows it.
            if not hangs_up and \
                    not re.search(r"^< -ERR \[AUTH\] authentication failed", err, re.M):
                return "no -ERR [AUTH] in %r" % err[-300:]
            if status:
                ch = re.findall(r"^< \+ (\S+)", err, re.M)
                js = [json.loads(base64.b64decode(x)) for x in ch if x.startswith("ey")]
                if not js or js[-1].get("status") != status:
                    return "bearer error challenge %r" % ch
        return run

    def bearer_claim():
        c = Conn(t_port, tls=t_tls)
        msg = "n,a=bob,\x01auth=Bearer %s\x01\x01" % TOKENS["alice"]
        r = c.cmd("AUTH OAUTHBEARER " + b64(msg))
        if not r.startswith(b"+ "):
            return "expected the error challenge, got %r" % r
        err = json.loads(base64.b64decode(r[2:]))
        r = c.cmd("AQ==")               # the dummy response (RFC 7628 3.2.3)
        c.close()
        if err != {"status": "invalid_token", "schemes": "bearer"}:
            return "error %r" % err
        return None if r.startswith(b"-ERR [AUTH]") else "got %r" % r

    def scram_refused(mech, user, pw, tamper=False):
        def run():
            c = Conn(t_port, tls=t_tls)
            r, salt, it = scram_login(c, mech, user, pw, tamper=tamper)
            c.close()
            return None if r.startswith(b"-ERR [AUTH]") else "got %r" % r
        return run

    def scram_unknown():
        # Two attempts at once: an unknown user gets a salt as stable as a
        # real one, and fails only at the proof.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
            def one():
                c = Conn(t_port, tls=t_tls)
                try:
                    return scram_login(c, "SCRAM-SHA-256", "nobody", "guess")
                finally:
                    c.close()
            a, b = [f.result(timeout=T) for f in [ex.submit(one), ex.submit(one)]]
        if not (a[0].startswith(b"-ERR [AUTH]") and b[0].startswith(b"-ERR [AUTH]")):
            return "replies %r %r" % (a[0], b[0])
        return None if a[1:] == b[1:] and len(a[1]) == 16 and a[2] == 4096 else \
            "salts %r %r" % (a[1:], b[1:])

    def external_refused(cert, line, want):
        def run():
            c = Conn(srv.tls_port, tls=True, cert=cert)
            r = c.cmd(line)
            c.close()
            return None if r.startswith(want) else "got %r" % r
        return run

    def pass_refused(user, pw):
        def run():
            m = pop(srv.port)
            m.user(user)
            return expect_error(lambda: m.pass_(pw), "[AUTH]")
        return run

    url0, t0 = transports[-1][1], transports[-1][2]     # pop3s when TLS
    urls, ts = transports[0][1], transports[0][2]       # STLS when TLS
    curl_refusals = [
        ("refused: curl AUTH PLAIN with a wrong password (%s)" % transports[0][0],
         curl_refused(srv, urls, ts, ["-u", "alice:wrong", "--login-options", "AUTH=PLAIN"])),
        ("refused: curl AUTH CRAM-MD5 with a wrong password (%s)" % transports[-1][0],
         curl_refused(srv, url0, t0, ["-u", "alice:wrong", "--login-options",
                                      "AUTH=CRAM-MD5"])),
        ("refused: curl AUTH OAUTHBEARER with an unknown token, "
         "{\"status\":\"invalid_token\"} challenge",
         curl_refused(srv, url0, t0, ["-u", "alice:", "--oauth2-bearer", "no.such.token",
                                      "--login-options", "AUTH=OAUTHBEARER"],
                      "invalid_token")),
        ("refused: curl AUTH XOAUTH2 with an unknown token, {\"status\":\"401\"} "
         "challenge (curl hangs up there)",
         curl_refused(xo, urls, ts, ["-u", "alice:", "--oauth2-bearer", "no.such.token"],
                      "401", hangs_up=True)),
    ]
    refusals = ([] if args.no_curl else curl_refusals) + [
        ("refused: OAUTHBEARER with alice's token claiming to be bob", bearer_claim),
        ("refused: SCRAM-SHA-256 with a wrong password (erin): no server signature",
         scram_refused("SCRAM-SHA-256", "erin", "wrong")),
        ("refused: SCRAM-SHA-256 with a tampered proof (alice)",
         scram_refused("SCRAM-SHA-256", "alice", "wonderland", tamper=True)),
        ("refused: SCRAM-SHA-1 for a user with SCRAM-SHA-256 keys only (erin)",
         scram_refused("SCRAM-SHA-1", "erin", "eagle-eyed")),
        ("refused: SCRAM for an unknown user, with a stable salt", scram_unknown),
        ("refused: USER/PASS for a {NONE} user", pass_refused("grace@example.org", "x")),
    ]
    if tls:
        refusals += [
            ("refused: EXTERNAL asking to be bob with alice's certificate",
             external_refused(certs["alice"], "AUTH EXTERNAL " + b64("bob"),
                              b"-ERR [AUTH]")),
            ("refused: EXTERNAL with an untrusted certificate (not offered)",
             external_refused(certs["rogue"], "AUTH EXTERNAL =",
                              b"-ERR unrecognized authentication mechanism")),
        ]
    parallel(refusals)

    @check("auth: failed logins logged from POP3_EV_AUTH in the fail2ban format")
    def _():
        text = srv.text()
        for user in ("alice", "bob", "erin", "nobody", "grace@example.org"):
            if args.no_curl and user == "alice":
                continue
            if not re.search(r"^pop3d: auth failed: user=%s peer=127\.0\.0\.1:\d+$"
                             % re.escape(user), text, re.M):
                return "no auth failed line for %s" % user
        # The XOAUTH2 client hung up after the error challenge: still one
        # line, and the session counts the failure.
        if args.no_curl:
            return None
        if not xo.wait_log(r"(?m)^pop3d: auth failed: user=alice peer=127\.0\.0\.1:\d+$"):
            return "no auth failed line for the XOAUTH2 refusal"
        if not re.search(r"user=- end=eof .*auth_failures=1 ", xo.text()):
            return "the XOAUTH2 refusal is not counted in the session's end line"
    _()

    # The STLS injection probe (CVE-2011-0411): commands pipelined after
    # STLS in the same write must be neither answered in plaintext nor run
    # inside TLS.
    def probe(cert):
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=T)

        def raw_line():
            b = b""
            while not b.endswith(b"\r\n"):
                c = s.recv(1)
                if not c:
                    break
                b += c
            return b
        try:
            if not raw_line().startswith(b"+OK"):
                return "no greeting"
            s.sendall(b"STLS\r\nCAPA\r\nUSER x\r\n")
            r = raw_line()
            if r != b"+OK begin TLS negotiation\r\n":
                return "STLS answered %r" % r
            if select.select([s], [], [], 0.3)[0]:
                return "plaintext after the STLS reply: %r" % s.recv(4096, socket.MSG_PEEK)
            t = tls_context(cert).wrap_socket(s, server_hostname="localhost")
            f = t.makefile("rb")
            # A fresh session answers PASS with "send USER first"; had USER x
            # run, PASS would be a login attempt; had CAPA run, its +OK
            # would come first.
            t.sendall(b"PASS y\r\n")
            first = f.readline()
            if first != b"-ERR send USER first\r\n":
                return "first reply inside TLS: %r" % first
            t.sendall(b"NOOP\r\n")
            second = f.readline()
            if not second.startswith(b"-ERR"):
                return "NOOP before login: %r" % second
            t.sendall(b"QUIT\r\n")
            if not f.readline().startswith(b"+OK"):
                return "no QUIT reply"
            f.close()
            t.close()
        finally:
            s.close()

    if tls:
        @check("STLS injection probe: \"STLS\\r\\nCAPA\\r\\nUSER x\\r\\n\" in one write; "
               "only \"+OK begin TLS negotiation\" in plaintext, nothing run inside TLS")
        def _():
            return probe(None)
        _()

        @check("STLS injection probe with a client certificate (the session is "
               "remade for EXTERNAL): nothing leaks, nothing runs")
        def _():
            return probe(certs["alice"])
        _()

    @check("auth: the trace shows logins and discarded octets, never a secret")
    def _():
        srv.stop()
        with open(trace, "rb") as f:
            t = f.read()
        for secret in [b"wonderland", b"eagle-eyed", b"fish-finger", b"hen-house",
                       b"ivy-league", b"wrong"] + [x.encode() for x in TOKENS.values()]:
            if secret in t:
                return "%r in the trace" % secret
        blob = re.search(rb"C: [^\n]*[A-Za-z0-9+/]{24,}", t)
        if blob:
            return "base64 in a command line: %r" % blob.group(0)
        for want in (b"auth SCRAM-SHA-256 user=erin accepted",
                     b"auth SCRAM-SHA-256 user=nobody refused",
                     b"auth OAUTHBEARER user=bob refused") + \
                (() if args.no_curl else (b"auth OAUTHBEARER user=alice accepted",
                                          b"C: AUTH PLAIN ***")) + \
                ((b"auth EXTERNAL user=grace@example.org accepted", b"discarded 14 octets")
                 if tls else ()):
            if want not in t:
                return "no %r in the trace" % want
        if tls and t.count(b"discarded 14 octets") != 2:
            return "expected 2 discards of 14 octets"
    _()


# ---------------------------------------------------------------------------

def make_mail():
    """A fresh copy of the sample plus carol, dave and the load users."""
    mail = os.path.join(args.tmp, "mail")
    shutil.copytree(os.path.join(SAMPLE, "mail"), mail)
    users = os.path.join(args.tmp, "users")
    shutil.copy(os.path.join(SAMPLE, "users"), users)
    with open(users, "a") as f:
        f.write("carol:{PLAIN}carol-secret\ndave:{PLAIN}dave-secret\n"
                "mia:{PLAIN}mia-secret\nfinn:{PLAIN}finn-secret\n")
        for i in range(200):
            f.write("user%d:pw%d\n" % (i, i))
    os.chmod(users, 0o600)
    for u, msgs in (
        ("carol", [b"From: a@example.org\nSubject: one\n\nfirst\n",
                   b"From: b@example.org\nSubject: two\n\nsecond\n",
                   b"From: c@example.org\nSubject: three\n\nthird\n",
                   b"From: d@example.org\nSubject: four\n\nfourth\n"]),
        ("mia", [b"From: m1@example.org\nSubject: m1\n\n.dot first\n",
                 b"From: m2@example.org\nSubject: m2\n\nsecond\r\n"]),
        ("finn", [b"From: f1@example.org\nSubject: f1\n\none\n",
                  b"From: f2@example.org\nSubject: f2\n\n..two dots\n",
                  b"From: f3@example.org\nSubject: f3\n\nno final newline"]),
        ("dave", [b"From: big@example.org\nSubject: big\n\n" +
                  b"".join(b".line %06d of a big message\n" % i for i in range(140000)),
                  b"From: small@example.org\nSubject: small\n\nsmall\n"]),
    ):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(mail, u, sub), exist_ok=True)
        for i, b in enumerate(msgs):
            name = "%d.M%dP1.interop.test:2," % (1700000000 + i, i)
            with open(os.path.join(mail, u, "cur", name), "wb") as f:
                f.write(b)
    return mail, users


def make_cert():
    args.cert = os.path.join(args.tmp, "cert.pem")
    args.key = os.path.join(args.tmp, "key.pem")
    r = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", args.key, "-out", args.cert],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    if r.returncode != 0:
        raise RuntimeError("openssl req: " + r.stderr.decode(errors="replace"))


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--pop3d", required=True)
    p.add_argument("--tmp", required=True)
    p.add_argument("--pidfile", required=True)
    p.add_argument("--no-curl", action="store_true")
    p.add_argument("--no-mpop", action="store_true")
    p.add_argument("--no-fetchmail", action="store_true")
    p.add_argument("--tls", action="store_true")
    args = p.parse_args()
    args.pop3d = os.path.abspath(args.pop3d)

    servers = []
    try:
        mail, users = make_mail()
        args.mail, args.users = mail, users
        if args.tls:
            make_cert()
        srv = Server("main", mail, users, tls=args.tls)
        servers.append(srv)
        noapop = Server("noapop", mail, users, extra=["--no-apop"])
        servers.append(noapop)
        args.noapop_port = noapop.port

        if args.no_curl:
            print("interop: curl is not available: curl tests skipped", flush=True)
        else:
            curl_tests(srv, mail)
        poplib_tests(srv, mail)
        if args.no_mpop:
            print("interop: mpop is not available: mpop tests skipped", flush=True)
        else:
            mpop_tests(srv, mail)
        if args.no_fetchmail:
            print("interop: fetchmail is not available: fetchmail tests skipped",
                  flush=True)
        else:
            fetchmail_tests(srv, mail)
        interruption_tests(srv, mail)
        load_test(srv)
        stdio_tests(mail)
        auth_tests(mail)

        @check("trace file: commands and replies, PASS redacted")
        def _():
            srv.stop()
            servers.remove(srv)
            with open(os.path.join(args.tmp, "main.log"), "rb") as f:
                log = f.read()
            tracefile = os.path.join(args.tmp, "trace")
            s2 = Server("traced", mail, users, extra=["--trace", tracefile])
            servers.append(s2)
            m = pop(s2.port)
            m.user("bob")
            m.pass_("builder")
            m.quit()
            s2.stop()
            servers.remove(s2)
            with open(tracefile, "rb") as f:
                t = f.read()
            if b"C: PASS ***" not in t or b"builder" in t or b"C: USER bob" not in t:
                return "trace: %r" % t[:400]
            if b"S: +OK bye" not in t:
                return "no reply lines in the trace"
            if b"session #" not in log:
                return "no session lines in the server log"
        _()

        sigterm_tests(mail)
        startup_error_tests(mail)
    except Exception as e:  # noqa: BLE001
        fail("setup", "%s: %s" % (type(e).__name__, e))
        traceback.print_exc()
    finally:
        for s in servers:
            s.stop(signal.SIGKILL)
    print("interop: %d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
