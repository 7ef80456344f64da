# The backend hands out one octet per read: a CR at the end of one chunk
# and the LF at the start of the next are one line end, and a "." at the
# start of a chunk after a line end is still stuffed.  POP3-BEHAVIOUR.md
# "Sizes and message bodies".
conn protected
user ivan secret=chunky
msg ivan "a\r\nb\r\n.c\r\n\r\n..d\r\ne"
backend chunk=1
S: +OK POP3 server ready
C: USER ivan
S: +OK send PASS
C: PASS chunky
S: +OK maildrop has 1 message (20 octets)
C: RETR 1
S: +OK 20 octets
S: a
S: b
S: ..c
S:
S: ...d
S: e
S: .
C: NOOP
S: +OK noop
