# A commit callback that fails fatally (negative return): the API call
# reports POP3_E_CALLBACK, the session is closed without a reply and the
# maildrop closed uncommitted.  pop3.h pop3_answer_mode, "Return codes".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail commit FATAL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 1
S: +OK message 1 deleted
expect state TRANSACTION
C: QUIT
expect closed
expect fatal POP3_E_CALLBACK
expect maildrop-close uncommitted
