# A commit that fails permanently: "-ERR [SYS/PERM] could not delete
# messages", then close; the maildrop is closed uncommitted.  RFC 1939 s6,
# RFC 3206, docs/replies.md "TRANSACTION".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail commit PERMFAIL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 1
S: +OK message 1 deleted
C: DELE 2
S: +OK message 2 deleted
C: QUIT
S: -ERR [SYS/PERM] could not delete messages
expect closed
expect commit 1,2
expect maildrop-close uncommitted
