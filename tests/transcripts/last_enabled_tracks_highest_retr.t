# POP3_CFG_ENABLE_LAST: LAST answers "+OK n", the highest message number
# retrieved by RETR (TOP does not count), 0 at first and after RSET.
# RFC 1460, docs/replies.md "TRANSACTION".
config flags=ENABLE_LAST
conn protected
user xena secret=lastone
msg xena "a\r\n"
msg xena "b\r\n"
msg xena "c\r\n"
S: +OK POP3 server ready
C: USER xena
S: +OK send PASS
C: PASS lastone
S: +OK maildrop has 3 messages (9 octets)
C: LAST
S: +OK 0
C: RETR 2
S: +OK 3 octets
S: b
S: .
C: LAST
S: +OK 2
C: RETR 1
S: +OK 3 octets
S: a
S: .
C: LAST
S: +OK 2
C: TOP 3 0
S: +OK top of message follows
S: c
S: .
C: LAST
S: +OK 2
C: RSET
S: +OK maildrop has 3 messages (9 octets)
C: LAST
S: +OK 0
C: LAST 1
S: -ERR usage: LAST
