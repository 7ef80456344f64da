# A successful USER/PASS whose maildrop opens moves AUTHORIZATION ->
# TRANSACTION and answers "+OK maildrop has N messages (M octets)".
# RFC 1939 s4, s7 (PASS), docs/replies.md "AUTHORIZATION".
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
expect state TRANSACTION
expect user alice
expect maildrop-close none
C: QUIT
S: +OK bye, 0 messages deleted
expect closed
expect close-reason QUIT
