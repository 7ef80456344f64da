# A partial line (no line end) when the input ends is not a command and is
# not executed: "QUI" must not commit the DELE.  pop3.h pop3_session_in_eof
# ("complete commands").
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
C= "DELE 1\r\nQUI"
S: +OK message 1 deleted
EOF
expect closed
expect no-commit
expect maildrop-close uncommitted
