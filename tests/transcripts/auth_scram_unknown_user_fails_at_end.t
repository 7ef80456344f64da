# SCRAM for an unknown user (the host answers POP3_R_DENIED): the exchange
# goes on with a made-up salt (random octets 0..15), default iteration
# count 4096 and made-up keys (octets 16..55), the server nonce comes from
# octets 56..79, and the failure comes only after the client's proof -
# exactly like a wrong password (auth_scram_wrong_proof_fails), so users
# cannot be enumerated.  pop3.h pop3_auth_answer, docs/security.md "User
# enumeration".
# Values: tools/sasl_gen.py scram sha1 nobody pencil --salt QSXCR+Q6sek8bf92
#         --cnonce fyko+d2lbbFgONRv9qkxdawL --unknown
config sasl_mechs=SCRAM-SHA-1
user user secret=pencil salt=QSXCR+Q6sek8bf92 iterations=4096
S: +OK POP3 server ready
C: AUTH SCRAM-SHA-1 biwsbj1ub2JvZHkscj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w=
# r=fyko+d2lbbFgONRv9qkxdawL456789+/ABCDEFGHIJKLMNOP,s=AAECAwQFBgcICQoLDA0ODw==,i=4096
S: + cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w0NTY3ODkrL0FCQ0RFRkdISUpLTE1OT1Ascz1BQUVDQXdRRkJnY0lDUW9MREEwT0R3PT0saT00MDk2
expect auth-calls 1
expect open
C: Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMNDU2Nzg5Ky9BQkNERUZHSElKS0xNTk9QLHA9QTJFSnBFbzhhSGs1TmZTenQ2OTczYy9OYmdzPQ==
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
expect user none
