# Bytes that do not complete a command do not restart the idle timer: the
# session logs out 10 minutes after the last complete command even though
# "NOO" arrived in between.  POP3-BEHAVIOUR.md "Security".
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
T: 300000
C= "NOO"
expect deadline 600000
T: 600000
expect closed
expect close-reason TIMEOUT
