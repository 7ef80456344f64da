# The short AUTHORIZATION timer is replaced by the 10-minute TRANSACTION
# timer at login.  RFC 1939 s3, pop3.h pop3_config.
config auth_timeout_ms=30000
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
S: +OK POP3 server ready
expect deadline 30000
T: 20000
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: +OK maildrop has 3 messages (136 octets)
expect deadline 620000
T: 60000
expect open
T: 620000
expect closed
