# UIDL: "+OK unique-id listing follows", "n uid" per message, "."; UIDL n:
# "+OK n uid".  RFC 1939 s7 (UIDL), docs/replies.md.
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
C: UIDL
S: +OK unique-id listing follows
S: 1 msg-one
S: 2 msg-two
S: 3 msg-three
S: .
C: UIDL 2
S: +OK 2 msg-two
