# A "." after a bare LF starts a line and is stuffed (GreenMail shipped this
# bug).  POP3-BEHAVIOUR.md "Sizes and message bodies".
conn protected
user frank secret=stuffing
msg frank "x\n.y\n"
S: +OK POP3 server ready
C: USER frank
S: +OK send PASS
C: PASS stuffing
S: +OK maildrop has 1 message (7 octets)
C: RETR 1
S: +OK 7 octets
S: x
S: ..y
S: .
