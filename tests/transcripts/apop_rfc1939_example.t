# The RFC 1939 s7 example: timestamp <1896.697170952@dbc.mtview.ca.us>,
# secret "tanstaaf", digest c4c9334bac560ecc979e58001b3e22fb.  The library
# computes MD5(timestamp secret) from the secret the host hands it.  APOP
# is not a plaintext password, so it works on an unprotected channel.
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose secret=tanstaaf
msg mrose "From: rose@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
msg mrose "Subject: two\n\n.dotted\n"
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 2 messages (71 octets)
expect state TRANSACTION
expect user mrose
C: RETR 2
S: +OK 25 octets
S: Subject: two
S:
S: ..dotted
S: .
