# NUL and 8-bit octets pass through the body unchanged.  POP3-BEHAVIOUR.md
# "Sizes and message bodies".
conn protected
user judy secret=binary
msg judy "a\0b\xff\xfe\r\n\x80.\r\n"
S: +OK POP3 server ready
C: USER judy
S: +OK send PASS
C: PASS binary
S: +OK maildrop has 1 message (11 octets)
C: RETR 1
S: +OK 11 octets
S= "a\0b\xff\xfe\r\n\x80.\r\n.\r\n"
