# The bad-command counter restarts at login, and TRANSACTION has its own
# limit (here 3): two bad commands before login and two after are fine, the
# third after login closes (without UPDATE).  pop3.h
# max_bad_commands_trans.
config max_bad_commands_trans=3
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
C: XXXX
S: -ERR unknown command
C: XXXX
S: -ERR unknown command
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
C: DELE 1
S: +OK message 1 deleted
C: XXXX
S: -ERR unknown command
C: XXXX
S: -ERR unknown command
C: XXXX
S: -ERR too many bad commands, closing
expect closed
expect no-commit
expect maildrop-close uncommitted
