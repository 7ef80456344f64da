/*
 * internal.h - declarations shared between libpop3's source files.
 * Not installed.  Every non-static name here carries the pop3__ prefix so a
 * static link never collides with a present or future public pop3_ name.
 */
#ifndef POP3_INTERNAL_H
#define POP3_INTERNAL_H

#include "pop3.h"

#include <stddef.h>
#include <stdint.h>

/* --- MD5 (RFC 1321), lib/md5.c ------------------------------------------ */

typedef struct pop3__md5 {
    uint32_t state[4];
    uint64_t length;            /* message length in octets so far */
    unsigned char block[64];
    size_t used;                /* octets buffered in block */
} pop3__md5;

void pop3__md5_init(pop3__md5 *m);
void pop3__md5_update(pop3__md5 *m, const void *data, size_t len);
void pop3__md5_final(pop3__md5 *m, unsigned char digest[16]);
/* Lowercase hex of n octets into out[2n] plus a NUL. */
void pop3__hex(const unsigned char *in, size_t n, char *out);
/* Overwrite n octets with zeros in a way the compiler cannot elide. */
void pop3__wipe(void *p, size_t n);

/* --- Command tokenizer, lib/command.c --------------------------------- */

enum pop3__cmd_id {
    POP3__CMD_NONE = 0,
    POP3__CMD_USER, POP3__CMD_PASS, POP3__CMD_APOP, POP3__CMD_QUIT,
    POP3__CMD_CAPA, POP3__CMD_STAT, POP3__CMD_LIST, POP3__CMD_RETR,
    POP3__CMD_DELE, POP3__CMD_NOOP, POP3__CMD_RSET, POP3__CMD_TOP,
    POP3__CMD_UIDL, POP3__CMD_LAST, POP3__CMD_STLS, POP3__CMD_AUTH,
    POP3__CMD_UTF8, POP3__CMD_LANG,
    POP3__CMD_COUNT_
};

/* States a command is valid in (bit set of 1u << pop3_state). */
#define POP3__IN_AUTH  (1u << POP3_STATE_AUTHORIZATION)
#define POP3__IN_TRANS (1u << POP3_STATE_TRANSACTION)

typedef struct pop3__cmd_def {
    char name[5];
    unsigned char id;           /* pop3__cmd_id */
    unsigned char states;       /* POP3__IN_* */
    unsigned char min_args, max_args;
    unsigned char rest;         /* one argument: the rest of the line (PASS) */
    unsigned char long_last;    /* the last argument has no 40-character
                                   limit (AUTH's initial response) */
    const char *usage;          /* for "-ERR usage: ..." */
} pop3__cmd_def;

enum pop3__parse_status {
    POP3__PARSE_OK = 0,
    POP3__PARSE_BADCHAR,        /* control byte in the line */
    POP3__PARSE_UNKNOWN,        /* keyword not in the table */
    POP3__PARSE_USAGE,          /* wrong argument count / empty argument */
    POP3__PARSE_ARG_TOO_LONG    /* an argument over 40 characters */
};

#define POP3__MAX_ARG_CHARS 40

typedef struct pop3__command {
    const pop3__cmd_def *def;   /* NULL when unknown */
    int status;                 /* pop3__parse_status */
    char verb[5];               /* keyword upper-cased if 1-4 printable
                                   ASCII characters, else "" */
    int argc;
    const char *argv[2];
    size_t argl[2];
    const char *args;           /* everything after the keyword and its
                                   separator(s); NULL when none */
    size_t args_len;
} pop3__command;

/* Tokenise one command line, terminator already removed.  Reads exactly
 * line[0..len).  Never fails: the outcome is in cmd->status. */
void pop3__parse_command(const char *line, size_t len, unsigned cfg_flags,
                         pop3__command *cmd);

/* Parse a message number or a line count: 1*DIGIT, leading zeros fine.
 * Returns 0 and *out (saturated at UINT64_MAX) on success, -1 when the
 * argument does not start with a digit (or is empty), -2 when digits are
 * followed by anything. */
int pop3__parse_number(const char *a, size_t len, uint64_t *out);

#endif
