# With POP3_R_SECRET the library compares the whole password: a prefix, an
# extension or another case of the secret is refused.  pop3.h
# pop3_auth_answer.secret.
config max_auth_failures=0
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderlan
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS wonderlands
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS WONDERLAND
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
