# TOP that reaches the end of a message without a final newline ends the
# last line with CRLF before the terminator.  pop3.h codec rules.
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
C: TOP 4 5
S: +OK top of message follows
S: H: a
S:
S: body
S: .
C: TOP 4 0
S: +OK top of message follows
S: H: a
S:
S: .
