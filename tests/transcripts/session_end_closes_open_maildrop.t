# A session freed while the maildrop is open (no QUIT, no EOF) closes it
# uncommitted, exactly once (checked by the mock host at teardown).
# pop3.h pop3_session_deinit, maildrop_close.
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
C: DELE 3
S: +OK message 3 deleted
expect open
expect maildrop-close none
