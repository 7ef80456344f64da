# The host aborts (transport error, shutdown): close at once without UPDATE,
# the maildrop closed uncommitted.  RFC 1939 s6, pop3.h pop3_session_abort.
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
C: DELE 2
S: +OK message 2 deleted
ABORT
expect closed
expect no-commit
expect maildrop-close uncommitted
expect close-reason ABORT
