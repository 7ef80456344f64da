# A fatal failure of msg_read (negative return) closes the session:
# POP3_E_CALLBACK, no terminator, no UPDATE.  pop3.h pop3_answer_mode.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
backend chunk=20
fail read 1 FATAL at=2
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
expect state TRANSACTION
C: RETR 1
S~: +OK 51 octets
S~= "From: ann@example.or"
expect closed
expect fatal POP3_E_CALLBACK
expect maildrop-close uncommitted
