# The backend says the message vanished (msg_info NO_MESSAGE): "-ERR no
# such message"; other messages still work.  docs/replies.md.
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail info 2 NO_MESSAGE
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: RETR 2
S: -ERR no such message
C: RETR 3
S: +OK 32 octets
S: Subject: three
S:
S: bare LF body
S: .
