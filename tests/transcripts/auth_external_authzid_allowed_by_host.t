# With POP3_CFG_ALLOW_AUTHZID and a host that lets the transport identity
# act as another user, EXTERNAL with that authzid logs in as the authzid.
# RFC 4422 appendix A, pop3.h POP3_CFG_ALLOW_AUTHZID.
config sasl_mechs=EXTERNAL flags=ALLOW_AUTHZID
external alice
user alice authz=bob
user bob
msg bob "Subject: b\r\n\r\nb\r\n"
S: +OK POP3 server ready
C: AUTH EXTERNAL Ym9i
S: +OK maildrop has 1 message (17 octets)
expect user bob
