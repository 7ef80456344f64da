# AUTH LOGIN: the challenges are "Username:" and "Password:" (base64),
# answered by the client in base64.  draft-murchison-sasl-login,
# docs/replies.md "AUTH" (mechanism specifics).
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: dGlt
S: + UGFzc3dvcmQ6
C: dGFuc3RhYWZ0YW5zdGFhZg==
S: +OK maildrop has 0 messages (0 octets)
expect user tim
