# A client may send many commands at once: they are executed and answered
# strictly in the order received, each reply whole.  RFC 2449 s6.6,
# POP3-BEHAVIOUR.md "Pipelining".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
C: PASS wonderland
C: STAT
C: LIST
C: UIDL 2
C: RETR 3
C: DELE 1
C: TOP 2 1
C: XXXX
C: NOOP
C: QUIT
S: +OK send PASS
S: +OK maildrop has 3 messages (136 octets)
S: +OK 3 136
S: +OK 3 messages (136 octets)
S: 1 51
S: 2 53
S: 3 32
S: .
S: +OK 2 msg-two
S: +OK 32 octets
S: Subject: three
S:
S: bare LF body
S: .
S: +OK message 1 deleted
S: +OK top of message follows
S: From: bob@example.org
S: Subject: two
S:
S: second
S: .
S: -ERR unknown command
S: +OK noop
S: +OK bye, 1 message deleted
expect closed
expect commit 1
