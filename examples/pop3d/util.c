/*
 * util.c - logging, the monotonic clock, randomness, addresses.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * Logging: one line per call, written with a single write(2) so lines from
 * a busy server never interleave.
 * ---------------------------------------------------------------------- */

static int log_syslog;
static int log_verb;

void log_open(int use_syslog, int verbose)
{
    log_syslog = use_syslog;
    log_verb = verbose;
    if (use_syslog)
        openlog(POP3D_NAME, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

int log_verbose(void)
{
    return log_verb;
}

static void vlog(int prio, const char *fmt, va_list ap)
{
    char line[1024];
    int n;
    if (log_syslog) {
        vsnprintf(line, sizeof line, fmt, ap);
        syslog(prio, "%s", line);
        return;
    }
    n = snprintf(line, sizeof line, "%s: ", POP3D_NAME);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    n = (int)strlen(line);
    line[n++] = '\n';
    /* Logging must never stop the server: ignore short writes. */
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        (void)0;
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(LOG_INFO, fmt, ap);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;
    if (!log_verb)
        return;
    va_start(ap, fmt);
    vlog(LOG_DEBUG, fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(LOG_ERR, fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(LOG_ERR, fmt, ap);
    va_end(ap);
    exit(1);
}

/* ------------------------------------------------------------------------
 * Clock
 * ---------------------------------------------------------------------- */

uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ------------------------------------------------------------------------
 * Randomness: /dev/urandom, opened once at start-up (so it keeps working in
 * a chroot) and read in blocks.
 * ---------------------------------------------------------------------- */

static int urandom_fd = -1;
static unsigned char rnd_pool[512];
static size_t rnd_left;

int random_open(void)
{
    if (urandom_fd >= 0)
        return 0;
    urandom_fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    return urandom_fd < 0 ? -1 : 0;
}

int random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        size_t k;
        if (rnd_left == 0) {
            ssize_t r;
            size_t got = 0;
            if (urandom_fd < 0 && random_open() != 0)
                return -1;
            while (got < sizeof rnd_pool) {
                r = read(urandom_fd, rnd_pool + got, sizeof rnd_pool - got);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    return -1;
                got += (size_t)r;
            }
            rnd_left = sizeof rnd_pool;
        }
        k = n < rnd_left ? n : rnd_left;
        memcpy(p, rnd_pool + sizeof rnd_pool - rnd_left, k);
        wipe(rnd_pool + sizeof rnd_pool - rnd_left, k);  /* use once */
        rnd_left -= k;
        p += k;
        n -= k;
    }
    return 0;
}

static void *(*volatile wipe_memset)(void *, int, size_t) = memset;

void wipe(void *p, size_t n)
{
    if (p && n)
        wipe_memset(p, 0, n);
}

/* The host part of an APOP timestamp: printable, no '<' '>' or spaces. */
void hostname_for_apop(char *buf, size_t cap)
{
    char h[256];
    size_t j = 0;
    if (gethostname(h, sizeof h) != 0)
        h[0] = '\0';
    h[sizeof h - 1] = '\0';
    for (size_t i = 0; h[i] && j + 1 < cap && j < 64; i++) {
        unsigned char ch = (unsigned char)h[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || ch == '.' || ch == '-')
            buf[j++] = (char)ch;
    }
    if (j == 0) {
        snprintf(buf, cap, "localhost");
        return;
    }
    buf[j] = '\0';
}

/* ------------------------------------------------------------------------
 * Addresses
 * ---------------------------------------------------------------------- */

void addr_format(const struct sockaddr *sa, socklen_t len, char *buf,
                 size_t cap)
{
    char host[INET6_ADDRSTRLEN];
    if (!sa || len == 0) {
        snprintf(buf, cap, "stdio");
        return;
    }
    switch (sa->sa_family) {
    case AF_INET: {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        snprintf(buf, cap, "%s:%u", host, (unsigned)ntohs(in->sin_port));
        return;
    }
    case AF_INET6: {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        snprintf(buf, cap, "[%s]:%u", host, (unsigned)ntohs(in6->sin6_port));
        return;
    }
    case AF_UNIX:
        snprintf(buf, cap, "unix");
        return;
    default:
        snprintf(buf, cap, "af%d", (int)sa->sa_family);
        return;
    }
}

int addr_is_loopback(const struct sockaddr *sa)
{
    if (!sa)
        return 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const unsigned char *b = in6->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return 1;
        return memcmp(b, mapped, 12) == 0 && b[12] == 127;
    }
    return sa->sa_family == AF_UNIX;
}
