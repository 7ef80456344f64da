# A message with no empty line is all header: TOP sends its header lines
# only (no empty line is invented by default).  RFC 1939 s7,
# POP3-BEHAVIOUR.md "Commands" (TOP).
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
C: TOP 2 0
S: +OK top of message follows
S: H1: a
S: H2: b
S: .
C: TOP 2 5
S: +OK top of message follows
S: H1: a
S: H2: b
S: .
