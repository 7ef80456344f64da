# QUIT in AUTHORIZATION: "+OK bye", close, no UPDATE: nothing is committed
# and no maildrop was opened.  RFC 1939 s4, s6.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: QUIT
S: +OK bye
expect closed
expect no-commit
expect maildrop-close none
expect close-reason QUIT
