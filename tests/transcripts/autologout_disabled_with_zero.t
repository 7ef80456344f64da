# idle_timeout_ms = 0 disables the TRANSACTION timer: no deadline is armed
# and the session stays open however long the client is idle.  pop3.h
# pop3_config.idle_timeout_ms.
config idle_timeout_ms=0
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
expect no-deadline
T: 100000000
expect open
C: NOOP
S: +OK noop
