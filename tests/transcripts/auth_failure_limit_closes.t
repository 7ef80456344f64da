# Failed authentications are limited per connection (default 3): the third
# failure is answered "-ERR [AUTH] authentication failed, closing" and the
# session closes.  POP3-BEHAVIOUR.md "Security", docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS one
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS two
S: -ERR [AUTH] authentication failed
C: USER alice
S: +OK send PASS
C: PASS three
C: USER alice
S: -ERR [AUTH] authentication failed, closing
expect closed
expect limit AUTH_FAILURES
expect close-reason LIMIT
expect maildrop-close none
