# APOP for an unknown user fails with the same uniform reply.
# POP3-BEHAVIOUR.md "Commands".
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP nobody c4c9334bac560ecc979e58001b3e22fb
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
