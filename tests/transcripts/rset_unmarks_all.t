# RSET removes every deletion mark: "+OK maildrop has N messages (M
# octets)" with the full counts, and a later QUIT deletes only what was
# marked after it.  RFC 1939 s5 (RSET), docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 1
S: +OK message 1 deleted
C: DELE 3
S: +OK message 3 deleted
C: RSET
S: +OK maildrop has 3 messages (136 octets)
C: STAT
S: +OK 3 136
C: LIST 1
S: +OK 1 51
C: DELE 2
S: +OK message 2 deleted
C: QUIT
S: +OK bye, 1 message deleted
expect commit 2
expect maildrop-close committed
