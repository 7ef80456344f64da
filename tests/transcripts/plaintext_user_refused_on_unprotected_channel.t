# On a channel the host has not declared protected (no TLS, no
# POP3_CONN_PROTECTED, no ALLOW_PLAINTEXT) USER and PASS are refused with a
# reason.  POP3-BEHAVIOUR.md "Security", docs/replies.md.
user alice secret=wonderland
S: +OK POP3 server ready
C: USER alice
S: -ERR plaintext login not allowed on this channel
C: PASS wonderland
S: -ERR plaintext login not allowed on this channel
expect state AUTHORIZATION
expect user none
