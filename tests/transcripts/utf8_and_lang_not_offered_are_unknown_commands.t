# Without POP3_CFG_UTF8 / POP3_CFG_LANG, UTF8 and LANG are unknown commands
# (bad commands), and CAPA does not list them.  docs/replies.md "UTF8 and
# LANG" ("Not offered, UTF8 and LANG are unknown commands").
config max_bad_commands_auth=2
conn protected
S: +OK POP3 server ready
C: UTF8
S: -ERR unknown command
C: LANG
S: -ERR too many bad commands, closing
expect closed
