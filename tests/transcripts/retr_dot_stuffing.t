# Every line that starts with "." is sent with one more "." - including the
# first line, a line that is only ".", and one starting "..".  The size does
# not count the stuffing.  RFC 1939 s3.
conn protected
user frank secret=stuffing
msg frank ".hidden\r\n.\r\n..two\r\na.b\r\n"
S: +OK POP3 server ready
C: USER frank
S: +OK send PASS
C: PASS stuffing
S: +OK maildrop has 1 message (24 octets)
C: RETR 1
S: +OK 24 octets
S: ..hidden
S: ..
S: ...two
S: a.b
S: .
