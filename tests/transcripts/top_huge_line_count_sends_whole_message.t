# A line count beyond 32 or even 64 bits is still a valid count: the whole
# message.  RFC 1939 s7 ("if the number of lines requested ... is greater
# than the number of lines in the body").
conn protected
user tina secret=topsecret
msg tina "H1: a\r\nH2: b\r\n\r\nl1\r\nl2\r\nl3\r\n"
msg tina "H1: a\r\nH2: b\r\n"
msg tina "Subject: t\n\n.one\ntwo\n.three\n"
msg tina "H: a\r\n\r\nbody"
S: +OK POP3 server ready
C: USER tina
S: +OK send PASS
C: PASS topsecret
S: +OK maildrop has 4 messages (89 octets)
C: TOP 1 4294967296
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: l1
S: l2
S: l3
S: .
C: TOP 1 99999999999999999999999999
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: l1
S: l2
S: l3
S: .
