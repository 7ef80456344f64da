/*
 * loadgen.c - a POP3 load generator for loopback benchmarks (Linux, epoll).
 *
 *   loadgen --server ADDR:PORT [--clients N] [--duration SEC]
 *           [--sessions MAX] [--mode full|login|idle] [--pipeline]
 *           [--user FMT] [--users N] [--pass SECRET] [--timeout SEC]
 *           [--ramp N] [--quiet]
 *
 * N clients, each running its scripted session in a loop until the time or
 * the session count is used up:
 *
 *   full   USER, PASS, STAT, UIDL, RETR of every message, QUIT
 *   login  USER, PASS, QUIT (logins per second)
 *   idle   USER, PASS, then stay connected; prints "ready N" once all N
 *          are logged in, and QUITs when --duration ends or on SIGTERM /
 *          SIGINT / SIGUSR1 (for memory measurements)
 *
 * --pipeline sends the commands without waiting for each reply (RFC 2449
 * PIPELINING): USER PASS STAT UIDL at once, then every RETR and QUIT, at
 * most 128 outstanding.  Client i logs in as the user name FMT with %d
 * replaced by i mod --users (default "bench%d", 1 user per client), so
 * concurrent sessions do not contend for one maildrop lock.
 *
 * Bounded: at most 20,000 clients, --duration at most 3600 s, and every
 * run ends by itself (sessions still running 10 s after the end are
 * errors).  Loopback only: the address must be 127.0.0.0/8 or ::1.
 *
 * Any error (a -ERR reply, a refused or reset connection, a timeout, an
 * unexpected UIDL count) fails the run: exit status 1.  The last line is
 * machine-readable: "RESULT key=value ...".
 */
#define _GNU_SOURCE
#include <stdio.h>

#ifndef __linux__
int main(void)
{
    fprintf(stderr, "loadgen: needs Linux (epoll)\n");
    return 2;
}
#else

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 20000
#define MAX_DURATION 3600.0
#define GRACE 10.0
#define RBUF 32768
#define MAX_OUTSTANDING 128
#define LAT_SAMPLES (1u << 20)

enum mode { MODE_FULL, MODE_LOGIN, MODE_IDLE };

/* What a reply answers. */
enum cmd { C_USER, C_PASS, C_STAT, C_UIDL, C_RETR, C_QUIT };

enum phase {
    PH_IDLE_SLOT,           /* not connected (waiting to start a session) */
    PH_CONNECTING,
    PH_GREETING,
    PH_SESSION,             /* commands and replies */
    PH_HOLD,                /* idle mode: logged in, waiting */
    PH_CLOSING,             /* QUIT answered: waiting for the server's close */
    PH_DONE
};

struct pending {
    unsigned char cmd;
    double t_sent;
};

struct client {
    int fd, id;
    int ramping;                /* counted in `connecting` until logged in */
    enum phase phase;
    double t_session, t_progress;
    /* script */
    uint32_t count;             /* messages (from STAT) */
    int have_count;
    uint32_t next;              /* script position of the next command */
    uint32_t total;             /* script length once known */
    /* replies expected, in order */
    struct pending *q;
    uint32_t qhead, qtail, qcap;
    /* reply parsing */
    unsigned char *rb;
    size_t rpos, wpos;
    int in_body;                /* inside a multi-line reply */
    size_t hist;                /* bytes before rpos kept for the "\r\n.\r\n" search */
    uint64_t body_lines, body_octets;
    /* output */
    char *wb;
    size_t wlen, woff, wcap;
};

static struct {
    enum mode mode;
    int clients, pipeline, quiet, users, ramp;
    double duration, timeout;
    uint64_t max_sessions;
    const char *user_fmt, *pass;
    struct sockaddr_storage addr;
    socklen_t addrlen;
} O;

static struct {
    uint64_t sessions, started, messages, octets_in, replies, errors;
    uint64_t logged_in;
    double t_start, t_last;
    float *lat, *slat;          /* reply and session latencies (ms) */
    uint64_t nlat, nslat;
    uint64_t rng;
    char first_error[256];
} S;

static int ep;
static struct client *C;
static volatile sig_atomic_t stop_signal;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(void)
{
    fprintf(stderr,
"usage: loadgen --server ADDR:PORT [--clients N] [--duration SEC]\n"
"               [--sessions MAX] [--mode full|login|idle] [--pipeline]\n"
"               [--user FMT] [--users N] [--pass SECRET] [--timeout SEC]\n"
"               [--ramp N] [--quiet]\n");
    exit(2);
}

static void fatal(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "loadgen: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        fatal("out of memory");
    return q;
}

static void sample(float *arr, uint64_t *n, double ms)
{
    if (*n < LAT_SAMPLES) {
        arr[(*n)++] = (float)ms;
    } else {                    /* reservoir sampling */
        uint64_t x = S.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        S.rng = x;
        (*n)++;
        if (x % *n < LAT_SAMPLES)
            arr[x % LAT_SAMPLES] = (float)ms;
    }
}

/* ------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------- */

static void close_client(struct client *c, int abortive);

static void client_error(struct client *c, const char *fmt, ...)
{
    va_list ap;
    S.errors++;
    if (!S.first_error[0]) {
        int n = snprintf(S.first_error, sizeof S.first_error, "client %d: ", c->id);
        va_start(ap, fmt);
        vsnprintf(S.first_error + n, sizeof S.first_error - (size_t)n, fmt, ap);
        va_end(ap);
    }
    close_client(c, 1);
    c->phase = PH_DONE;         /* an erroring client stops */
}

/* ------------------------------------------------------------------------
 * Output
 * ---------------------------------------------------------------------- */

static void flush_out(struct client *c)
{
    while (c->woff < c->wlen) {
        ssize_t n = send(c->fd, c->wb + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);
        if (n > 0) {
            c->woff += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && errno == EINTR)
            continue;
        client_error(c, "send: %s", n < 0 ? strerror(errno) : "0 bytes");
        return;
    }
    c->woff = c->wlen = 0;
}

static void push_cmd(struct client *c, unsigned char cmd, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (c->wcap - c->wlen < 128) {
        if (c->woff) {
            memmove(c->wb, c->wb + c->woff, c->wlen - c->woff);
            c->wlen -= c->woff;
            c->woff = 0;
        }
        if (c->wcap - c->wlen < 128) {
            c->wcap = c->wcap ? c->wcap * 2 : 512;
            c->wb = xrealloc(c->wb, c->wcap);
        }
    }
    va_start(ap, fmt);
    n = vsnprintf(c->wb + c->wlen, c->wcap - c->wlen, fmt, ap);
    va_end(ap);
    c->wlen += (size_t)n;
    if (c->qtail - c->qhead == c->qcap) {
        uint32_t cap = c->qcap ? c->qcap * 2 : 16, i;
        struct pending *q = xrealloc(NULL, cap * sizeof *q);
        for (i = 0; i < c->qtail - c->qhead; i++)
            q[i] = c->q[(c->qhead + i) % c->qcap];
        free(c->q);
        c->q = q;
        c->qtail -= c->qhead;
        c->qhead = 0;
        c->qcap = cap;
    }
    c->q[c->qtail % c->qcap].cmd = cmd;
    c->q[c->qtail % c->qcap].t_sent = now();
    c->qtail++;
}

/* Script position i: 0 USER, 1 PASS, then per mode. */
static void queue_commands(struct client *c)
{
    char user[128];
    for (;;) {
        uint32_t outstanding = c->qtail - c->qhead;
        uint32_t i = c->next;
        if (c->phase != PH_SESSION)
            return;
        if (outstanding >= (O.pipeline ? MAX_OUTSTANDING : 1))
            break;
        if (c->total && i >= c->total)
            break;
        if (i == 0) {
            snprintf(user, sizeof user, O.user_fmt, c->id % O.users);
            push_cmd(c, C_USER, "USER %s\r\n", user);
        } else if (i == 1) {
            push_cmd(c, C_PASS, "PASS %s\r\n", O.pass);
        } else if (O.mode == MODE_IDLE) {
            break;              /* PH_HOLD follows PASS */
        } else if (O.mode == MODE_LOGIN) {
            push_cmd(c, C_QUIT, "QUIT\r\n");
        } else if (i == 2) {
            push_cmd(c, C_STAT, "STAT\r\n");
        } else if (i == 3) {
            push_cmd(c, C_UIDL, "UIDL\r\n");
        } else if (!c->have_count) {
            break;              /* RETRs wait for STAT's answer */
        } else if (i < 4 + c->count) {
            push_cmd(c, C_RETR, "RETR %u\r\n", i - 3);
        } else {
            push_cmd(c, C_QUIT, "QUIT\r\n");
        }
        c->next++;
    }
    flush_out(c);
}

/* ------------------------------------------------------------------------
 * Sessions
 * ---------------------------------------------------------------------- */

static int connecting;          /* sessions between connect and login */

static void close_client(struct client *c, int abortive)
{
    if (c->ramping) {
        c->ramping = 0;
        connecting--;
    }
    if (c->fd >= 0) {
        if (abortive) {
            struct linger l = {1, 0};
            setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
    c->phase = PH_IDLE_SLOT;
    c->rpos = c->wpos = c->hist = 0;
    c->woff = c->wlen = 0;
    c->qhead = c->qtail = 0;
}

static int may_start(double t)
{
    if (stop_signal || t >= S.t_start + O.duration)
        return 0;
    if (O.mode == MODE_IDLE && S.started >= (uint64_t)O.clients)
        return 0;               /* one session per client */
    if (O.max_sessions && S.started >= O.max_sessions)
        return 0;
    return 1;
}

static void start_session(struct client *c)
{
    struct epoll_event ev;
    int fd = socket(O.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0) {
        client_error(c, "socket: %s", strerror(errno));
        return;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->phase = PH_CONNECTING;
    c->t_session = c->t_progress = now();
    c->have_count = 0;
    c->count = 0;
    c->next = 0;
    c->total = 0;
    c->in_body = 0;
    S.started++;
    connecting++;
    c->ramping = 1;
    if (!c->rb)
        c->rb = xrealloc(NULL, RBUF);
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        fatal("epoll_ctl: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&O.addr, O.addrlen) != 0 &&
        errno != EINPROGRESS) {
        client_error(c, "connect: %s", strerror(errno));
    }
}

static void session_finished(struct client *c)
{
    double t = now();
    S.sessions++;
    S.t_last = t;
    sample(S.slat, &S.nslat, (t - c->t_session) * 1e3);
    close_client(c, 0);
}

/* A complete reply (status line, and body if multi-line) for cmd. */
static void reply_done(struct client *c, unsigned char cmd)
{
    double t = now();
    struct pending *p = &c->q[c->qhead % c->qcap];
    sample(S.lat, &S.nlat, (t - p->t_sent) * 1e3);
    c->qhead++;
    S.replies++;
    switch (cmd) {
    case C_PASS:
        if (c->ramping) {
            c->ramping = 0;
            connecting--;
        }
        S.logged_in++;
        if (O.mode == MODE_IDLE) {
            c->phase = PH_HOLD;
            return;
        }
        break;
    case C_UIDL:
        if (c->have_count && c->body_lines != c->count) {
            client_error(c, "UIDL listed %llu messages, STAT said %u",
                         (unsigned long long)c->body_lines, c->count);
            return;
        }
        break;
    case C_RETR:
        S.messages++;
        break;
    case C_QUIT:
        c->phase = PH_CLOSING;  /* wait for the server to close */
        return;
    default:
        break;
    }
}

/* Parse what is buffered.  Returns 0, or -1 when the client went away. */
static int parse(struct client *c)
{
    for (;;) {
        unsigned char *b = c->rb;
        if (c->phase == PH_CLOSING || c->phase == PH_DONE ||
            c->phase == PH_IDLE_SLOT) {
            if (c->wpos > c->rpos && c->phase == PH_CLOSING) {
                client_error(c, "data after the QUIT reply");
                return -1;
            }
            return 0;
        }
        if (c->in_body) {
            size_t from = c->rpos - c->hist;
            unsigned char *end = memmem(b + from, c->wpos - from, "\r\n.\r\n", 5);
            if (!end) {
                size_t scanned = c->wpos - c->rpos, keep;
                /* Count lines for UIDL (every LF in the body). */
                if (c->q[c->qhead % c->qcap].cmd == C_UIDL) {
                    unsigned char *p = b + c->rpos, *e = b + c->wpos;
                    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
                        c->body_lines++;
                        p++;
                    }
                }
                c->body_octets += scanned;
                keep = c->wpos - from;
                c->hist = keep < 4 ? keep : 4;
                c->rpos = c->wpos;
                return 0;
            }
            {
                size_t stop = (size_t)(end - b) + 5;    /* after ".\r\n" */
                unsigned char cmd = c->q[c->qhead % c->qcap].cmd;
                if (cmd == C_UIDL) {
                    unsigned char *p = b + c->rpos, *e = b + stop - 3;
                    while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
                        c->body_lines++;
                        p++;
                    }
                }
                c->body_octets += stop > c->rpos ? stop - c->rpos : 0;
                c->rpos = stop;
                c->hist = 0;
                c->in_body = 0;
                reply_done(c, cmd);
                if (c->phase == PH_DONE)
                    return -1;
                continue;
            }
        }
        {
            unsigned char *lf;
            size_t len;
            if (c->rpos == c->wpos)
                return 0;
            lf = memchr(b + c->rpos, '\n', c->wpos - c->rpos);
            if (!lf) {
                if (c->wpos - c->rpos > 1024) {
                    client_error(c, "status line too long");
                    return -1;
                }
                return 0;
            }
            len = (size_t)(lf - (b + c->rpos)) + 1;
            if (len < 3 || b[c->rpos] != '+') {
                int n = (int)(len > 120 ? 120 : len);
                while (n > 0 && (b[c->rpos + n - 1] == '\n' || b[c->rpos + n - 1] == '\r'))
                    n--;
                client_error(c, "%s: %.*s",
                             c->phase == PH_GREETING ? "greeting" :
                             "reply", n, (const char *)b + c->rpos);
                return -1;
            }
            if (c->phase == PH_GREETING) {
                c->rpos += len;
                c->phase = PH_SESSION;
                queue_commands(c);
                if (c->phase == PH_DONE)
                    return -1;
                continue;
            }
            if (c->qhead == c->qtail) {
                client_error(c, "unsolicited reply");
                return -1;
            }
            {
                unsigned char cmd = c->q[c->qhead % c->qcap].cmd;
                if (cmd == C_STAT) {
                    unsigned long n = strtoul((const char *)b + c->rpos + 4, NULL, 10);
                    c->count = (uint32_t)n;
                    c->have_count = 1;
                    c->total = 4 + c->count + 1;
                }
                c->rpos += len;
                if (cmd == C_UIDL || cmd == C_RETR) {
                    c->in_body = 1;
                    c->hist = 2;        /* the status line's CRLF */
                    c->body_lines = 0;
                    c->body_octets = 0;
                    continue;
                }
                reply_done(c, cmd);
                if (c->phase == PH_DONE)
                    return -1;
                if (c->phase == PH_SESSION)
                    queue_commands(c);
                if (c->phase == PH_DONE)
                    return -1;
            }
        }
    }
}

static void on_readable(struct client *c)
{
    for (;;) {
        ssize_t n;
        if (c->wpos == RBUF) {          /* compact, keeping the history */
            size_t from = c->rpos - c->hist;
            memmove(c->rb, c->rb + from, c->wpos - from);
            c->wpos -= from;
            c->rpos -= from;
            if (c->wpos == RBUF) {
                client_error(c, "reply line too long");
                return;
            }
        }
        n = recv(c->fd, c->rb + c->wpos, RBUF - c->wpos, 0);
        if (n > 0) {
            c->wpos += (size_t)n;
            S.octets_in += (uint64_t)n;
            c->t_progress = now();
            if (parse(c) < 0)
                return;
            if (c->phase == PH_SESSION && c->qtail - c->qhead == 0)
                queue_commands(c);
            if (c->phase == PH_IDLE_SLOT || c->phase == PH_DONE)
                return;
            continue;
        }
        if (n == 0) {
            if (c->phase == PH_CLOSING) {
                session_finished(c);
                return;
            }
            client_error(c, "connection closed by the server (%s)",
                         c->phase == PH_GREETING ? "before the greeting" :
                         c->phase == PH_HOLD ? "while idle" : "mid-session");
            return;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        if (errno == EINTR)
            continue;
        client_error(c, "recv: %s", strerror(errno));
        return;
    }
}

static void on_event(struct client *c, uint32_t events)
{
    if (c->phase == PH_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            client_error(c, "connect: %s", strerror(err));
            return;
        }
        c->phase = PH_GREETING;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        on_readable(c);
    if (c->fd >= 0 && (events & EPOLLOUT) && c->wlen > c->woff)
        flush_out(c);
}

/* ------------------------------------------------------------------------
 * Options, report, main loop
 * ---------------------------------------------------------------------- */

static void parse_server(const char *spec)
{
    char host[256];
    const char *colon, *port;
    struct addrinfo hints, *ai = NULL;
    int r;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':')
            usage();
        snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
        port = close + 2;
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            usage();
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
        port = colon + 1;
    }
    if (!strcmp(host, "localhost"))
        snprintf(host, sizeof host, "127.0.0.1");
    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    r = getaddrinfo(host, port, &hints, &ai);
    if (r != 0)
        fatal("--server %s: %s (numeric loopback addresses only)", spec,
              gai_strerror(r));
    if (ai->ai_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ai->ai_addr;
        if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
            fatal("--server %s: not a loopback address", spec);
    } else if (ai->ai_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ai->ai_addr;
        if (!IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
            fatal("--server %s: not a loopback address", spec);
    } else {
        fatal("--server %s: unsupported address", spec);
    }
    memcpy(&O.addr, ai->ai_addr, ai->ai_addrlen);
    O.addrlen = ai->ai_addrlen;
    freeaddrinfo(ai);
}

static double num(const char *opt, const char *v, double lo, double hi)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d >= lo && d <= hi))
        fatal("%s: '%s' is not a number from %g to %g", opt, v, lo, hi);
    return d;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double pct(float *v, uint64_t n, double p)
{
    size_t k, m = n < LAT_SAMPLES ? (size_t)n : LAT_SAMPLES;
    if (!m)
        return 0;
    qsort(v, m, sizeof *v, cmp_float);
    {
        double x = p * (double)m;       /* nearest-rank percentile */
        k = (size_t)x;
        if ((double)k < x)
            k++;
        k = k ? k - 1 : 0;
    }
    if (k >= m)
        k = m - 1;
    return v[k];
}

static void on_signal(int sig)
{
    (void)sig;
    stop_signal = 1;
}

static const char *mode_name(void)
{
    return O.mode == MODE_FULL ? "full" : O.mode == MODE_LOGIN ? "login" : "idle";
}

int main(int argc, char **argv)
{
    struct epoll_event evs[256];
    double t, t_end, t_hard;
    int i, ready_said = 0, have_server = 0;
    struct rlimit rl;

    O.mode = MODE_FULL;
    O.clients = 1;
    O.duration = 5;
    O.timeout = 10;
    O.user_fmt = "bench%d";
    O.pass = "secret";
    O.ramp = 128;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--pipeline")) {
            O.pipeline = 1;
            continue;
        }
        if (!strcmp(a, "--quiet")) {
            O.quiet = 1;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--server")) {
            parse_server(v);
            have_server = 1;
        } else if (!strcmp(a, "--clients")) {
            O.clients = (int)num(a, v, 1, MAX_CLIENTS);
        } else if (!strcmp(a, "--duration")) {
            O.duration = num(a, v, 0.1, MAX_DURATION);
        } else if (!strcmp(a, "--sessions")) {
            O.max_sessions = (uint64_t)num(a, v, 1, 1e12);
        } else if (!strcmp(a, "--timeout")) {
            O.timeout = num(a, v, 0.1, 600);
        } else if (!strcmp(a, "--ramp")) {
            O.ramp = (int)num(a, v, 1, MAX_CLIENTS);
        } else if (!strcmp(a, "--users")) {
            O.users = (int)num(a, v, 1, 1e9);
        } else if (!strcmp(a, "--user")) {
            const char *pc = strstr(v, "%d");
            if (strchr(v, '%') != pc || (pc && strchr(pc + 1, '%')) || strlen(v) > 64)
                fatal("--user: at most one %%d and no other %%");
            O.user_fmt = v;
        } else if (!strcmp(a, "--pass")) {
            O.pass = v;
        } else if (!strcmp(a, "--mode")) {
            if (!strcmp(v, "full"))
                O.mode = MODE_FULL;
            else if (!strcmp(v, "login"))
                O.mode = MODE_LOGIN;
            else if (!strcmp(v, "idle"))
                O.mode = MODE_IDLE;
            else
                usage();
        } else {
            usage();
        }
    }
    if (!have_server)
        usage();
    if (!O.users)
        O.users = O.clients;

    /* Room for the descriptors. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)O.clients + 64) {
        rl.rlim_cur = (rlim_t)O.clients + 64;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
            rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < (rlim_t)O.clients + 16)
            fatal("%d clients need more descriptors than the limit (%llu)",
                  O.clients, (unsigned long long)rl.rlim_cur);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_signal);

    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        fatal("epoll_create1: %s", strerror(errno));
    C = calloc((size_t)O.clients, sizeof *C);
    S.lat = malloc(LAT_SAMPLES * sizeof *S.lat);
    S.slat = malloc(LAT_SAMPLES * sizeof *S.slat);
    if (!C || !S.lat || !S.slat)
        fatal("out of memory");
    S.rng = 88172645463325252ULL;
    for (i = 0; i < O.clients; i++) {
        C[i].fd = -1;
        C[i].id = i;
        C[i].phase = PH_IDLE_SLOT;
    }

    S.t_start = S.t_last = now();
    t_end = S.t_start + O.duration;
    t_hard = t_end + GRACE;
    for (;;) {
        int n, active = 0, quitting = 0;
        t = now();
        /* Start sessions in free slots (at most --ramp still logging in). */
        for (i = 0; i < O.clients; i++) {
            struct client *c = &C[i];
            if (c->phase == PH_IDLE_SLOT && connecting < O.ramp && may_start(t))
                start_session(c);
            if (c->phase != PH_IDLE_SLOT && c->phase != PH_DONE) {
                active++;
                if (t - c->t_progress > O.timeout && c->phase != PH_HOLD) {
                    client_error(c, "no progress for %.1f s", O.timeout);
                    active--;
                } else if (t >= t_hard) {
                    client_error(c, "session unfinished %.0f s after the end", GRACE);
                    active--;
                }
            }
        }
        if (O.mode == MODE_IDLE) {
            if (!ready_said && S.logged_in == (uint64_t)O.clients) {
                printf("ready %d\n", O.clients);
                fflush(stdout);
                ready_said = 1;
            }
            if (stop_signal || t >= t_end) {
                for (i = 0; i < O.clients; i++) {
                    struct client *c = &C[i];
                    if (c->phase == PH_HOLD) {
                        c->phase = PH_SESSION;
                        c->t_progress = t;  /* the QUIT gets its own --timeout */
                        push_cmd(c, C_QUIT, "QUIT\r\n");
                        flush_out(c);
                        quitting = 1;
                    }
                }
                if (!quitting && t_hard > t + GRACE)
                    t_hard = t + GRACE;
            }
        }
        if (!active && !may_start(t))
            break;
        if (S.errors && O.mode == MODE_IDLE)
            break;
        n = epoll_wait(ep, evs, 256, 50);
        if (n < 0 && errno != EINTR)
            fatal("epoll_wait: %s", strerror(errno));
        for (i = 0; i < n; i++)
            on_event(evs[i].data.ptr, evs[i].events);
    }
    for (i = 0; i < O.clients; i++)
        if (C[i].fd >= 0)
            close_client(&C[i], 1);

    {
        /* Rates over the time until the last session ended. */
        double el = S.sessions ? S.t_last - S.t_start : now() - S.t_start;
        double sps, mps, mbps, p50, p99, s50, s99;
        if (el <= 0)
            el = 1e-9;
        sps = (double)S.sessions / el;
        mps = (double)S.messages / el;
        mbps = (double)S.octets_in / el / 1e6;
        p50 = pct(S.lat, S.nlat, 0.50);
        p99 = pct(S.lat, S.nlat, 0.99);
        s50 = pct(S.slat, S.nslat, 0.50);
        s99 = pct(S.slat, S.nslat, 0.99);
        if (!O.quiet) {
            printf("loadgen: %s, %d clients%s, %.1f s\n", mode_name(), O.clients,
                   O.pipeline ? ", pipelined" : "", el);
            printf("  sessions %llu (%.1f/s), messages %llu (%.1f/s), %.2f MB/s in\n",
                   (unsigned long long)S.sessions, sps,
                   (unsigned long long)S.messages, mps, mbps);
            printf("  reply latency p50 %.3f ms, p99 %.3f ms; session p50 %.3f ms, "
                   "p99 %.3f ms\n", p50, p99, s50, s99);
            printf("  errors %llu%s%s\n", (unsigned long long)S.errors,
                   S.errors ? ", first: " : "", S.first_error);
        }
        printf("RESULT mode=%s clients=%d pipeline=%d seconds=%.3f sessions=%llu "
               "sessions_per_s=%.1f messages=%llu messages_per_s=%.1f "
               "mb_per_s=%.3f lat_p50_ms=%.4f lat_p99_ms=%.4f "
               "session_p50_ms=%.4f session_p99_ms=%.4f errors=%llu\n",
               mode_name(), O.clients, O.pipeline, el,
               (unsigned long long)S.sessions, sps,
               (unsigned long long)S.messages, mps, mbps, p50, p99, s50, s99,
               (unsigned long long)S.errors);
        if (S.errors && O.quiet)
            fprintf(stderr, "loadgen: %llu errors, first: %s\n",
                    (unsigned long long)S.errors, S.first_error);
    }
    return S.errors ? 1 : 0;
}
#endif
