# AUTH LOGIN with an initial response: it is the user name, so the only
# challenge is "Password:".  A wrong password fails like PASS.
# draft-murchison-sasl-login, RFC 5034 s4, docs/replies.md "AUTH".
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
C: d3JvbmctcGFzc3dvcmQ=
S: -ERR [AUTH] authentication failed
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
C: dGFuc3RhYWZ0YW5zdGFhZg==
S: +OK maildrop has 0 messages (0 octets)
