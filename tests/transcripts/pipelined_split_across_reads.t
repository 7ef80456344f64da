# A pipelined batch ending in half a command: the half is kept until the
# rest arrives.  DESIGN.md "Bytes in" ("partial lines are buffered").
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
C= "STAT\r\nLIST 1\r\nUID"
S: +OK 3 136
S: +OK 1 51
expect state TRANSACTION
C= "L 1\r\n"
S: +OK 1 msg-one
