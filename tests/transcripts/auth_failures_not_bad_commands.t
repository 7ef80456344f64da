# Failed logins are counted separately from bad commands: four failures
# with max_auth_failures=5 do not hit the bad-command limit (3).
# docs/replies.md "AUTHORIZATION" ("they are not bad commands").
config max_auth_failures=5
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS bad-one
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS bad-two
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS bad-three
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS bad-four
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
