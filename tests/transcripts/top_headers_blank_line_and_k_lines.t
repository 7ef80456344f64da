# TOP n k: "+OK top of message follows", the headers, the empty line that
# ends them, the first k body lines, ".".  k = 0 sends headers and the
# empty line; k beyond the body sends the whole message.  RFC 1939 s7.
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
C: TOP 1 0
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: .
C: TOP 1 2
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: l1
S: l2
S: .
C: TOP 1 3
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: l1
S: l2
S: l3
S: .
C: TOP 1 10
S: +OK top of message follows
S: H1: a
S: H2: b
S:
S: l1
S: l2
S: l3
S: .
