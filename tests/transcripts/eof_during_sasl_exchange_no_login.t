# The client closes in the middle of an exchange (a challenge is
# outstanding, a partial response line has arrived): the session closes
# without a login, without asking the host, without opening the maildrop.
# RFC 1939 s6, POP3-BEHAVIOUR.md "States".
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: dGlt
S: + UGFzc3dvcmQ6
C= "dGFuc3RhYWZ0YW5z"
EOF
expect closed
expect close-reason EOF
expect auth-calls 0
expect maildrop-close none
