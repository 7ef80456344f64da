# On a protected channel CAPA's SASL line lists every configured mechanism
# in the library's order, host mechanisms last.  docs/replies.md "CAPA".
config sasl_mechs=PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-1,SCRAM-SHA-256,OAUTHBEARER,XOAUTH2,EXTERNAL,HOST host_mechs="GSSAPI X-TWICE"
conn protected
S: +OK POP3 server ready
C: CAPA
S: +OK capability list follows
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 OAUTHBEARER XOAUTH2 EXTERNAL GSSAPI X-TWICE
S: RESP-CODES
S: AUTH-RESP-CODE
S: PIPELINING
S: .
