# QUIT in TRANSACTION enters UPDATE: the backend's commit gets exactly the
# marked messages, then "+OK bye, N messages deleted" and close; the
# maildrop is closed committed.  RFC 1939 s6, docs/replies.md "TRANSACTION".
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
C: QUIT
S: +OK bye, 2 messages deleted
expect closed
expect commit 1,3
expect maildrop-close committed
expect close-reason QUIT
