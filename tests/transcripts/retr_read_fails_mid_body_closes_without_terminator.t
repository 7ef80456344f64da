# A backend failure after a multi-line reply has begun cannot be reported:
# the session closes without the terminator (no client may take a
# truncated message for a whole one) and without UPDATE; the API reports
# POP3_E_BACKEND.  Output queued at that moment may be lost, hence S~.
# docs/replies.md, pop3.h POP3_E_BACKEND.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
backend chunk=10
fail read 1 TEMPFAIL at=2
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 2
S: +OK message 2 deleted
expect state TRANSACTION
C: RETR 1
S~: +OK 51 octets
S~= "From: ann@"
expect closed
expect fatal POP3_E_BACKEND
expect no-commit
expect maildrop-close uncommitted
