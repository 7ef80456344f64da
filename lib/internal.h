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

#endif
