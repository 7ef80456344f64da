# Failed SASL exchanges and failed PASS share one per-connection counter:
# a PASS failure, a PLAIN failure and a CRAM-MD5 failure reach the default
# limit of 3, and the third reply is "-ERR [AUTH] authentication failed,
# closing".  RFC 5034 s4, POP3-BEHAVIOUR.md "Security", docs/replies.md
# "AUTH" ("counted and delayed like PASS").
config sasl_mechs=PLAIN,CRAM-MD5
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: USER tim
S: +OK send PASS
C: PASS wrong-password-0
S: -ERR [AUTH] authentication failed
C: AUTH PLAIN AHRpbQB3cm9uZy1wYXNzd29yZC0x
S: -ERR [AUTH] authentication failed
C: AUTH CRAM-MD5
S: + PEFCQ0RFRkdISUpLTE1OT1BRUlNULjBAbG9jYWxob3N0Pg==
C: dGltIDhkMzNkYjc3ZGQzMzM2ZDdiNmY4Yjc3ZjU1N2NjYmJj
S: -ERR [AUTH] authentication failed, closing
expect closed
expect limit AUTH_FAILURES
expect close-reason LIMIT
expect auth-calls 3
