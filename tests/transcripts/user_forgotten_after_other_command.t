# Any command other than PASS after USER forgets the name, even a valid
# one.  docs/replies.md "AUTHORIZATION" (last paragraph).
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: PASS wonderland
S: -ERR send USER first
expect state AUTHORIZATION
