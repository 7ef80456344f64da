# PASS takes the rest of the line, spaces included, and is not limited to
# 40 characters.  RFC 1939 s7 (PASS).
conn protected
user bob secret="correct horse battery staple and then some more words"
msg bob "Subject: x\r\n\r\nbody\r\n"
S: +OK POP3 server ready
C: USER bob
S: +OK send PASS
C: PASS correct horse battery staple and then some more words
S: +OK maildrop has 1 message (20 octets)
expect state TRANSACTION
