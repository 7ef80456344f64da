# End of input behind a failed PASS: the failure is still answered (after
# its delay), then the session closes.  pop3.h pop3_session_in_eof.
config auth_fail_delay_ms=500
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wrong-password
EOF
T: 500
S: -ERR [AUTH] authentication failed
expect closed
