# Commands after the session decided to close are never executed: the DELE
# and NOOP pipelined behind QUIT get no reply and change nothing.
# POP3-BEHAVIOUR.md "Pipelining", RFC 1939 s6.
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
C: QUIT
C: DELE 2
C: NOOP
S: +OK message 1 deleted
S: +OK bye, 1 message deleted
expect closed
expect commit 1
