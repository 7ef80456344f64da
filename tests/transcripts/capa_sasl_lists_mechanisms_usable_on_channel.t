# CAPA's SASL line lists the configured mechanisms usable now: on an
# unprotected channel PLAIN, LOGIN, OAUTHBEARER and XOAUTH2 are left out
# (and USER); host mechanisms follow the built-in ones.  After login there
# is no SASL line.  RFC 5034 s3 ("SASL" capability), docs/replies.md
# "CAPA", docs/security.md "The plaintext policy".
config sasl_mechs=PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-1,SCRAM-SHA-256,OAUTHBEARER,XOAUTH2,EXTERNAL,HOST host_mechs="GSSAPI X-TWICE"
external alice
user alice
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: SASL CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 EXTERNAL GSSAPI X-TWICE
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH EXTERNAL =
S: +OK maildrop has 0 messages (0 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
