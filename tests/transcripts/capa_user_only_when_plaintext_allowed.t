# USER is advertised only where plaintext login is allowed (here a
# protected channel) and only in AUTHORIZATION; so is the SASL line with
# the default plaintext mechanisms PLAIN and LOGIN.  POP3-BEHAVIOUR.md
# "CAPA", docs/replies.md "CAPA", pop3.h pop3_config.sasl_mechs.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
