# An overlong line counts as a bad command: the third in AUTHORIZATION
# closes the session.  POP3-BEHAVIOUR.md "Command syntax", docs/replies.md.
conn protected
S: +OK POP3 server ready
C= "USER " "a"*300 "\r\n"
S: -ERR line too long
C= "USER " "b"*300 "\r\n"
S: -ERR line too long
C= "USER " "c"*300 "\r\n"
S: -ERR too many bad commands, closing
expect closed
expect limit BAD_COMMANDS
expect close-reason LIMIT
