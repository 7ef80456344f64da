/*
 * command.c - the POP3 command tokenizer (RFC 1939 §3, RFC 2449 §4).
 *
 * Pure and stateless: one complete line in (terminator removed), a
 * pop3__command out.  The session decides what to answer; this file only
 * says what the line is.
 */
#include "internal.h"

#include <string.h>

/* One table: name, id, states, argument counts, rest-of-line, usage.
 * LAST is in the table; the session refuses it unless enabled. */
static const pop3__cmd_def commands[] = {
    {"USER", POP3__CMD_USER, POP3__IN_AUTH, 1, 1, 0, 0, "USER name"},
    {"PASS", POP3__CMD_PASS, POP3__IN_AUTH, 1, 1, 1, 0, "PASS password"},
    {"APOP", POP3__CMD_APOP, POP3__IN_AUTH, 2, 2, 0, 0, "APOP name digest"},
    {"QUIT", POP3__CMD_QUIT, POP3__IN_AUTH | POP3__IN_TRANS, 0, 0, 0, 0, "QUIT"},
    {"CAPA", POP3__CMD_CAPA, POP3__IN_AUTH | POP3__IN_TRANS, 0, 0, 0, 0, "CAPA"},
    {"STAT", POP3__CMD_STAT, POP3__IN_TRANS, 0, 0, 0, 0, "STAT"},
    {"LIST", POP3__CMD_LIST, POP3__IN_TRANS, 0, 1, 0, 0, "LIST [msg]"},
    {"RETR", POP3__CMD_RETR, POP3__IN_TRANS, 1, 1, 0, 0, "RETR msg"},
    {"DELE", POP3__CMD_DELE, POP3__IN_TRANS, 1, 1, 0, 0, "DELE msg"},
    {"NOOP", POP3__CMD_NOOP, POP3__IN_TRANS, 0, 0, 0, 0, "NOOP"},
    {"RSET", POP3__CMD_RSET, POP3__IN_TRANS, 0, 0, 0, 0, "RSET"},
    {"TOP",  POP3__CMD_TOP,  POP3__IN_TRANS, 2, 2, 0, 0, "TOP msg lines"},
    {"UIDL", POP3__CMD_UIDL, POP3__IN_TRANS, 0, 1, 0, 0, "UIDL [msg]"},
    {"LAST", POP3__CMD_LAST, POP3__IN_TRANS, 0, 0, 0, 0, "LAST"},
    {"STLS", POP3__CMD_STLS, POP3__IN_AUTH, 0, 0, 0, 0, "STLS"},
    {"AUTH", POP3__CMD_AUTH, POP3__IN_AUTH, 0, 2, 0, 1,
     "AUTH mechanism [initial-response]"},
    {"UTF8", POP3__CMD_UTF8, POP3__IN_AUTH | POP3__IN_TRANS, 0, 0, 0, 0, "UTF8"},
    {"LANG", POP3__CMD_LANG, POP3__IN_AUTH | POP3__IN_TRANS, 0, 1, 0, 0, "LANG [tag]"},
};

static int is_sep(unsigned char c, int lenient)
{
    return c == ' ' || (lenient && c == '\t');
}

/* Characters, not octets: UTF-8 continuation bytes do not count, so the
 * 40-character limit of RFC 1939 §3 holds for UTF-8 names too. */
static size_t count_chars(const char *a, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)a[i] & 0xC0) != 0x80;
    return n;
}

static const pop3__cmd_def *lookup(const char *kw, size_t len)
{
    if (len < 3 || len > 4)
        return NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const char *name = commands[i].name;
        size_t j = 0;
        for (; j < len; j++) {
            unsigned char c = (unsigned char)kw[j];
            if (c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 'a' + 'A');
            if (c != (unsigned char)name[j])
                break;
        }
        if (j == len && name[len] == '\0')
            return &commands[i];
    }
    return NULL;
}

void pop3__parse_command(const char *line, size_t len, unsigned cfg_flags,
                         pop3__command *cmd)
{
    const int lenient = (cfg_flags & POP3_CFG_LENIENT_SPACES) != 0;
    size_t i, kw_len;

    memset(cmd, 0, sizeof *cmd);

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && !(lenient && c == '\t')) || c == 0x7F) {
            cmd->status = POP3__PARSE_BADCHAR;
            return;
        }
    }

    for (kw_len = 0; kw_len < len && !is_sep((unsigned char)line[kw_len], lenient);
         kw_len++)
        ;
    if (kw_len >= 1 && kw_len <= 4) {
        for (i = 0; i < kw_len; i++) {
            unsigned char c = (unsigned char)line[i];
            if (c < 0x21 || c > 0x7E)
                break;
            cmd->verb[i] = (char)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
        }
        if (i < kw_len)
            cmd->verb[0] = '\0';
        else
            cmd->verb[kw_len] = '\0';
    }

    cmd->def = lookup(line, kw_len);
    if (!cmd->def) {
        cmd->status = POP3__PARSE_UNKNOWN;
        return;
    }

    /* Everything after the keyword and its separator. */
    i = kw_len;
    if (i < len) {
        i++;                                    /* the one separator */
        if (lenient)
            while (i < len && is_sep((unsigned char)line[i], 1))
                i++;
        cmd->args = line + i;
        cmd->args_len = len - i;
    }

    if (cmd->def->rest) {
        /* PASS: the argument is the rest of the line, spaces included. */
        if (!cmd->args || cmd->args_len == 0) {
            cmd->status = POP3__PARSE_USAGE;
            return;
        }
        cmd->argc = 1;
        cmd->argv[0] = cmd->args;
        cmd->argl[0] = cmd->args_len;
        return;
    }

    if (cmd->args) {
        size_t p = i;
        if (!lenient && p == len) {
            cmd->status = POP3__PARSE_USAGE;     /* trailing separator */
            return;
        }
        while (p < len) {
            size_t start = p;
            while (p < len && !is_sep((unsigned char)line[p], lenient))
                p++;
            if (p == start) {                   /* empty argument */
                cmd->status = POP3__PARSE_USAGE;
                return;
            }
            if (cmd->argc == 2) {               /* more than any command takes */
                cmd->status = POP3__PARSE_USAGE;
                return;
            }
            cmd->argv[cmd->argc] = line + start;
            cmd->argl[cmd->argc] = p - start;
            cmd->argc++;
            if (p < len) {
                p++;
                if (lenient)
                    while (p < len && is_sep((unsigned char)line[p], 1))
                        p++;
                else if (p == len) {            /* trailing separator */
                    cmd->status = POP3__PARSE_USAGE;
                    return;
                }
            }
        }
    }

    if (cmd->argc < cmd->def->min_args || cmd->argc > cmd->def->max_args) {
        cmd->status = POP3__PARSE_USAGE;
        return;
    }
    for (int a = 0; a < cmd->argc; a++)
        if (!(cmd->def->long_last && a == cmd->argc - 1 && a > 0) &&
            count_chars(cmd->argv[a], cmd->argl[a]) > POP3__MAX_ARG_CHARS) {
            cmd->status = POP3__PARSE_ARG_TOO_LONG;
            return;
        }
    cmd->status = POP3__PARSE_OK;
}

int pop3__parse_number(const char *a, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;

    if (len == 0 || a[0] < '0' || a[0] > '9')
        return -1;
    for (; i < len && a[i] >= '0' && a[i] <= '9'; i++) {
        unsigned d = (unsigned)(a[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            v = UINT64_MAX;                     /* saturate, never wrap */
        else
            v = v * 10 + d;
    }
    if (i != len)
        return -2;
    *out = v;
    return 0;
}
