# The greeting text comes from pop3_config.greeting.  docs/replies.md
# "Greeting".
config greeting="mail.example.org POP3 service at your command"
S: +OK mail.example.org POP3 service at your command
C: QUIT
S: +OK bye
expect closed
