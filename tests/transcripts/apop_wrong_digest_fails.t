# A well-formed but wrong digest is a failed authentication: "-ERR [AUTH]
# authentication failed", counted toward the limit (1 here: closing).
# RFC 1939 s7, docs/replies.md.
config max_auth_failures=1
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose 36e518aef991838656494cb75fd1337e
S: -ERR [AUTH] authentication failed, closing
expect closed
expect maildrop-close none
