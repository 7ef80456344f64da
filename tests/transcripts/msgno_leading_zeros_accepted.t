# A message number is 1*DIGIT: leading zeros are accepted.
# POP3-BEHAVIOUR.md "Command syntax".
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
C: LIST 001
S: +OK 1 51
C: DELE 0003
S: +OK message 3 deleted
C: UIDL 02
S: +OK 2 msg-two
