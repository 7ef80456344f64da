# With POP3_CFG_AUTH_LIST a bare AUTH lists the mechanisms usable on the
# channel, one per line (old Outlook discovery): "+OK SASL mechanisms
# follow", the names, ".".  Not a bad command.  On this unprotected
# channel PLAIN, LOGIN and XOAUTH2 are left out.  POP3-BEHAVIOUR.md "AUTH",
# docs/replies.md "AUTH", pop3.h POP3_CFG_AUTH_LIST.
config flags=AUTH_LIST max_bad_commands_auth=1 sasl_mechs=PLAIN,LOGIN,CRAM-MD5,XOAUTH2,EXTERNAL,HOST host_mechs="X-TWICE GSSAPI"
S: +OK POP3 server ready
C: AUTH
S: +OK SASL mechanisms follow
S: CRAM-MD5
S: EXTERNAL
S: X-TWICE
S: GSSAPI
S: .
C: AUTH
S: +OK SASL mechanisms follow
S: CRAM-MD5
S: EXTERNAL
S: X-TWICE
S: GSSAPI
S: .
expect open
