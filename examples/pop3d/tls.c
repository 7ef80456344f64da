/*
 * tls.c - transports: a pair of plain descriptors, or OpenSSL on a socket.
 *
 * Every operation is non-blocking and says which direction it waits for
 * (TX_AGAIN_IN / TX_AGAIN_OUT), because a TLS read may need to write and a
 * TLS write may need to read.  TLS can be put on a transport at any time
 * (tx_tls_begin): right after accept for implicit TLS, or after STLS.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if POP3D_HAVE_TLS
#  include <openssl/err.h>
#  include <openssl/ssl.h>
#endif

static int is_socket(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int is_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_NONBLOCK);
}

void tx_init(struct tx *t, int rfd, int wfd, int own_fds)
{
    memset(t, 0, sizeof *t);
    t->rfd = rfd;
    t->wfd = wfd;
    t->own_fds = (unsigned char)own_fds;
    t->rsock = (unsigned char)is_socket(rfd);
    t->wsock = rfd == wfd ? t->rsock : (unsigned char)is_socket(wfd);
}

static void set_err(struct tx *t, const char *what, int e)
{
    snprintf(t->err, sizeof t->err, "%s: %s", what, strerror(e));
}

/* ------------------------------------------------------------------------
 * Plain
 * ---------------------------------------------------------------------- */

static long plain_read(struct tx *t, void *buf, size_t n)
{
    ssize_t r;
    for (;;) {
        r = t->rsock ? recv(t->rfd, buf, n, MSG_DONTWAIT) : read(t->rfd, buf, n);
        if (r >= 0)
            return (long)r;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return TX_AGAIN_IN;
        if (errno == ECONNRESET)
            return 0;                   /* the same as an end of input */
        set_err(t, "read", errno);
        return TX_ERROR;
    }
}

static long plain_write(struct tx *t, const void *buf, size_t n)
{
    ssize_t r;
    /* A blocking pipe or terminal (--stdio): poll said writable, and a
     * write of at most PIPE_BUF octets then does not block on a pipe. */
    if (!t->wsock && n > PIPE_BUF && !is_nonblocking(t->wfd))
        n = PIPE_BUF;
    for (;;) {
        r = t->wsock ? send(t->wfd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL)
                     : write(t->wfd, buf, n);
        if (r >= 0)
            return (long)r;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return TX_AGAIN_OUT;
        set_err(t, "write", errno);
        return TX_ERROR;
    }
}

/* ------------------------------------------------------------------------
 * OpenSSL
 * ---------------------------------------------------------------------- */

#if POP3D_HAVE_TLS

int tls_built(void)
{
    return 1;
}

static void ssl_err(char *buf, size_t cap, const char *what)
{
    unsigned long e = ERR_get_error();
    char txt[160];
    if (e) {
        ERR_error_string_n(e, txt, sizeof txt);
        snprintf(buf, cap, "%s: %s", what, txt);
    } else {
        snprintf(buf, cap, "%s failed", what);
    }
    ERR_clear_error();
}

struct tls_server *tls_server_new(const char *cert, const char *key,
                                  char *err, size_t cap)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        ssl_err(err, cap, "SSL_CTX_new");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
                        | SSL_OP_IGNORE_UNEXPECTED_EOF
#endif
                        );
    /* The engine's output window stays put until out_ack, but a retried
     * SSL_write may see it longer than before. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                          SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        ssl_err(err, cap, cert);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        ssl_err(err, cap, key);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ssl_err(err, cap, "the key does not match the certificate");
        SSL_CTX_free(ctx);
        return NULL;
    }
    return (struct tls_server *)ctx;
}

void tls_server_free(struct tls_server *t)
{
    SSL_CTX_free((SSL_CTX *)t);
}

int tx_tls_begin(struct tx *t, struct tls_server *srv)
{
    SSL *ssl;
    if (!srv || t->ssl || t->rfd != t->wfd) {
        snprintf(t->err, sizeof t->err, "TLS needs a socket");
        return TX_ERROR;
    }
    ERR_clear_error();
    ssl = SSL_new((SSL_CTX *)srv);
    if (!ssl || SSL_set_fd(ssl, t->rfd) != 1) {
        ssl_err(t->err, sizeof t->err, "SSL_new");
        SSL_free(ssl);
        return TX_ERROR;
    }
    SSL_set_accept_state(ssl);
    t->ssl = ssl;
    return 0;
}

/* Map a failed SSL_* call.  Returns TX_AGAIN_*, 0 (end) or TX_ERROR. */
static long ssl_fail(struct tx *t, int r, const char *what)
{
    int e = SSL_get_error(t->ssl, r);
    switch (e) {
    case SSL_ERROR_WANT_READ:
        return TX_AGAIN_IN;
    case SSL_ERROR_WANT_WRITE:
        return TX_AGAIN_OUT;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        if (errno == 0 || errno == ECONNRESET || errno == EPIPE) {
            ERR_clear_error();
            return 0;                   /* EOF without close_notify */
        }
        set_err(t, what, errno);
        ERR_clear_error();
        return TX_ERROR;
    default:
        ssl_err(t->err, sizeof t->err, what);
        return TX_ERROR;
    }
}

int tx_tls_handshake(struct tx *t)
{
    int r;
    long f;
    ERR_clear_error();
    errno = 0;
    r = SSL_do_handshake(t->ssl);
    if (r == 1)
        return 1;
    f = ssl_fail(t, r, "TLS handshake");
    if (f == 0) {
        snprintf(t->err, sizeof t->err, "TLS handshake: the peer closed the connection");
        return TX_ERROR;
    }
    return (int)f;
}

void tx_tls_describe(const struct tx *t, char *buf, size_t cap)
{
    if (!t->ssl) {
        if (cap)
            buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, "%s/%s", SSL_get_version(t->ssl),
             SSL_get_cipher_name(t->ssl));
}

static long tls_read(struct tx *t, void *buf, size_t n)
{
    int r;
    if (n > INT_MAX)
        n = INT_MAX;
    ERR_clear_error();
    errno = 0;
    r = SSL_read(t->ssl, buf, (int)n);
    if (r > 0)
        return r;
    return ssl_fail(t, r, "TLS read");
}

static long tls_write(struct tx *t, const void *buf, size_t n)
{
    int r;
    long f;
    if (n > INT_MAX)
        n = INT_MAX;
    ERR_clear_error();
    errno = 0;
    r = SSL_write(t->ssl, buf, (int)n);
    if (r > 0)
        return r;
    f = ssl_fail(t, r, "TLS write");
    if (f == 0) {
        snprintf(t->err, sizeof t->err, "TLS write: the peer closed the connection");
        return TX_ERROR;
    }
    return f;
}

static void tls_close(struct tx *t)
{
    if (t->ssl) {
        ERR_clear_error();
        SSL_shutdown(t->ssl);           /* one try: close_notify, no wait */
        SSL_free(t->ssl);
        ERR_clear_error();
        t->ssl = NULL;
    }
}

#else /* !POP3D_HAVE_TLS */

int tls_built(void)
{
    return 0;
}

struct tls_server *tls_server_new(const char *cert, const char *key,
                                  char *err, size_t cap)
{
    (void)cert; (void)key;
    snprintf(err, cap, "pop3d was built without TLS (OpenSSL was not found)");
    return NULL;
}

void tls_server_free(struct tls_server *t)
{
    (void)t;
}

int tx_tls_begin(struct tx *t, struct tls_server *srv)
{
    (void)srv;
    snprintf(t->err, sizeof t->err, "pop3d was built without TLS");
    return TX_ERROR;
}

int tx_tls_handshake(struct tx *t)
{
    snprintf(t->err, sizeof t->err, "pop3d was built without TLS");
    return TX_ERROR;
}

void tx_tls_describe(const struct tx *t, char *buf, size_t cap)
{
    (void)t;
    if (cap)
        buf[0] = '\0';
}

static long tls_read(struct tx *t, void *buf, size_t n)
{
    (void)buf; (void)n;
    snprintf(t->err, sizeof t->err, "no TLS");
    return TX_ERROR;
}

static long tls_write(struct tx *t, const void *buf, size_t n)
{
    (void)buf; (void)n;
    snprintf(t->err, sizeof t->err, "no TLS");
    return TX_ERROR;
}

static void tls_close(struct tx *t)
{
    (void)t;
}

#endif /* POP3D_HAVE_TLS */

/* ------------------------------------------------------------------------
 * Dispatch
 * ---------------------------------------------------------------------- */

long tx_read(struct tx *t, void *buf, size_t n)
{
    return t->ssl ? tls_read(t, buf, n) : plain_read(t, buf, n);
}

long tx_write(struct tx *t, const void *buf, size_t n)
{
    return t->ssl ? tls_write(t, buf, n) : plain_write(t, buf, n);
}

void tx_close(struct tx *t)
{
    tls_close(t);
    if (!t->own_fds)
        return;
    if (t->rsock) {
        /* Read what the peer still sent, so that close() does not answer
         * it with a reset that could destroy our last reply in flight. */
        char junk[4096];
        int i = 0;
        shutdown(t->rfd, SHUT_WR);
        while (i++ < 16 && recv(t->rfd, junk, sizeof junk, MSG_DONTWAIT) > 0)
            ;
    }
    if (t->rfd >= 0)
        close(t->rfd);
    if (t->wfd >= 0 && t->wfd != t->rfd)
        close(t->wfd);
    t->rfd = t->wfd = -1;
}
