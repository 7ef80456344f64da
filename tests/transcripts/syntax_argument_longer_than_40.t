# Arguments are at most 40 characters (RFC 1939 s3): 41 is "-ERR argument
# too long", 40 is accepted.  docs/replies.md.
conn protected
S: +OK POP3 server ready
C: USER aaaaaaaaaabbbbbbbbbbccccccccccdddddddddde
S: -ERR argument too long
C: USER aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd
S: +OK send PASS
