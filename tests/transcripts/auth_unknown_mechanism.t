# AUTH with a mechanism that does not exist, or exists but is not enabled
# in sasl_mechs: "-ERR unrecognized authentication mechanism", a bad
# command.  RFC 5034 s4, docs/replies.md "AUTH".
config max_bad_commands_auth=3
conn protected
S: +OK POP3 server ready
C: AUTH NO-SUCH-MECH
S: -ERR unrecognized authentication mechanism
C: AUTH CRAM-MD5
S: -ERR unrecognized authentication mechanism
C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=
S: -ERR too many bad commands, closing
expect closed
