# The TRANSACTION idle timer is at least 10 minutes: a smaller
# idle_timeout_ms is raised to 600000.  RFC 1939 s3, pop3.h
# pop3_config.idle_timeout_ms.
config idle_timeout_ms=1000
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
expect deadline 600000
T: 1000
expect open
T: 599999
expect open
C: STAT
S: +OK 3 136
T: 1199998
expect open
T: 1199999
expect closed
