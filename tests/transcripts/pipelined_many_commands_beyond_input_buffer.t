# More pipelined commands than the input buffer holds (400 x 6 octets
# through 1024): the engine takes input as its output drains, never losing
# or reordering a command.  POP3-BEHAVIOUR.md "Pipelining" (backpressure).
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
C= "NOOP\r\n"*400 "STAT\r\n"
S= "+OK noop\r\n"*400 "+OK 3 136\r\n"
