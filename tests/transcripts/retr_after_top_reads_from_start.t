# After a TOP that stopped early, RETR of the same message starts again at
# its first octet (the TOP's read was closed).  RFC 1939 s7, pop3.h
# msg_read (offset), msg_close.
conn protected
user tina secret=topsecret
msg tina "H: a\r\n\r\none\r\ntwo\r\nthree\r\n"
backend chunk=4
S: +OK POP3 server ready
C: USER tina
S: +OK send PASS
C: PASS topsecret
S: +OK maildrop has 1 message (25 octets)
C: TOP 1 1
S: +OK top of message follows
S: H: a
S:
S: one
S: .
C: RETR 1
S: +OK 25 octets
S: H: a
S:
S: one
S: two
S: three
S: .
