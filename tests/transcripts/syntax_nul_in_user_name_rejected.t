# A NUL inside an argument rejects the line: no name is remembered, so a
# following PASS is "send USER first".  POP3-BEHAVIOUR.md "Command syntax".
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C= "USER alice\x00x\r\n"
S: -ERR invalid character in command
expect user none
C: PASS wonderland
S: -ERR send USER first
