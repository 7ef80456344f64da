/*
 * pageguard.c - see pageguard.h.
 */
#define _DEFAULT_SOURCE 1       /* MAP_ANONYMOUS on glibc */
#define _DARWIN_C_SOURCE 1      /* MAP_ANON on macOS */

#include "pageguard.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

/* Map a guard page, enough data pages for len, and another guard page.
 * Returns the first data page. */
static unsigned char *pageguard_map(pageguard *g, size_t len, size_t *pages)
{
    long ps = sysconf(_SC_PAGESIZE);
    size_t page = ps > 0 ? (size_t)ps : 4096;
    size_t n = len / page + 1;
    unsigned char *m;

    g->map_len = (n + 2) * page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) {
        perror("pageguard: mmap");
        abort();
    }
    m = (unsigned char *)g->map;
    if (mprotect(m, page, PROT_NONE) != 0
        || mprotect(m + (n + 1) * page, page, PROT_NONE) != 0) {
        perror("pageguard: mprotect");
        abort();
    }
    *pages = n * page;
    return m + page;
}

unsigned char *pageguard_tail(pageguard *g, size_t len)
{
    size_t data;
    unsigned char *d = pageguard_map(g, len, &data);

    return d + data - len;
}

unsigned char *pageguard_head(pageguard *g, size_t len)
{
    size_t data;

    return pageguard_map(g, len, &data);
}

void pageguard_free(pageguard *g)
{
    if (g->map != NULL && g->map != MAP_FAILED)
        munmap(g->map, g->map_len);
    g->map = NULL;
    g->map_len = 0;
}
