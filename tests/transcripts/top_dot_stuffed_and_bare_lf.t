# TOP output is dot-stuffed and CRLF-normalised like RETR, and bare-LF
# lines count as lines.  RFC 1939 s3, s7.
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
C: TOP 3 2
S: +OK top of message follows
S: Subject: t
S:
S: ..one
S: two
S: .
C: TOP 3 3
S: +OK top of message follows
S: Subject: t
S:
S: ..one
S: two
S: ..three
S: .
