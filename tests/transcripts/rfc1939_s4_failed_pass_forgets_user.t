# A failed PASS leaves the session in AUTHORIZATION and forgets the USER
# name: a PASS right after it is "-ERR send USER first".  RFC 1939 s4 and
# s7 (PASS), docs/replies.md "AUTHORIZATION".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS looking-glass
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
C: PASS wonderland
S: -ERR send USER first
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
expect state TRANSACTION
