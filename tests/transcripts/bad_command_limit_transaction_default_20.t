# TRANSACTION tolerates 19 bad commands by default; the 20th closes the
# session without UPDATE.  pop3.h max_bad_commands_trans (default 20).
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
C= "XXXX\r\n"*19
S= "-ERR unknown command\r\n"*19
C: NOOP
S: +OK noop
C: XXXX
S: -ERR too many bad commands, closing
expect closed
expect no-commit
