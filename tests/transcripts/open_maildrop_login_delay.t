# The host enforces its LOGIN-DELAY: "-ERR [LOGIN-DELAY] login too soon
# after the previous one".  RFC 2449 s8.1.2, docs/replies.md.
config login_delay=900
conn protected
user alice secret=wonderland
msg alice uid=msg-one "From: ann@example.org\r\nSubject: one\r\n\r\nfirst body\r\n"
msg alice uid=msg-two "From: bob@example.org\r\nSubject: two\r\n\r\nsecond\r\nbody\r\n"
msg alice uid=msg-three "Subject: three\n\nbare LF body\n"
fail open LOGIN_DELAY
S: +OK POP3 server ready
C: USER alice
S: +OK send PASS
C: PASS wonderland
S: -ERR [LOGIN-DELAY] login too soon after the previous one
expect state AUTHORIZATION
expect maildrop-close none
