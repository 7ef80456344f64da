# AUTH SCRAM-SHA-256 (RFC 7677) with the client-first message as initial
# response.  The host stores no password: it answers POP3_R_SCRAM with the
# salt, iteration count, StoredKey and ServerKey (RFC 5802 s3) of the
# RFC 7677 s3 example user.  The mock's random octets start at 100 here, so
# the server nonce is "klmnopqrstuvwxyz01234567".  docs/security.md
# "Wiring", docs/replies.md "AUTH".
# Values: tools/sasl_gen.py scram sha256 user pencil
#         --salt W22ZaJ0SNY7soEsUEjb6gQ== --cnonce rOprNGfwEbeRWgbNEkqO --start 100
#         tools/sasl_gen.py scram-keys sha256 pencil --salt W22ZaJ0SNY7soEsUEjb6gQ==
config sasl_mechs=SCRAM-SHA-1,SCRAM-SHA-256
random start=100
user user salt=W22ZaJ0SNY7soEsUEjb6gQ== iterations=4096 stored_key=WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY= server_key=wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=
msg user "Subject: s\r\n\r\nx\r\n"
S: +OK POP3 server ready
# n,,n=user,r=rOprNGfwEbeRWgbNEkqO
C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
# r=rOprNGfwEbeRWgbNEkqOklmnopqrstuvwxyz01234567,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096
S: + cj1yT3ByTkdmd0ViZVJXZ2JORWtxT2tsbW5vcHFyc3R1dnd4eXowMTIzNDU2NyxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=
# c=biws,r=rOprNGfwEbeRWgbNEkqOklmnopqrstuvwxyz01234567,p=8DaQeBNPYiwt/clt1RXxSEy2/CsKqPyaiHoTUnhG1W4=
C: Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU9rbG1ub3BxcnN0dXZ3eHl6MDEyMzQ1NjcscD04RGFRZUJOUFlpd3QvY2x0MVJYeFNFeTIvQ3NLcVB5YWlIb1RVbmhHMVc0PQ==
# v=Qk57StLQc7wbVJZaZKyHdaXol0TRSAlTu1jXnocjZEc=
S: + dj1RazU3U3RMUWM3d2JWSlphWkt5SGRhWG9sMFRSU0FsVHUxalhub2NqWkVjPQ==
C:
S: +OK maildrop has 1 message (17 octets)
expect user user
