/*
 * pop3d - a Maildir POP3 server on libpop3.
 *
 *   pop3d --mail-root DIR --users FILE [--listen ADDR:PORT]... [--stdio]
 *         [--tls-cert FILE --tls-key FILE] [--tls-listen ADDR:PORT]...
 *         [--tls-client-ca FILE] [--oauth-tokens FILE] [--sasl LIST]
 *         [--max-sessions N] [--idle-timeout SECONDS] [--allow-plaintext]
 *         [--no-apop] [--trace FILE] [--verbose]
 *   pop3d --scram-hash SCRAM-SHA-256|SCRAM-SHA-1 [--scram-iterations N]
 *
 * See docs/pop3d.md.  This file: options, listeners, signals, the loop.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <strings.h>
#include <termios.h>

#if POP3D_HAVE_TLS
#  include <openssl/opensslv.h>
#endif

struct settings G;

#define MAX_LISTENERS 32
#define DEFAULT_MAX_SESSIONS 1000
#define GRACE_MS 10000u

struct listener {
    struct reg reg;
    int fd;
    int kind;                   /* LISTEN_PLAIN or LISTEN_TLS */
    char name[80];
};

static struct listener listeners[MAX_LISTENERS];
static int nlisteners;
static int listening;           /* listeners registered for accept */
static uint64_t accept_pause_until;

static int sig_pipe[2] = {-1, -1};
static struct reg sig_reg, crypt_reg;
static int sig_tag, crypt_tag;

static volatile sig_atomic_t got_signal;

/* Options that must survive for SIGHUP. */
static const char *opt_cert, *opt_key, *opt_client_ca;
static int opt_no_apop, opt_stdio;

/* ------------------------------------------------------------------------
 * Usage and option parsing
 * ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
"usage: pop3d --mail-root DIR --users FILE [--listen ADDR:PORT]... [--stdio]\n"
"             [--tls-cert FILE --tls-key FILE] [--tls-listen ADDR:PORT]...\n"
"             [--tls-client-ca FILE] [--oauth-tokens FILE] [--sasl LIST]\n"
"             [--max-sessions N] [--idle-timeout SECONDS] [--allow-plaintext]\n"
"             [--no-apop] [--trace FILE] [--verbose]\n"
"       pop3d --scram-hash SCRAM-SHA-256|SCRAM-SHA-1 [--scram-iterations N]\n"
"\n"
"  --mail-root DIR        DIR/USER is USER's Maildir\n"
"  --users FILE           user:secret lines (plain, {PLAIN}, {SHA512-CRYPT},\n"
"                         {SCRAM-SHA-256}, {SCRAM-SHA-1}, {NONE}...)\n"
"  --listen ADDR:PORT     POP3 (STLS offered when a certificate is given);\n"
"                         ADDR may be *, an IPv4 address or [IPv6]; port 0 picks one\n"
"  --tls-listen ADDR:PORT POP3 over implicit TLS (pop3s, port 995)\n"
"  --tls-cert FILE        certificate chain (PEM)\n"
"  --tls-key FILE         private key (PEM)\n"
"  --tls-client-ca FILE   ask TLS clients for a certificate, verify it against\n"
"                         these CAs (PEM) and offer AUTH EXTERNAL to those\n"
"                         whose certificate names a user (CN or emailAddress)\n"
"  --oauth-tokens FILE    \"token user\" lines: offer AUTH OAUTHBEARER and\n"
"                         XOAUTH2 (a stand-in for a token introspection service)\n"
"  --sasl LIST            offer only these SASL mechanisms (comma-separated),\n"
"                         of those the configuration makes possible\n"
"  --stdio                serve one session on stdin/stdout (inetd, systemd\n"
"                         Accept=yes, ssh, tests)\n"
"  --max-sessions N       concurrent sessions (default %d)\n"
"  --idle-timeout SECONDS autologout; below 600 it applies before login only\n"
"                         (RFC 1939 keeps at least 10 minutes after login)\n"
"  --allow-plaintext      accept USER/PASS on unencrypted non-loopback channels\n"
"  --no-apop              offer neither APOP nor AUTH CRAM-MD5 (which need\n"
"                         plain secrets; see docs/pop3d.md)\n"
"  --trace FILE           append the protocol trace (secrets redacted) to FILE\n"
"  --verbose              log connections, logins and TLS details too\n"
"  --scram-hash MECH      read a password (from the terminal or stdin), print\n"
"                         its {MECH} users-file secret, exit\n"
"  --scram-iterations N   iterations for --scram-hash (default 4096)\n"
"  --version, --help\n",
            DEFAULT_MAX_SESSIONS);
}

NORETURN static void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", POP3D_NAME);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s: try --help\n", POP3D_NAME);
    exit(2);
}

static long number(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        usage_error("%s: '%s' is not a number from %ld to %ld", opt, s, lo, hi);
    return v;
}

/* ------------------------------------------------------------------------
 * SASL mechanisms by name
 * ---------------------------------------------------------------------- */

static const struct {
    const char *name;
    unsigned bit;
} mech_names[] = {
    {"PLAIN", POP3_SASL_PLAIN},
    {"LOGIN", POP3_SASL_LOGIN},
    {"CRAM-MD5", POP3_SASL_CRAM_MD5},
    {"SCRAM-SHA-1", POP3_SASL_SCRAM_SHA_1},
    {"SCRAM-SHA-256", POP3_SASL_SCRAM_SHA_256},
    {"OAUTHBEARER", POP3_SASL_OAUTHBEARER},
    {"XOAUTH2", POP3_SASL_XOAUTH2},
    {"EXTERNAL", POP3_SASL_EXTERNAL},
};
#define NMECHS (sizeof mech_names / sizeof mech_names[0])

/* "PLAIN,LOGIN,..." (case-insensitive, ',' or ' ' between) into bits. */
static unsigned parse_mechs(const char *list)
{
    unsigned bits = 0;
    const char *p = list;
    while (*p) {
        size_t n;
        size_t i;
        while (*p == ',' || *p == ' ')
            p++;
        n = strcspn(p, ", ");
        if (!n)
            break;
        for (i = 0; i < NMECHS; i++)
            if (strlen(mech_names[i].name) == n &&
                strncasecmp(mech_names[i].name, p, n) == 0)
                break;
        if (i == NMECHS)
            usage_error("--sasl: unknown mechanism '%.*s' (known: PLAIN, LOGIN, "
                        "CRAM-MD5, SCRAM-SHA-1, SCRAM-SHA-256, OAUTHBEARER, "
                        "XOAUTH2, EXTERNAL)", (int)n, p);
        bits |= mech_names[i].bit;
        p += n;
    }
    return bits;
}

static void format_mechs(unsigned bits, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NMECHS; i++)
        if ((bits & mech_names[i].bit) && k + strlen(mech_names[i].name) + 2 < cap)
            k += (size_t)snprintf(buf + k, cap - k, "%s%s", k ? " " : "",
                                  mech_names[i].name);
}

/* ------------------------------------------------------------------------
 * --scram-hash: a users-file secret for a password
 * ---------------------------------------------------------------------- */

static int scram_hash_mode(const char *mech, long iterations)
{
    int alg;
    char pw[1024], salt_b64[32], sk_b64[48], vk_b64[48];
    unsigned char salt[16], sk[HASH_MAX], vk[HASH_MAX];
    size_t n;
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;

    if (strcasecmp(mech, "SCRAM-SHA-256") == 0 || strcasecmp(mech, "SHA-256") == 0)
        alg = HASH_SHA256;
    else if (strcasecmp(mech, "SCRAM-SHA-1") == 0 || strcasecmp(mech, "SHA-1") == 0)
        alg = HASH_SHA1;
    else
        usage_error("--scram-hash: expected SCRAM-SHA-256 or SCRAM-SHA-1, not '%s'", mech);
    if (tty) {
        fprintf(stderr, "Password: ");
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            tty = 0;
        }
    }
    if (!fgets(pw, sizeof pw, stdin))
        pw[0] = '\0';
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    n = strcspn(pw, "\r\n");
    pw[n] = '\0';
    if (n == 0) {
        fprintf(stderr, "%s: --scram-hash: no password on %s\n", POP3D_NAME,
                tty ? "the terminal" : "stdin");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)pw[i] < 0x20 || (unsigned char)pw[i] == 0x7F) {
            fprintf(stderr, "%s: --scram-hash: control character in the password\n",
                    POP3D_NAME);
            wipe(pw, sizeof pw);
            return 1;
        }
    if (random_open() != 0 || random_bytes(salt, sizeof salt) != 0) {
        fprintf(stderr, "%s: /dev/urandom: %s\n", POP3D_NAME, strerror(errno));
        return 1;
    }
    scram_keys(alg, pw, n, salt, sizeof salt, (uint32_t)iterations, sk, vk);
    wipe(pw, sizeof pw);
    b64_encode(salt, sizeof salt, salt_b64);
    b64_encode(sk, hash_len(alg), sk_b64);
    b64_encode(vk, hash_len(alg), vk_b64);
    printf("{%s}%ld$%s$%s$%s\n", alg == HASH_SHA1 ? "SCRAM-SHA-1" : "SCRAM-SHA-256",
           iterations, salt_b64, sk_b64, vk_b64);
    wipe(sk, sizeof sk);
    wipe(vk, sizeof vk);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * Listeners
 * ---------------------------------------------------------------------- */

/* Split "ADDR:PORT", "[v6]:PORT", "*:PORT" or ":PORT". */
static void split_hostport(const char *opt, const char *spec, char *host,
                           size_t hcap, char *port, size_t pcap)
{
    const char *colon;
    size_t hl;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':')
            usage_error("%s %s: expected [IPv6]:PORT", opt, spec);
        hl = (size_t)(close - spec - 1);
        if (hl >= hcap)
            usage_error("%s %s: address too long", opt, spec);
        memcpy(host, spec + 1, hl);
        host[hl] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon)
            usage_error("%s %s: expected ADDR:PORT", opt, spec);
        hl = (size_t)(colon - spec);
        if (hl >= hcap)
            usage_error("%s %s: address too long", opt, spec);
        memcpy(host, spec, hl);
        host[hl] = '\0';
        if (memchr(host, ':', hl))
            usage_error("%s %s: write IPv6 addresses in brackets: [::1]:110", opt, spec);
    }
    if (!colon[1] || strlen(colon + 1) >= pcap)
        usage_error("%s %s: missing port", opt, spec);
    snprintf(port, pcap, "%s", colon + 1);
    if (strcmp(host, "*") == 0)
        host[0] = '\0';
}

static void add_listener(int fd, int kind)
{
    struct listener *l = &listeners[nlisteners++];
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    l->fd = fd;
    l->kind = kind;
    reg_init(&l->reg, fd, l);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        addr_format((struct sockaddr *)&ss, len, l->name, sizeof l->name);
    else
        snprintf(l->name, sizeof l->name, "fd %d", fd);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    log_info("listening on %s (%s)", l->name,
             kind == LISTEN_TLS ? "pop3s, implicit TLS" :
             G.tls ? "pop3, STLS" : "pop3");
}

static void open_listener(const char *opt, const char *spec, int kind)
{
    char host[256], port[32];
    struct addrinfo hints, *res, *ai;
    int rc, bound = 0;

    split_hostport(opt, spec, host, sizeof host, port, sizeof port);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0)
        die("%s %s: %s", opt, spec, gai_strerror(rc));
    for (ai = res; ai; ai = ai->ai_next) {
        int fd, one = 1;
        if (nlisteners == MAX_LISTENERS)
            die("too many listening sockets (at most %d)", MAX_LISTENERS);
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            if (!host[0] && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT))
                continue;               /* "*" on a host without IPv6 */
            die("%s %s: socket: %s", opt, spec, strerror(errno));
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            char name[80];
            int e = errno;
            addr_format(ai->ai_addr, ai->ai_addrlen, name, sizeof name);
            die("cannot listen on %s: %s%s", name, strerror(e),
                e == EACCES ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" :
                e == EADDRINUSE ? " (is another POP3 server running?)" : "");
        }
        if (listen(fd, 1024) != 0)
            die("%s %s: listen: %s", opt, spec, strerror(errno));
        add_listener(fd, kind);
        bound++;
    }
    freeaddrinfo(res);
    if (!bound)
        die("%s %s: no usable address", opt, spec);
}

/* systemd socket activation with Accept=no: LISTEN_PID, LISTEN_FDS and
 * LISTEN_FDNAMES ("pop3s" or "tls" marks an implicit-TLS socket). */
static int inherit_listeners(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    const char *names = getenv("LISTEN_FDNAMES");
    long n;
    if (!pid || !fds || strtol(pid, NULL, 10) != (long)getpid())
        return 0;
    n = strtol(fds, NULL, 10);
    if (n <= 0 || n > MAX_LISTENERS)
        die("LISTEN_FDS=%s: expected 1 to %d sockets", fds, MAX_LISTENERS);
    for (long i = 0; i < n; i++) {
        int kind = LISTEN_PLAIN;
        if (names) {
            const char *p = names;
            size_t len;
            for (long k = 0; k < i && p; k++) {
                p = strchr(p, ':');
                if (p)
                    p++;
            }
            len = p ? strcspn(p, ":") : 0;
            if ((len == 5 && strncmp(p, "pop3s", 5) == 0) ||
                (len == 3 && strncmp(p, "tls", 3) == 0))
                kind = LISTEN_TLS;
        }
        if (kind == LISTEN_TLS && !G.tls)
            die("socket %ld (LISTEN_FDNAMES) is for TLS: give --tls-cert and --tls-key", i);
        add_listener(3 + (int)i, kind);
    }
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    return (int)n;
}

static void set_listening(int on)
{
    if (on == listening)
        return;
    for (int i = 0; i < nlisteners; i++)
        if (listeners[i].fd >= 0)
            reg_set(&listeners[i].reg, on ? EV_IN : 0);
    listening = on;
}

static void close_listeners(void)
{
    set_listening(0);
    for (int i = 0; i < nlisteners; i++)
        if (listeners[i].fd >= 0) {
            close(listeners[i].fd);
            listeners[i].fd = -1;
        }
}

static void accept_some(struct listener *l)
{
    for (int i = 0; i < 64; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd, one = 1;

        if (conn_count() >= (size_t)G.max_sessions)
            return;
        fd = accept(l->fd, (struct sockaddr *)&ss, &len);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                errno == ENOMEM) {
                static uint64_t last_warn;
                uint64_t now = mono_ms();
                if (now - last_warn > 10000) {
                    log_error("accept on %s: %s: pausing new connections", l->name,
                              strerror(errno));
                    last_warn = now;
                }
                accept_pause_until = now + 250;
                set_listening(0);
                return;
            }
            log_error("accept on %s: %s", l->name, strerror(errno));
            return;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn_new(fd, fd, l->kind, (struct sockaddr *)&ss, len);
    }
}

/* ------------------------------------------------------------------------
 * Signals: a self-pipe, drained by the loop.
 * ---------------------------------------------------------------------- */

static void on_signal(int sig)
{
    int e = errno;
    unsigned char b = (unsigned char)sig;
    got_signal = sig;
    if (write(sig_pipe[1], &b, 1) < 0)
        (void)0;
    errno = e;
}

static void setup_signals(void)
{
    struct sigaction sa;
    if (pipe(sig_pipe) != 0)
        die("pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    reg_init(&sig_reg, sig_pipe[0], &sig_tag);
    reg_set(&sig_reg, EV_IN);
}

/* ------------------------------------------------------------------------
 * Configuration that SIGHUP reloads: the users file and the certificate.
 * ---------------------------------------------------------------------- */

static int load_users(void)
{
    struct userdb db;
    if (userdb_load(&db, G.users_path) != 0)
        return -1;
    if ((db.hashed || db.scram1 || db.scram256) && cryptpool_start(2) != 0) {
        log_error("cannot start the password-hashing threads: %s", strerror(errno));
        userdb_free(&db);
        return -1;
    }
    userdb_free(&G.users);
    G.users = db;
    return 0;
}

static int load_tokens(void)
{
    struct tokendb db;
    if (!G.tokens_path)
        return 0;
    if (tokendb_load(&db, G.tokens_path) != 0)
        return -1;
    tokendb_free(&G.tokens);
    G.tokens = db;
    return 0;
}

static int load_tls(void)
{
    char err[256];
    struct tls_server *t;
    if (!opt_cert)
        return 0;
    t = tls_server_new(opt_cert, opt_key, opt_client_ca, err, sizeof err);
    if (!t) {
        log_error("TLS: %s", err);
        return -1;
    }
    if (G.tls)
        tls_server_free(G.tls);         /* live connections keep their ref */
    G.tls = t;
    return 0;
}

static void reload(void)
{
    int u = load_users(), k = load_tokens(), t = load_tls();
    log_info("SIGHUP: users %s (%zu users)%s%s", u == 0 ? "reloaded" : "NOT reloaded",
             G.users.count,
             !G.tokens_path ? "" : k == 0 ? ", tokens reloaded" : ", tokens NOT reloaded",
             !opt_cert ? "" : t == 0 ? ", certificate reloaded" : ", certificate NOT reloaded");
}

/* ------------------------------------------------------------------------
 * --stdio set-up
 * ---------------------------------------------------------------------- */

static int same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void make_nonblocking_if_ours(int fd)
{
    struct stat st;
    /* Sockets and pipes are this session's own; a terminal or a file is
     * shared with whoever started us, so leave it alone (plain writes are
     * then kept small, see tls.c). */
    if (fstat(fd, &st) == 0 && (S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode)))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void start_stdio(void)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    struct sockaddr *peer = NULL;
    int wfd = STDOUT_FILENO;

    if (getpeername(STDIN_FILENO, (struct sockaddr *)&ss, &len) == 0 && len > 0)
        peer = (struct sockaddr *)&ss;
    else
        len = 0;
    /* inetd and systemd give the same socket as stdin and stdout: use it
     * as one descriptor, so TLS (STLS) can run on it. */
    if (same_file(STDIN_FILENO, STDOUT_FILENO))
        wfd = STDIN_FILENO;
    make_nonblocking_if_ours(STDIN_FILENO);
    if (wfd != STDIN_FILENO)
        make_nonblocking_if_ours(wfd);
    if (!conn_new(STDIN_FILENO, wfd, 0, peer, len))
        die("cannot start the session");
}

/* ------------------------------------------------------------------------
 * main
 * ---------------------------------------------------------------------- */

static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY) {
        /* A session uses 1 descriptor, 2 while it reads a message or
         * commits (the process holds the mail root and the lock file). */
        long have = (long)rl.rlim_cur - 64;
        if ((long)G.max_sessions > have) {
            log_info("warning: the descriptor limit (%ld) allows only %ld sessions: "
                     "--max-sessions lowered", (long)rl.rlim_cur, have < 1 ? 1 : have);
            G.max_sessions = have < 1 ? 1 : (int)have;
        } else if ((long)G.max_sessions * 2 > have) {
            log_info("warning: the descriptor limit (%ld) is tight for %d sessions: "
                     "logins may get [SYS/TEMP] at full load", (long)rl.rlim_cur,
                     G.max_sessions);
        }
    }
}

int main(int argc, char **argv)
{
    enum { O_MAIL_ROOT = 256, O_USERS, O_LISTEN, O_STDIO, O_TLS_CERT, O_TLS_KEY,
           O_TLS_LISTEN, O_MAX_SESSIONS, O_IDLE, O_PLAIN, O_NO_APOP, O_TRACE,
           O_VERBOSE, O_VERSION, O_HELP, O_CLIENT_CA, O_OAUTH, O_SASL,
           O_SCRAM_HASH, O_SCRAM_ITER };
    static const struct option longopts[] = {
        {"mail-root", required_argument, NULL, O_MAIL_ROOT},
        {"users", required_argument, NULL, O_USERS},
        {"listen", required_argument, NULL, O_LISTEN},
        {"stdio", no_argument, NULL, O_STDIO},
        {"tls-cert", required_argument, NULL, O_TLS_CERT},
        {"tls-key", required_argument, NULL, O_TLS_KEY},
        {"tls-listen", required_argument, NULL, O_TLS_LISTEN},
        {"max-sessions", required_argument, NULL, O_MAX_SESSIONS},
        {"idle-timeout", required_argument, NULL, O_IDLE},
        {"allow-plaintext", no_argument, NULL, O_PLAIN},
        {"no-apop", no_argument, NULL, O_NO_APOP},
        {"trace", required_argument, NULL, O_TRACE},
        {"verbose", no_argument, NULL, O_VERBOSE},
        {"version", no_argument, NULL, O_VERSION},
        {"help", no_argument, NULL, O_HELP},
        {"tls-client-ca", required_argument, NULL, O_CLIENT_CA},
        {"oauth-tokens", required_argument, NULL, O_OAUTH},
        {"sasl", required_argument, NULL, O_SASL},
        {"scram-hash", required_argument, NULL, O_SCRAM_HASH},
        {"scram-iterations", required_argument, NULL, O_SCRAM_ITER},
        {NULL, 0, NULL, 0}
    };
    const char *listen_specs[MAX_LISTENERS], *tls_specs[MAX_LISTENERS];
    int nlisten = 0, ntls = 0, verbose = 0, allow_plain = 0, opt;
    long idle = -1;
    const char *trace_path = NULL;
    struct stat st;
    int shutting_down = 0, reload_pending = 0;
    uint64_t grace_at = 0;
    int background = 0;
    const char *scram_hash = NULL, *sasl_list = NULL;
    long scram_iter = SCRAM_ITER_DEFAULT;
    unsigned mechs, wanted;
    char mech_text[160];

    G.max_sessions = DEFAULT_MAX_SESSIONS;
    opterr = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case O_MAIL_ROOT: G.mail_root = optarg; break;
        case O_USERS: G.users_path = optarg; break;
        case O_LISTEN:
            if (nlisten == MAX_LISTENERS)
                usage_error("too many --listen");
            listen_specs[nlisten++] = optarg;
            break;
        case O_TLS_LISTEN:
            if (ntls == MAX_LISTENERS)
                usage_error("too many --tls-listen");
            tls_specs[ntls++] = optarg;
            break;
        case O_STDIO: opt_stdio = 1; break;
        case O_TLS_CERT: opt_cert = optarg; break;
        case O_TLS_KEY: opt_key = optarg; break;
        case O_MAX_SESSIONS:
            G.max_sessions = (int)number("--max-sessions", optarg, 1, 1000000);
            break;
        case O_IDLE: idle = number("--idle-timeout", optarg, 0, 86400); break;
        case O_PLAIN: allow_plain = 1; break;
        case O_NO_APOP: opt_no_apop = 1; break;
        case O_TRACE: trace_path = optarg; break;
        case O_VERBOSE: verbose = 1; break;
        case O_CLIENT_CA: opt_client_ca = optarg; break;
        case O_OAUTH: G.tokens_path = optarg; break;
        case O_SASL: sasl_list = optarg; break;
        case O_SCRAM_HASH: scram_hash = optarg; break;
        case O_SCRAM_ITER:
            scram_iter = number("--scram-iterations", optarg, 1, SCRAM_ITER_MAX);
            break;
        case O_VERSION:
            printf("pop3d (libpop3 %s)", pop3_version_string());
#if POP3D_HAVE_TLS
            printf(", TLS: %s", OPENSSL_VERSION_TEXT);
#else
            printf(", TLS: not built in");
#endif
            printf(", crypt(3): %s\n", POP3D_HAVE_CRYPT ? "yes" : "no");
            return 0;
        case O_HELP: usage(stdout); return 0;
        default:
            fprintf(stderr, "%s: try --help\n", POP3D_NAME);
            return 2;
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
    if (scram_hash)
        return scram_hash_mode(scram_hash, scram_iter);
    if (!G.mail_root)
        usage_error("--mail-root DIR is required");
    if (!G.users_path)
        usage_error("--users FILE is required");
    if (opt_stdio && (nlisten || ntls))
        usage_error("--stdio serves stdin/stdout: it cannot be combined with "
                    "--listen or --tls-listen");
    if ((opt_cert || opt_key || ntls) && !tls_built())
        usage_error("this pop3d was built without TLS (OpenSSL was not found at "
                    "build time): --tls-cert, --tls-key and --tls-listen are not "
                    "available");
    if (!opt_cert != !opt_key)
        usage_error("--tls-cert and --tls-key go together");
    if (ntls && !opt_cert)
        usage_error("--tls-listen needs --tls-cert and --tls-key");
    if (opt_client_ca && !opt_cert)
        usage_error("--tls-client-ca needs --tls-cert and --tls-key");
    wanted = sasl_list ? parse_mechs(sasl_list) : ~0u;

    /* Logs go to stderr - unless stderr is the client's socket (inetd
     * gives one socket as descriptors 0, 1 and 2): then to syslog. */
    log_open(opt_stdio && (same_file(STDERR_FILENO, STDIN_FILENO) ||
                           same_file(STDERR_FILENO, STDOUT_FILENO)) &&
             !isatty(STDERR_FILENO), verbose);

    if (stat(G.mail_root, &st) != 0)
        die("--mail-root %s: %s", G.mail_root, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        die("--mail-root %s: not a directory", G.mail_root);
    if (access(G.mail_root, R_OK | X_OK) != 0)
        die("--mail-root %s: cannot read it: %s", G.mail_root, strerror(errno));
    {
        char why[256];
        if (md_init(G.mail_root, why, sizeof why) != 0)
            die("--mail-root %s: %s", G.mail_root, why);
    }
    if (random_open() != 0)
        die("/dev/urandom: %s", strerror(errno));
    if (load_users() != 0)
        die("refusing to start: fix %s", G.users_path);
    if (load_tokens() != 0)
        die("refusing to start: fix %s", G.tokens_path);
    /* Decided once: SIGHUP reloads users, not the mechanisms offered. */
    G.apop = !opt_no_apop && G.users.plain > 0;
    G.external = opt_client_ca != NULL;
    if (load_tls() != 0)
        die("refusing to start: fix the TLS certificate, key or client CAs");
    hostname_for_apop(G.hostname, sizeof G.hostname);

    pop3_config_init(&G.cfg);
    G.cfg.implementation = "pop3d";
    G.cfg.hostname = G.hostname;
    /* The mechanisms the configuration can serve.  USER/PASS, AUTH PLAIN
     * and AUTH LOGIN check a password against any secret; APOP and
     * CRAM-MD5 need plain secrets; SCRAM needs plain secrets or SCRAM keys
     * of its kind; the bearer mechanisms need the tokens file; EXTERNAL
     * the client CAs (and only TLS connections with a verified
     * certificate get G.cfg_ext, which adds it).  libpop3 itself keeps
     * PLAIN, LOGIN and the bearer mechanisms off unprotected channels. */
    mechs = POP3_SASL_PLAIN | POP3_SASL_LOGIN;
    if (G.apop)
        mechs |= POP3_SASL_CRAM_MD5;
    if (G.users.plain || G.users.scram1)
        mechs |= POP3_SASL_SCRAM_SHA_1;
    if (G.users.plain || G.users.scram256)
        mechs |= POP3_SASL_SCRAM_SHA_256;
    if (G.tokens_path)
        mechs |= POP3_SASL_OAUTHBEARER | POP3_SASL_XOAUTH2;
    if (G.external)
        mechs |= POP3_SASL_EXTERNAL;
    if (sasl_list && (wanted & ~mechs)) {
        format_mechs(wanted & ~mechs, mech_text, sizeof mech_text);
        log_info("warning: --sasl: not possible with this configuration: %s", mech_text);
    }
    mechs &= wanted;
    G.cfg.sasl_mechs = mechs & ~(unsigned)POP3_SASL_EXTERNAL;
    if (allow_plain)
        G.cfg.flags |= POP3_CFG_ALLOW_PLAINTEXT;
    if (idle >= 0) {
        G.cfg.idle_timeout_ms = (uint32_t)idle * 1000u;  /* raised to 600 s */
        G.cfg.auth_timeout_ms = (uint32_t)(idle < 60 ? idle : 60) * 1000u;
        if (idle == 0)
            log_info("warning: --idle-timeout 0: idle clients are never logged out");
        else if (idle < 600)
            log_info("note: --idle-timeout %ld: %ld s before login; after login "
                     "RFC 1939 requires at least 600 s", idle, idle < 60 ? idle : 60);
    }
    G.cfg_ext = G.cfg;
    G.cfg_ext.sasl_mechs = mechs;
    G.external = (mechs & POP3_SASL_EXTERNAL) != 0;
    if (pop3_session_mem_size(&G.cfg) == 0 || pop3_session_mem_size(&G.cfg_ext) == 0)
        die("invalid engine configuration");
    format_mechs(mechs & ~(unsigned)POP3_SASL_EXTERNAL, mech_text, sizeof mech_text);
    if (trace_path) {
        G.trace = fopen(trace_path, "a");
        if (!G.trace)
            die("--trace %s: %s", trace_path, strerror(errno));
        setvbuf(G.trace, NULL, _IOFBF, 64 * 1024);
    }

    if (loop_init(!opt_stdio) != 0)
        die("event loop: %s", strerror(errno));
    setup_signals();
    if (G.users.hashed || G.users.scram1 || G.users.scram256) {
        reg_init(&crypt_reg, cryptpool_fd(), &crypt_tag);
        reg_set(&crypt_reg, EV_IN);
    }

    if (opt_stdio) {
        G.max_sessions = 1;
        start_stdio();
    } else {
        raise_fd_limit();
        if (!inherit_listeners() && !nlisten && !ntls)
            usage_error("nothing to serve: give --listen ADDR:PORT, --tls-listen "
                        "ADDR:PORT or --stdio");
        for (int i = 0; i < nlisten; i++)
            open_listener("--listen", listen_specs[i], LISTEN_PLAIN);
        for (int i = 0; i < ntls; i++)
            open_listener("--tls-listen", tls_specs[i], LISTEN_TLS);
        log_info("libpop3 %s, %s, %zu users, mail root %s, at most %d sessions%s%s, "
                 "SASL %s%s",
                 pop3_version_string(), loop_backend(), G.users.count, G.mail_root,
                 G.max_sessions, G.apop ? ", APOP" : "",
                 allow_plain ? ", plaintext allowed everywhere" : "",
                 mech_text[0] ? mech_text : "none",
                 G.external ? ", EXTERNAL with a verified client certificate" : "");
        set_listening(1);
    }

    for (;;) {
        struct loop_event ev[256];
        int n, timeout = -1;
        uint64_t now = mono_ms();
        struct timer *t;

        if (opt_stdio ? conn_count() == 0 : shutting_down && conn_count() == 0)
            break;
        if (background || conn_background_pending())
            timeout = 0;
        else if ((t = timer_first()) != NULL)
            timeout = t->at <= now ? 0 : t->at - now > 60000 ? 60000 : (int)(t->at - now);
        if (shutting_down && timeout != 0) {
            int g = grace_at <= now ? 0 : (int)(grace_at - now);
            if (timeout < 0 || g < timeout)
                timeout = g;
        }
        if (!shutting_down && !listening && nlisteners && timeout != 0) {
            int p = 250;
            if (timeout < 0 || p < timeout)
                timeout = p;
        }
        n = loop_wait(ev, 256, timeout);
        if (n < 0)
            die("event loop: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            void *p = ev[i].ptr;
            if (p == &sig_tag) {
                unsigned char b[16];
                ssize_t k;
                while ((k = read(sig_pipe[0], b, sizeof b)) > 0)
                    for (ssize_t j = 0; j < k; j++) {
                        if (b[j] == SIGHUP && !opt_stdio)
                            reload_pending = 1;
                        else if (b[j] == SIGTERM || b[j] == SIGINT) {
                            if (!shutting_down) {
                                shutting_down = 1;
                                grace_at = mono_ms() + GRACE_MS;
                                close_listeners();
                                log_info("%s: not accepting; %zu session%s get %u s to finish",
                                         b[j] == SIGTERM ? "SIGTERM" : "SIGINT", conn_count(),
                                         conn_count() == 1 ? "" : "s", GRACE_MS / 1000);
                            } else {
                                grace_at = 0;       /* second signal: now */
                            }
                        }
                    }
            } else if (p == &crypt_tag) {
                struct crypt_job *j = cryptpool_done(), *next;
                for (; j; j = next) {
                    next = j->next;
                    conn_crypt_done(j);
                }
            } else if (p >= (void *)&listeners[0] && p < (void *)&listeners[MAX_LISTENERS]) {
                if (!shutting_down)
                    accept_some(p);
            } else {
                conn_event(p, ev[i].events);
            }
        }
        if (reload_pending) {
            reload_pending = 0;
            reload();
            if ((G.users.hashed || G.users.scram1 || G.users.scram256) &&
                !crypt_reg.events) {
                reg_init(&crypt_reg, cryptpool_fd(), &crypt_tag);
                reg_set(&crypt_reg, EV_IN);
            }
        }
        now = mono_ms();
        for (int guard = 0; guard < 100000 && (t = timer_first()) && t->at <= now; guard++)
            conn_timer_fired(t);
        background = conn_run_background();
        if (shutting_down && conn_count() && mono_ms() >= grace_at) {
            log_info("grace period over: aborting %zu session%s (nothing is deleted)",
                     conn_count(), conn_count() == 1 ? "" : "s");
            conn_abort_all("server shutdown");
        }
        conn_reap();
        conn_trace_flush();
        if (!shutting_down && nlisteners) {
            int want = conn_count() < (size_t)G.max_sessions &&
                       mono_ms() >= accept_pause_until;
            set_listening(want);
        }
    }
    conn_run_background();              /* free what is still listed */
    conn_reap();
    conn_free_pool();
    loop_free();
    cryptpool_stop();
    if (G.trace)
        fclose(G.trace);
    if (G.tls)
        tls_server_free(G.tls);
    userdb_free(&G.users);
    tokendb_free(&G.tokens);
    if (!opt_stdio)
        log_info("stopped");
    return 0;
}
