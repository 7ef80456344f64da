# A commit that fails temporarily: "-ERR [SYS/TEMP] could not delete
# messages", then close anyway; the maildrop is closed uncommitted.
# RFC 1939 s6 (QUIT), RFC 3206 (SYS/TEMP), docs/replies.md "TRANSACTION".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail commit TEMPFAIL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 2
S: +OK message 2 deleted
C: QUIT
S: -ERR [SYS/TEMP] could not delete messages
expect closed
expect commit 2
expect maildrop-close uncommitted
