# APOP takes exactly a name and a digest.  docs/replies.md (usage strings).
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose
S: -ERR usage: APOP name digest
C: APOP
S: -ERR usage: APOP name digest
expect state AUTHORIZATION
