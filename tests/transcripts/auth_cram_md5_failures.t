# CRAM-MD5 failures, each "-ERR [AUTH] authentication failed": an initial
# response (CRAM-MD5 is server-first, RFC 4422 s3.3: the exchange fails
# without a challenge), a response that is not "name SP 32 hex digits", a
# digest for an unknown user, a wrong digest.  Every challenge has a fresh
# nonce (the next 20 random octets).  RFC 2195 s2, docs/replies.md "AUTH".
# Values: tools/sasl_gen.py cram tim tanstaaftanstaaf --now 0 --start 0|20|40
config sasl_mechs=CRAM-MD5 max_auth_failures=0
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH CRAM-MD5 dGlt
S: -ERR [AUTH] authentication failed
expect auth-calls 0
C: AUTH CRAM-MD5
S: + PEFCQ0RFRkdISUpLTE1OT1BRUlNULjBAbG9jYWxob3N0Pg==
# "tim 0123456789abcdef0123456789abcdeg": not hex
C: dGltIDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVn
S: -ERR [AUTH] authentication failed
expect auth-calls 0
C: AUTH CRAM-MD5
S: + PFVWV1hZWmFiY2RlZmdoaWprbG1uLjBAbG9jYWxob3N0Pg==
# "nobody <digest of the first challenge>"
C: bm9ib2R5IGUwMTA4NGE3ZDczZDRkZmUxNmI5NDk4YzI3MjBlMzk2
S: -ERR [AUTH] authentication failed
C: AUTH CRAM-MD5
S: + PG9wcXJzdHV2d3h5ejAxMjM0NTY3LjBAbG9jYWxob3N0Pg==
# "tim <digest of the second challenge>": right secret, stale challenge
C: dGltIDYyNzRlN2Q0MzE5ZDU3NjQ0ZGVlNDIwMzMyOGFiN2M5
S: -ERR [AUTH] authentication failed
expect auth-calls 2
expect state AUTHORIZATION
