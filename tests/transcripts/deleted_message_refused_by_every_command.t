# A message marked deleted may not be referred to: LIST, RETR, TOP and UIDL
# of it are "-ERR message n already deleted".  RFC 1939 s5,
# POP3-BEHAVIOUR.md "Commands" (DELE).
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 1
S: +OK message 1 deleted
C: LIST 1
S: -ERR message 1 already deleted
C: RETR 1
S: -ERR message 1 already deleted
C: TOP 1 0
S: -ERR message 1 already deleted
C: UIDL 1
S: -ERR message 1 already deleted
C: RETR 2
S: +OK 53 octets
S: From: bob@example.org
S: Subject: two
S:
S: second
S: body
S: .
