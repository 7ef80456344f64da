# Complete commands received before end of input are still executed and
# answered, in order, and a QUIT among them still commits.  pop3.h
# pop3_session_in_eof.  The driver signals EOF as soon as the engine has
# taken these bytes, before their replies are drained.
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
C: STAT
S: +OK 2 85
C: QUIT
S: +OK bye, 1 message deleted
EOF
expect closed
expect commit 1
expect maildrop-close committed
