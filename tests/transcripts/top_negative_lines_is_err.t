# TOP's line count is 1*DIGIT: "-1" is an error, never "the whole message"
# (James and Mailutils), and so are "x" and "1x".  POP3-BEHAVIOUR.md
# "Command syntax", docs/replies.md.
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
C: TOP 1 -1
S: -ERR invalid line count
C: TOP 1 x
S: -ERR invalid line count
C: TOP 1 1x
S: -ERR invalid line count
C: TOP 1 +1
S: -ERR invalid line count
expect state TRANSACTION
