# Message numbers never change during a session: after DELE 2, LIST shows 1
# and 3 (Courier renumbers - an interoperability bug), and LIST 2 is an
# error.  RFC 1939 s5, POP3-BEHAVIOUR.md "Commands" (LIST).
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
C: DELE 2
S: +OK message 2 deleted
C: LIST
S: +OK 2 messages (83 octets)
S: 1 51
S: 3 32
S: .
C: LIST 3
S: +OK 3 32
C: LIST 2
S: -ERR message 2 already deleted
