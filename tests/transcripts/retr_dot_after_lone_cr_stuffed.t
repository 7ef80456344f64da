# A lone CR becomes CRLF, so a "." after it starts a line and is stuffed.
# pop3.h codec rules.
conn protected
user frank secret=stuffing
msg frank "x\r.y\r\n"
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
