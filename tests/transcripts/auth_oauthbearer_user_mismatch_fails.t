# OAUTHBEARER whose gs2 authzid ("a=") names another user than the token
# does: the host refuses; the default error challenge
# {"status":"invalid_token"} goes out, the client's 0x01 dummy response,
# then the failure.  RFC 7628 s3.1 and s3.2.2, docs/replies.md "AUTH".
config sasl_mechs=OAUTHBEARER
conn protected
user user@example.com
user other@example.com
token vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg== user=user@example.com
S: +OK POP3 server ready
C: AUTH OAUTHBEARER
S: + 
C: bixhPW90aGVyQGV4YW1wbGUuY29tLAFhdXRoPUJlYXJlciB2RjlkZnQ0cW1UYzJOdmIzUmxja0JoYkhSaGRtbHpkR0V1WTI5dENnPT0BAQ==
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=
C: AQ==
S: -ERR [AUTH] authentication failed
expect user none
