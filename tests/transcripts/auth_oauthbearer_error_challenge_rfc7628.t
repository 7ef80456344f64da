# OAUTHBEARER with a token the host refuses: the server sends the JSON
# error as a challenge (here the RFC 7628 s4.3 example, from the host's
# bearer_error), the client must answer with the dummy response 0x01
# ("AQ=="), then "-ERR [AUTH] authentication failed".  RFC 7628 s3.2.2,
# docs/replies.md "AUTH".
config sasl_mechs=OAUTHBEARER
conn protected
user user@example.com
token good-token-123 user=user@example.com
bearer-error "{\"status\":\"invalid_token\",\"scope\":\"example_scope\",\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"}"
S: +OK POP3 server ready
C: AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB
S: + eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=
C: AQ==
S: -ERR [AUTH] authentication failed
expect state AUTHORIZATION
expect user none
