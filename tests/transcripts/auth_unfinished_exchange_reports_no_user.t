# pop3_session_user() gives "the user name of a successful USER, APOP or
# login" (pop3.h): a name the client sent inside a SASL exchange that has
# not succeeded (AUTH LOGIN's user name, here) is none of these - not
# while the exchange runs, and not after the client left in the middle of
# it.  pop3.h pop3_session_user.
conn protected
user tim secret=tanstaaftanstaaf
S: +OK POP3 server ready
C: AUTH LOGIN dGlt
S: + UGFzc3dvcmQ6
expect user none
EOF
expect closed
expect user none
