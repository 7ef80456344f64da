/*
 * pageguard.h - buffers that sit against an inaccessible page, so that any
 * read or write past their end (or before their start) faults at once.
 *
 * Test support only: it uses POSIX mmap/mprotect, which lib/ never does.
 *
 *     pageguard g;
 *     unsigned char *p = pageguard_tail(&g, len);  p[len] is unmapped
 *     ... use p[0..len) ...
 *     pageguard_free(&g);
 *
 * pageguard_head() places the buffer right after an inaccessible page
 * instead (p[-1] is unmapped).  Both abort the program if the mapping
 * fails.  len may be 0: the pointer is then at the guard itself.
 */
#ifndef PAGEGUARD_H
#define PAGEGUARD_H

#include <stddef.h>

typedef struct pageguard {
    void *map;
    size_t map_len;
} pageguard;

unsigned char *pageguard_tail(pageguard *g, size_t len);
unsigned char *pageguard_head(pageguard *g, size_t len);
void pageguard_free(pageguard *g);

#endif
