# AUTH SCRAM-SHA-1 (RFC 5802), the whole exchange without an initial
# response: empty challenge, client-first, server-first (client nonce plus
# 24 server nonce characters from the host's random octets 0..23), client-
# final with the proof, the v= ServerSignature as a challenge, the client's
# empty acknowledgement, then +OK.  The host answers POP3_R_SECRET with the
# password, salt and iteration count of the RFC 5802 s5 example; the
# library derives the keys.  RFC 5034 s4, docs/replies.md "AUTH".
# Values: tools/sasl_gen.py scram sha1 user pencil --salt QSXCR+Q6sek8bf92
#         --cnonce fyko+d2lbbFgONRv9qkxdawL
config sasl_mechs=SCRAM-SHA-1
user user secret=pencil salt=QSXCR+Q6sek8bf92 iterations=4096
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: SASL SCRAM-SHA-1
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
C: AUTH SCRAM-SHA-1
S: + 
# n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL
C: biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM
# r=fyko+d2lbbFgONRv9qkxdawLABCDEFGHIJKLMNOPQRSTUVWX,s=QSXCR+Q6sek8bf92,i=4096
S: + cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0xBQkNERUZHSElKS0xNTk9QUVJTVFVWV1gscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==
# c=biws,r=fyko+d2lbbFgONRv9qkxdawLABCDEFGHIJKLMNOPQRSTUVWX,p=o3MJVKRafxVr5CGL4BsEjyZC4g4=
C: Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMQUJDREVGR0hJSktMTU5PUFFSU1RVVldYLHA9bzNNSlZLUmFmeFZyNUNHTDRCc0VqeVpDNGc0PQ==
# v=k8+geiOTYU1IXOnrNdF3nGm6G6c=
S: + dj1rOCtnZWlPVFlVMUlYT25yTmRGM25HbTZHNmM9
C:
S: +OK maildrop has 0 messages (0 octets)
expect user user
expect state TRANSACTION
