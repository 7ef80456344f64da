# A second DELE of the same message is "-ERR message n already deleted"
# (Mailutils answers +OK twice; tpop3d corrupts STAT), it is not a bad
# command, and STAT stays right.  RFC 1939 s5, POP3-BEHAVIOUR.md "Commands".
config max_bad_commands_trans=1
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
C: DELE 2
S: -ERR message 2 already deleted
C: DELE 2
S: -ERR message 2 already deleted
C: STAT
S: +OK 2 83
C: QUIT
S: +OK bye, 1 message deleted
expect commit 2
