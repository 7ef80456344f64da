# 300 pipelined RETRs whose replies (9600 octets) exceed the output window:
# the engine stops taking input while its output is full and resumes as it
# drains; every reply is whole and in order.  DESIGN.md "Backpressure",
# POP3-BEHAVIOUR.md "Pipelining".
conn protected
user pia secret=pipeline
msg pia "Hello, world\r\n"
S: +OK POP3 server ready
C: USER pia
S: +OK send PASS
C: PASS pipeline
S: +OK maildrop has 1 message (14 octets)
C= "RETR 1\r\n"*300 "QUIT\r\n"
S= "+OK 14 octets\r\nHello, world\r\n.\r\n"*300
S: +OK bye, 0 messages deleted
expect closed
