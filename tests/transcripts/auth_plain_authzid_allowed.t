# With POP3_CFG_ALLOW_AUTHZID the host decides whether the authentication
# identity may act as the authorization identity; when it agrees the
# session logs in as the authzid (RFC 4616 s2: "the server ... act as the
# identity").  Kurt may act as Ursel (RFC 4616 s4 example), not as tim.
# pop3.h POP3_CFG_ALLOW_AUTHZID, docs/security.md.
config flags=ALLOW_AUTHZID
conn protected
user Kurt secret=xipj3plmq authz=Ursel
user Ursel secret=ursel-secret
user tim secret=tanstaaftanstaaf
msg Ursel "Subject: for Ursel\r\n\r\nx\r\n"
S: +OK POP3 server ready
C: AUTH PLAIN dGltAEt1cnQAeGlwajNwbG1x
S: -ERR [AUTH] authentication failed
expect auth-calls 1
C: AUTH PLAIN VXJzZWwAS3VydAB4aXBqM3BsbXE=
S: +OK maildrop has 1 message (25 octets)
expect user Ursel
expect state TRANSACTION
