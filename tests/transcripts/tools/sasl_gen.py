#!/usr/bin/env python3
"""sasl_gen.py - compute the SASL lines of transcript fixtures.

Fixtures stay static text; this tool (Python 3 standard library only) is how
their base64 responses, CRAM-MD5 digests and SCRAM proofs were computed, so
they can be checked or regenerated.  It predicts the server's side from the
mock host's documented random bytes (tests/transcripts/README.md, "random"):
the k-th random octet of a session is (start + k) mod 256, and the engine
maps each octet b of a nonce to "A-Za-z0-9+/"[b & 63].

Text arguments take C escapes (\\0 \\x01 \\r \\n \\t \\\\), as fixtures do.

  sasl_gen.py b64 'TEXT'                       base64 of TEXT
  sasl_gen.py unb64 B64                        decode (escaped output)
  sasl_gen.py nonce START COUNT                nonce characters from octet START
  sasl_gen.py plain AUTHZID AUTHCID PASSWORD   AUTH PLAIN response
  sasl_gen.py cram USER SECRET --now MS [--host H] [--start N]
                                               challenge and response
  sasl_gen.py scram sha1|sha256 USER PASSWORD --salt B64 [--iter N]
              --cnonce C [--start N | --snonce S] [--authzid Z]
              [--wrong-password P] [--unknown]
                                               the whole exchange
  sasl_gen.py scram-keys sha1|sha256 PASSWORD --salt B64 [--iter N]
                                               StoredKey and ServerKey
  sasl_gen.py oauthbearer TOKEN [--user U] [--host H] [--port P]
  sasl_gen.py xoauth2 USER TOKEN
"""
import argparse
import base64
import hashlib
import hmac
import sys

ALPHABET = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            "0123456789+/")


def unescape(s):
    """C escapes as in the fixture format, to bytes."""
    out = bytearray()
    b = s.encode("utf-8")
    i = 0
    while i < len(b):
        c = b[i]
        if c != 0x5c:
            out.append(c)
            i += 1
            continue
        i += 1
        e = chr(b[i])
        if e == "x":
            out.append(int(b[i + 1:i + 3], 16))
            i += 3
            continue
        out.append({"r": 13, "n": 10, "t": 9, "0": 0, "\\": 92,
                    '"': 34}[e])
        i += 1
    return bytes(out)


def escape(b):
    out = []
    for c in b:
        if c == 92:
            out.append("\\\\")
        elif c == 34:
            out.append('\\"')
        elif 32 <= c < 127:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return "".join(out)


def b64(b):
    return base64.b64encode(b).decode("ascii")


def rand_bytes(start, count):
    return bytes((start + k) & 0xff for k in range(count))


def nonce(start, count):
    return "".join(ALPHABET[b & 63] for b in rand_bytes(start, count))


def hashmod(name):
    return {"sha1": hashlib.sha1, "sha256": hashlib.sha256}[name]


def scram_keys(h, password, salt, iters):
    salted = hashlib.pbkdf2_hmac(h().name, password, salt, iters)
    client_key = hmac.new(salted, b"Client Key", h).digest()
    stored_key = h(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", h).digest()
    return client_key, stored_key, server_key


def saslname(s):
    return s.replace("=", "=3D").replace(",", "=2C")


def cmd_scram(a):
    h = hashmod(a.hash)
    hlen = h().digest_size
    salt = base64.b64decode(a.salt, validate=True)
    gs2 = "n,%s," % ("a=" + saslname(a.authzid) if a.authzid else "")
    bare = "n=%s,r=%s" % (saslname(a.user), a.cnonce)
    first = gs2 + bare
    start = a.start
    if a.unknown:
        # Unknown user: made-up salt (16 octets) and keys, then the nonce.
        salt = rand_bytes(start, 16)
        start += 16 + 2 * hlen
    snonce = a.snonce if a.snonce else nonce(start, 24)
    server_first = "r=%s%s,s=%s,i=%d" % (a.cnonce, snonce, b64(salt), a.iter)
    without_proof = "c=%s,r=%s%s" % (b64(gs2.encode()), a.cnonce, snonce)
    auth_message = ",".join([bare, server_first, without_proof]).encode()
    pw = unescape(a.wrong_password if a.wrong_password else a.password)
    client_key, stored_key, server_key = scram_keys(h, pw, salt, a.iter)
    sig = hmac.new(stored_key, auth_message, h).digest()
    proof = bytes(x ^ y for x, y in zip(client_key, sig))
    final = without_proof + ",p=" + b64(proof)
    _, stored_key, server_key = scram_keys(h, unescape(a.password), salt,
                                           a.iter)
    server_sig = hmac.new(server_key, auth_message, h).digest()
    v = "v=" + b64(server_sig)
    print("client-first : %s\n  C: %s" % (first, b64(first.encode())))
    print("server-first : %s\n  S: + %s" % (server_first,
                                            b64(server_first.encode())))
    print("client-final : %s\n  C: %s" % (final, b64(final.encode())))
    print("verifier     : %s\n  S: + %s" % (v, b64(v.encode())))
    print("random octets used: %d (next start %d)"
          % (start + 24 - a.start, start + 24))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("b64")
    s.add_argument("text")
    s = sub.add_parser("unb64")
    s.add_argument("data")
    s = sub.add_parser("nonce")
    s.add_argument("start", type=int)
    s.add_argument("count", type=int)
    s = sub.add_parser("plain")
    s.add_argument("authzid")
    s.add_argument("authcid")
    s.add_argument("password")
    s = sub.add_parser("cram")
    s.add_argument("user")
    s.add_argument("secret")
    s.add_argument("--now", type=int, required=True)
    s.add_argument("--host", default="localhost")
    s.add_argument("--start", type=int, default=0)
    s = sub.add_parser("scram")
    s.add_argument("hash", choices=["sha1", "sha256"])
    s.add_argument("user")
    s.add_argument("password")
    s.add_argument("--salt", required=True)
    s.add_argument("--iter", type=int, default=4096)
    s.add_argument("--cnonce", required=True)
    s.add_argument("--start", type=int, default=0)
    s.add_argument("--snonce")
    s.add_argument("--authzid", default="")
    s.add_argument("--wrong-password")
    s.add_argument("--unknown", action="store_true",
                   help="the user is unknown: predict the made-up salt")
    s = sub.add_parser("scram-keys")
    s.add_argument("hash", choices=["sha1", "sha256"])
    s.add_argument("password")
    s.add_argument("--salt", required=True)
    s.add_argument("--iter", type=int, default=4096)
    s = sub.add_parser("oauthbearer")
    s.add_argument("token")
    s.add_argument("--user", default="")
    s.add_argument("--host", default="")
    s.add_argument("--port", default="")
    s = sub.add_parser("xoauth2")
    s.add_argument("user")
    s.add_argument("token")
    a = p.parse_args()

    if a.cmd == "b64":
        print(b64(unescape(a.text)))
    elif a.cmd == "unb64":
        print(escape(base64.b64decode(a.data, validate=True)))
    elif a.cmd == "nonce":
        print(nonce(a.start, a.count))
    elif a.cmd == "plain":
        m = unescape(a.authzid) + b"\0" + unescape(a.authcid) + b"\0" + \
            unescape(a.password)
        print(b64(m))
    elif a.cmd == "cram":
        chal = "<%s.%d@%s>" % (nonce(a.start, 20), a.now % 1000000000, a.host)
        dig = hmac.new(unescape(a.secret), chal.encode(), hashlib.md5)
        resp = "%s %s" % (a.user, dig.hexdigest())
        print("challenge: %s\n  S: + %s" % (chal, b64(chal.encode())))
        print("response : %s\n  C: %s" % (resp, b64(resp.encode())))
    elif a.cmd == "scram":
        cmd_scram(a)
    elif a.cmd == "scram-keys":
        h = hashmod(a.hash)
        salt = base64.b64decode(a.salt, validate=True)
        _, stored, server = scram_keys(h, unescape(a.password), salt, a.iter)
        print("stored_key=%s server_key=%s" % (b64(stored), b64(server)))
    elif a.cmd == "oauthbearer":
        gs2 = "n,%s," % ("a=" + saslname(a.user) if a.user else "")
        kv = ""
        if a.host:
            kv += "host=%s\x01" % a.host
        if a.port:
            kv += "port=%s\x01" % a.port
        m = gs2 + "\x01" + kv + "auth=Bearer " + a.token + "\x01\x01"
        print(b64(m.encode()))
    elif a.cmd == "xoauth2":
        m = "user=%s\x01auth=Bearer %s\x01\x01" % (a.user, a.token)
        print(b64(m.encode()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
