# End of input in AUTHORIZATION: close without a reply, nothing opened.
# RFC 1939 s6, pop3.h pop3_session_in_eof.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
EOF
expect closed
expect maildrop-close none
expect close-reason EOF
