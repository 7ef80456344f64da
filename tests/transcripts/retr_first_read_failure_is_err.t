# A read that fails before any reply line has been sent is an ordinary
# -ERR (docs/replies.md: "backend info/read temporary failure (before any
# reply line)"); the session goes on and the message is closed.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail read 1 TEMPFAIL at=1 times=1
fail read 2 NO_MESSAGE at=1 times=1
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: RETR 1
S: -ERR [SYS/TEMP] message temporarily unavailable
C: RETR 2
S: -ERR no such message
C: RETR 1
S: +OK 51 octets
S: From: ann@example.org
S: Subject: one
S:
S: first body
S: .
