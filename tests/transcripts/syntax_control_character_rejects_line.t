# A NUL or other control byte (0x00-0x1F, 0x7F) inside a command rejects
# the whole line: "-ERR invalid character in command".  TAB is a control
# byte unless POP3_CFG_LENIENT_SPACES.  POP3-BEHAVIOUR.md "Command syntax",
# docs/replies.md.
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
C= "NO\x01OP\r\n"
S: -ERR invalid character in command
C= "DELE 1\x00\r\n"
S: -ERR invalid character in command
C= "LIST\t1\r\n"
S: -ERR invalid character in command
C= "STAT\x7f\r\n"
S: -ERR invalid character in command
C= "RSET\x1b\r\n"
S: -ERR invalid character in command
C: STAT
S: +OK 3 136
