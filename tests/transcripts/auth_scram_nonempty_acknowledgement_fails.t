# After the v= ServerSignature challenge the client must answer with an
# empty response (RFC 5802 s5, additional data sent as a challenge per
# RFC 4422 s3.6); anything else ends the exchange with "-ERR [AUTH]
# authentication failed" and no login.  The host answers POP3_R_SCRAM
# (tools/sasl_gen.py scram-keys sha1 pencil --salt QSXCR+Q6sek8bf92).
# docs/replies.md "AUTH".
config sasl_mechs=SCRAM-SHA-1
user user salt=QSXCR+Q6sek8bf92 iterations=4096 stored_key=6dlGYMOdZcOPutkcNY8U2g7vK9Y= server_key=D+CSWLOshSulAsxiupA+qs2/fTE=
S: +OK POP3 server ready
C: AUTH SCRAM-SHA-1 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM
S: + cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0xBQkNERUZHSElKS0xNTk9QUVJTVFVWV1gscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==
C: Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMQUJDREVGR0hJSktMTU5PUFFSU1RVVldYLHA9bzNNSlZLUmFmeFZyNUNHTDRCc0VqeVpDNGc0PQ==
S: + dj1rOCtnZWlPVFlVMUlYT25yTmRGM25HbTZHNmM9
# "v=ok"
C: dj1vaw==
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
expect user none
expect maildrop-close none
