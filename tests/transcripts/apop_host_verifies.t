# A host may verify the APOP digest itself (pop3_apop_digest) and answer OK
# or DENIED.  pop3.h pop3_auth_request (timestamp, digest).
conn apop=<1896.697170952@dbc.mtview.ca.us>
user mrose password=tanstaaf verify
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: APOP mrose 36e518aef991838656494cb75fd1337e
S: -ERR [AUTH] authentication failed
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 0 messages (0 octets)
