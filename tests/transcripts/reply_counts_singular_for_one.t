# Counts in reply texts agree with their number: "1 message", "1 octet",
# "2 messages", "0 messages" (docs/replies.md, "Counts").  Checked where
# counts appear: the maildrop line after PASS and RSET, LIST without an
# argument, and the QUIT reply.  Message 1's size is the backend's (1).
conn protected
user alice secret=wonderland
msg alice uid=one size=1 "x"
msg alice uid=two "From: a\r\n\r\nb\r\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 2 messages (15 octets)
C: DELE 2
S: +OK message 2 deleted
C: LIST
S: +OK 1 message (1 octet)
S: 1 1
S: .
C: RSET
S: +OK maildrop has 2 messages (15 octets)
C: DELE 1
S: +OK message 1 deleted
C: DELE 2
S: +OK message 2 deleted
C: LIST
S: +OK 0 messages (0 octets)
S: .
C: RSET
S: +OK maildrop has 2 messages (15 octets)
C: DELE 1
S: +OK message 1 deleted
C: QUIT
S: +OK bye, 1 message deleted
expect commit 1
expect maildrop-close committed
