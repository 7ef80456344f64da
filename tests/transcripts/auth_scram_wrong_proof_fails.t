# SCRAM with a proof computed from a wrong password: the server sends no
# v= signature, the exchange fails with "-ERR [AUTH] authentication
# failed" right after client-final (RFC 5802 s5: the server verifies the
# ClientProof), counted as a failed login.  docs/replies.md "AUTH".
# Values: tools/sasl_gen.py scram sha256 user pencil --salt W22ZaJ0SNY7soEsUEjb6gQ==
#         --cnonce rOprNGfwEbeRWgbNEkqO --wrong-password pencil2
config sasl_mechs=SCRAM-SHA-256 max_auth_failures=1
user user salt=W22ZaJ0SNY7soEsUEjb6gQ== iterations=4096 stored_key=WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY= server_key=wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=
S: +OK POP3 server ready
C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
S: + cj1yT3ByTkdmd0ViZVJXZ2JORWtxT0FCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=
C: Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU9BQkNERUZHSElKS0xNTk9QUVJTVFVWV1gscD1xNGZXNjRWT1hPcE5hMGFCOEhqMmgxWVc0SVZjN2NoVWo4bmRrdS9WRTg0PQ==
S: -ERR [AUTH] authentication failed, closing
expect closed
expect limit AUTH_FAILURES
expect user none
