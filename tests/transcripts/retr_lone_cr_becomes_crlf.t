# A CR not followed by LF becomes CRLF, also at the very end of the
# message; nothing more is added after it.  pop3.h codec rules.
conn protected
user heidi secret=carriage
msg heidi "a\rb\r\n"
msg heidi "abc\r"
msg heidi ".\r"
S: +OK POP3 server ready
C: USER heidi
S: +OK send PASS
C: PASS carriage
S: +OK maildrop has 3 messages (14 octets)
C: RETR 1
S: +OK 6 octets
S: a
S: b
S: .
C: RETR 2
S: +OK 5 octets
S: abc
S: .
C: RETR 3
S: +OK 3 octets
S: ..
S: .
