#!/usr/bin/env python3
"""Generate the seed corpora in fuzz/corpus/<harness>/ from client scripts.

Run from anywhere:  python3 fuzz/make-corpus.py   (or: make fuzz-corpus)

Each file is named by the SHA-256 of its content; the script removes seeds it
no longer generates.  The header layouts are documented at the top of each
harness (fuzz/fuzz_*.c); the constants below follow them.
"""
import base64
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
REGRESSIONS = os.path.join(HERE, "regressions")

# ---------------------------------------------------------------------------
# Client scripts: realistic sessions, pipelining, and the classic mistakes.

def lines(*ls, eol=b"\r\n"):
    return b"".join((l.encode() if isinstance(l, str) else l) + eol for l in ls)

LOGIN = ["USER bob", "PASS secretpassword"]
APOP = "APOP mrose c4c9334bac560ecc979e58001b3e22fb"   # RFC 1939 example, "tanstaaf"

SCRIPTS = {
    "basic": lines(*LOGIN, "STAT", "LIST", "UIDL", "RETR 1", "TOP 2 0", "TOP 1 3",
                   "DELE 1", "LIST 1", "RETR 1", "UIDL 2", "RSET", "DELE 2", "STAT", "QUIT"),
    "apop": lines("CAPA", APOP, "STAT", "LIST 2", "RETR 2", "DELE 1", "DELE 1", "QUIT"),
    "pipelined-lf": lines(*LOGIN, "CAPA", "NOOP", "STAT", "LIST", "RETR 1", "RETR 2",
                          "RETR 3", "TOP 3 1", "LAST", "DELE 3", "LAST", "QUIT", eol=b"\n"),
    "bad-numbers": lines(*LOGIN, "RETR -1", "RETR +1", "RETR 1x", "RETR 0",
                         "RETR 99999999999999999999999", "TOP 1 -1", "TOP 1 x", "TOP x 1",
                         "TOP 1 99999999999999999999", "DELE 0", "LIST 1.5", "UIDL 4294967297",
                         "RETR 0001", "QUIT"),
    "bad-syntax": lines("", "USER", "USER  bob", "QUIT ", "XYZZY", "user bob", "pass secretpassword",
                        "list", "retr 1", b"NO\x00OP", b"STAT\x7f", "A" * 300,
                        "LIST 1 2", "TOP 1", "QUIT"),
    "overlong": lines(*LOGIN, "NOOP " + "x" * 600, "RETR 1", "USER " + "y" * 41, "QUIT"),
    "eof-no-quit": lines(*LOGIN, "DELE 1", "RETR 2"),
    "partial-line": lines(*LOGIN, "STAT") + b"RETR 1",
    "auth-failures": lines("USER bob", "PASS wrong1", "USER bob", "PASS wrong2", "PASS x",
                           "USER bob", "PASS wrong3", "STAT", "QUIT"),
    "stls": lines("CAPA", "STLS", "CAPA", *LOGIN, "STAT", "QUIT"),
    "stls-injection": b"STLS\r\nUSER evil\r\nPASS injected\r\n" + lines("CAPA", *LOGIN, "QUIT"),
    "sasl": lines("AUTH", "CAPA",
                  "AUTH PLAIN " + base64.b64encode(b"\0bob\0secretpassword").decode(),
                  "STAT", "QUIT"),
    "sasl-login": lines("AUTH LOGIN", base64.b64encode(b"bob").decode(),
                        base64.b64encode(b"secretpassword").decode(), "LIST", "QUIT"),
    "sasl-cancel": lines("AUTH CRAM-MD5", "*", "AUTH PLAIN", "=", "AUTH SCRAM-SHA-1",
                         base64.b64encode(b"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL").decode(),
                         "*", "AUTH PLAIN !!!notbase64", "AUTH XOAUTH2", "*", "QUIT"),
    "utf8-lang": lines("CAPA", "LANG", "LANG en", "UTF8", "USER b\u00f6b", "PASS secretpassword",
                       "UTF8", "LANG", "QUIT"),
    "everything": lines("CAPA", *LOGIN, "CAPA", "STAT", "LIST", "UIDL", "RETR 1", "TOP 1 0",
                        "TOP 1 1", "TOP 1 2", "DELE 1", "RETR 1", "LIST 1", "UIDL 1", "NOOP",
                        "RSET", "LAST", "RETR 2", "LAST", "DELE 2", "DELE 3", "STAT", "QUIT"),
}

# ---------------------------------------------------------------------------
# session: 32-byte header (see fuzz/fuzz_session.c), template, client stream.

def session_header(**kw):
    h = bytearray(32)
    h[6] = 0x80                      # POP3_CONN_PROTECTED: plaintext login allowed
    h[9] = 3                         # three messages
    h[10] = 0x55                     # mixed input and ack sizes
    h[16:24] = struct.pack("<Q", kw.pop("seed", 0x0123456789ABCDEF))
    for k, v in kw.items():
        h[int(k[1:])] = v
    return bytes(h)

PROFILES = {
    "plain": session_header(),
    "bytewise-pending": session_header(b10=0x11, b11=160),
    "failing": session_header(b12=80, b13=3, b14=0xC3, b11=60, seed=7),
    "apop-timers": session_header(b7=0x1D, b9=5, b15=0x08, b6=0x99, seed=11),
    "stls": session_header(b6=0x40, b1=0x60, seed=3),
    "lenient": session_header(b0=0x82, b1=0x01 | 0x20, b5=0x00, b3=40, seed=5),
    "strict-limits": session_header(b0=0x05, b5=0x23, b6=0x82, seed=9),
    "sasl": session_header(b27=0xFF, b26=0x25, b24=1, seed=13),
    "big-maildrop": session_header(b9=14, b4=0, b10=0x32, seed=17),
    "autologout": session_header(b0=0x08, b7=0x09, b15=0xAF, seed=19),
    "peek-reentrant": session_header(b1=0xC0, b25=200, b11=100, seed=23),
    "uid-strict": session_header(b1=0x02, b14=0xF0, seed=29),
}

SESSION_PAIRS = [
    ("plain", s) for s in SCRIPTS
] + [
    ("bytewise-pending", "basic"), ("bytewise-pending", "everything"),
    ("bytewise-pending", "sasl-login"), ("failing", "basic"), ("failing", "everything"),
    ("apop-timers", "apop"), ("apop-timers", "auth-failures"), ("stls", "stls"),
    ("stls", "stls-injection"), ("lenient", "pipelined-lf"), ("lenient", "bad-numbers"),
    ("strict-limits", "bad-syntax"), ("strict-limits", "pipelined-lf"), ("sasl", "sasl"),
    ("sasl", "sasl-login"), ("sasl", "sasl-cancel"), ("sasl", "utf8-lang"),
    ("big-maildrop", "everything"), ("autologout", "eof-no-quit"), ("autologout", "basic"),
    ("peek-reentrant", "everything"), ("uid-strict", "everything"),
]

TEMPLATE = (b"From: alice@example.org\r\nSubject: template\r\n\r\n"
            b".starts with a dot\r\n..two dots\n\rlone CR\r.\r\nlast line")

def session_seeds():
    out = []
    for prof, script in SESSION_PAIRS:
        out.append(PROFILES[prof] + SCRIPTS[script])
    # One with a message template (header byte 31 = its length).
    h = bytearray(PROFILES["plain"])
    h[31] = len(TEMPLATE)
    out.append(bytes(h) + TEMPLATE + SCRIPTS["everything"])
    return out

# ---------------------------------------------------------------------------
# chunking: 16-byte header (see fuzz/fuzz_chunking.c), client stream.

def chunk_header(b0=0, b1=0, b2=0x02, b3=0, b4=0, b5=0, b6=3, b7=0, seed=0x0BADC0FFEE):
    return bytes([b0, b1, b2, b3, b4, b5, b6, b7]) + struct.pack("<Q", seed)

def chunking_seeds():
    out = []
    for name, script in SCRIPTS.items():
        if name.startswith("stls"):
            continue
        out.append(chunk_header() + script)
    out.append(chunk_header(b2=0x82 | 0x08, seed=1) + SCRIPTS["auth-failures"])
    out.append(chunk_header(b2=0xF6, seed=2) + SCRIPTS["apop"])
    out.append(chunk_header(b2=0x42, b5=0, b6=14, seed=3) + SCRIPTS["everything"])
    out.append(chunk_header(b0=0x02, b2=0x22, seed=4) + SCRIPTS["pipelined-lf"])
    out.append(chunk_header(b7=0xFF, b1=0x04 | 0x01, seed=5) + SCRIPTS["sasl"])
    return out

# ---------------------------------------------------------------------------
# encoder: 12-byte header (see fuzz/fuzz_encoder.c), raw message.

MESSAGES = [
    b"",
    b"Subject: crlf\r\n\r\nbody\r\n.\r\n..\r\nend\r\n",
    b"Subject: lf\n\nbody\n.\n..\nno final newline",
    b"no blank line\nsecond header",
    b"\r\r\n\n.\r.\r\n\r",
    b".",
    b"H: 1\r\n\r\n" + b"".join(b".%d\r\nline %d\n" % (i, i) for i in range(40)),
    b"Bin\x00ary: \xff\xfe\r\n\r\n\x00.\x00\r\n",
    b"A: b\r\n\r\n" + (b"x" * 70 + b"\r\n") * 60 + b".\r\n" + (b"y" * 70 + b"\n") * 30,
]

def encoder_seeds():
    out = []
    for i, m in enumerate(MESSAGES):
        for flags, k in ((0x00, 0), (0x01, 1), (0x01, 0), (0x03, 2), (0x15, 254), (0x29, 3),
                         (0x3C, 5), (0x60, 251)):
            hdr = bytes([flags, k]) + struct.pack("<Q", 1000 + i) + b"\0\0"
            out.append(hdr + m)
    return out

# ---------------------------------------------------------------------------
# parsers: 'C' command lines, 'N' numbers, 'B' base64, 'S' SASL messages.

def parsers_seeds():
    cmds = ["USER bob", "PASS a b  c", "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            "LIST", "LIST 1", "list 1", "LIST  1", "LIST 1 ", "LIST\t1", "LIST \t 1 \t",
            "TOP 1 10", "TOP 1", "RETR " + "9" * 45, "USER " + "\u00e9" * 40, "USER " + "e" * 41,
            "QUIT", "QUIT ", "", " ", "NOOPX", "X", b"RE\x00TR 1", b"STAT\x7f", "STLS",
            "AUTH", "AUTH PLAIN", "AUTH PLAIN " + "A" * 100, "UTF8", "LANG en", "CAPA"]
    nums = ["1", "0", "0001", "-1", "+1", "1x", "", "18446744073709551615",
            "18446744073709551616", "99999999999999999999999", "4294967296", " 1"]
    b64 = ["", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zh==", "Zg=", "====", "Zm9v\r\n", "Zm 9v",
           base64.b64encode(b"\0bob\0secretpassword").decode(), "A" * 64]
    sasl = [b"\0bob\0pw", b"admin\0bob\0pw", b"\0\0pw", b"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
            b"n,a=ad=2Cmin,n=us=3Der,r=abc", b"p=tls-unique,,n=u,r=x",
            b"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
            b"auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01",
            b"user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"]
    out = []
    for c in cmds:
        out.append(b"C" + (c.encode() if isinstance(c, str) else c))
    for n in nums:
        out.append(b"N" + n.encode())
    for b in b64:
        out.append(b"B" + b.encode())
    for s in sasl:
        out.append(b"S" + s)
    out.append(b"*LIST 1")
    return out

# ---------------------------------------------------------------------------

def regressions(harness):
    """Inputs that once made the harness fail (fuzz/regressions/<harness>/,
    named for what they caught): kept as seeds, so every fuzz-smoke and
    fuzz-replay runs them first."""
    d = os.path.join(REGRESSIONS, harness)
    if not os.path.isdir(d):
        return []
    out = []
    for f in sorted(os.listdir(d)):
        with open(os.path.join(d, f), "rb") as fh:
            out.append(fh.read())
    return out

def write(harness, seeds):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    want = {}
    for s in seeds + regressions(harness):
        want[hashlib.sha256(s).hexdigest()] = s
    for f in os.listdir(d):
        if f not in want:
            os.remove(os.path.join(d, f))
    for name, s in want.items():
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(s)
    print("fuzz/corpus/%s: %d seeds" % (harness, len(want)))

def main():
    write("session", session_seeds())
    write("chunking", chunking_seeds())
    write("encoder", encoder_seeds())
    write("parsers", parsers_seeds())
    return 0

if __name__ == "__main__":
    sys.exit(main())
