# PLAIN with an authorization identity different from the authentication
# identity (RFC 4616 s4 example: Kurt acting as Ursel) fails before the
# host is asked unless POP3_CFG_ALLOW_AUTHZID.  An authzid equal to the
# authcid is no request at all and is accepted.  pop3.h
# POP3_CFG_ALLOW_AUTHZID, docs/security.md.
conn protected
user Kurt secret=xipj3plmq authz=Ursel
user Ursel secret=ursel-secret
S: +OK POP3 server ready
C: AUTH PLAIN VXJzZWwAS3VydAB4aXBqM3BsbXE=
S: -ERR [AUTH] authentication failed
expect auth-calls 0
C: AUTH PLAIN S3VydABLdXJ0AHhpcGozcGxtcQ==
S: +OK maildrop has 0 messages (0 octets)
expect user Kurt
