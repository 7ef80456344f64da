# LIST without an argument: "+OK N messages (M octets)", one "n size" line
# per message, then ".".  RFC 1939 s5 (LIST), docs/replies.md.
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
C: LIST
S: +OK 3 messages (136 octets)
S: 1 51
S: 2 53
S: 3 32
S: .
