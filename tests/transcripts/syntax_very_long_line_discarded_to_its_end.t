# A line far longer than the input buffer is discarded to its end whatever
# its length, answered once, and the next line is parsed normally.
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
C= "RETR 1" "0123456789"*1000 "\r\nSTAT\r\n"
S: -ERR line too long
S: +OK 3 136
