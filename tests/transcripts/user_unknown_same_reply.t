# USER is accepted whether or not the user exists, and a failed PASS gives
# one uniform reply for unknown user and wrong password (no user
# enumeration).  POP3-BEHAVIOUR.md "Commands" (USER, PASS).
config max_auth_failures=0
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER nobody
S: +OK send PASS
C: PASS wonderland
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS rabbit-hole
S: -ERR [AUTH] authentication failed
