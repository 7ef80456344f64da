# Without per-user values, CAPA in TRANSACTION shows the same configured
# LOGIN-DELAY, EXPIRE and IMPLEMENTATION as before login, without USER.
# docs/replies.md "CAPA", RFC 2449 s6.5, s6.7.
config login_delay=600 expire=0 implementation=libpop3
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: LOGIN-DELAY 600
S: EXPIRE 0
S: IMPLEMENTATION libpop3
S: .
