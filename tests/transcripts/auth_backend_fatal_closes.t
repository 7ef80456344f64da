# A fatal failure of the authenticate callback (negative return) closes the
# session: the API call returns POP3_E_CALLBACK, nothing more is sent, no
# maildrop is opened.  pop3.h pop3_answer_mode.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail auth FATAL
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
expect state AUTHORIZATION
C: PASS wonderland
expect closed
expect fatal POP3_E_CALLBACK
expect maildrop-close none
