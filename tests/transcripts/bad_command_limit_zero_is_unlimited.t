# max_bad_commands_auth = 0 means unlimited.  pop3.h.
config max_bad_commands_auth=0
conn protected
S: +OK POP3 server ready
C= "XXXX\r\n"*50
S= "-ERR unknown command\r\n"*50
expect open
C: QUIT
S: +OK bye
