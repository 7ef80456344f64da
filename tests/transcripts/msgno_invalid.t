# A message number that is not 1*DIGIT (sign, letters, nothing numeric) is
# "-ERR invalid message number".  POP3-BEHAVIOUR.md "Command syntax",
# docs/replies.md.
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
C: LIST -1
S: -ERR invalid message number
C: LIST +1
S: -ERR invalid message number
C: RETR x
S: -ERR invalid message number
C: DELE one
S: -ERR invalid message number
C: TOP -1 1
S: -ERR invalid message number
C: UIDL .
S: -ERR invalid message number
C: STAT
S: +OK 3 136
