# AUTH CRAM-MD5 (RFC 2195): the challenge is "<" nonce "." time "@"
# hostname ">" - 20 nonce characters from the host's random octets (the
# mock gives 0, 1, 2, ...: "ABCDEFGHIJKLMNOPQRST"), the host's clock in ms
# modulo 10^9, and pop3_config.hostname; the client answers "user
# HMAC-MD5(secret, challenge)" in hex.  No plaintext crosses the wire, so
# it is offered on an unprotected channel.  docs/replies.md "AUTH",
# docs/security.md.  Values from tests/transcripts/tools/sasl_gen.py:
#   sasl_gen.py cram tim tanstaaftanstaaf --now 1700000123456 --host pop.example.org
config sasl_mechs=CRAM-MD5 hostname=pop.example.org
conn now=1700000123456
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: SASL CRAM-MD5
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH CRAM-MD5
S: + PEFCQ0RFRkdISUpLTE1OT1BRUlNULjEyMzQ1NkBwb3AuZXhhbXBsZS5vcmc+
C: dGltIDgxYzM3NzkyZDFiNDRkZDFlODE5ZjgzYTlkYjczODJi
S: +OK maildrop has 0 messages (0 octets)
expect user tim
