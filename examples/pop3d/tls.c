/*
 * tls.c - transports: a pair of plain descriptors, or OpenSSL on a socket.
 *
 * Every operation is non-blocking and says which direction it waits for
 * (TX_AGAIN_IN / TX_AGAIN_OUT), because a TLS read may need to write and a
 * TLS write may need to read.  TLS can be put on a transport at any time
 * (tx_tls_begin): right after accept for implicit TLS, or after STLS.
 *
 * With --tls-client-ca every handshake asks for a client certificate.  A
 * client without one is served as usual; one whose certificate does not
 * verify is served too, but without EXTERNAL (tx_tls_client_cert says why,
 * and the log has it): a failed handshake would tell the user less.
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
#  include <openssl/x509v3.h>
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

/* Every certificate in the chain: remember the first failure on the
 * transport, and carry on (the handshake succeeds; EXTERNAL is not
 * offered). */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct tx *t = ssl ? SSL_get_app_data(ssl) : NULL;
    if (!ok && t && !t->cert_bad) {
        int e = X509_STORE_CTX_get_error(x);
        t->cert_bad = 1;
        snprintf(t->cert_why, sizeof t->cert_why, "%s (depth %d)",
                 X509_verify_cert_error_string(e), X509_STORE_CTX_get_error_depth(x));
    }
    return 1;
}

static int client_ca_setup(SSL_CTX *ctx, const char *client_ca, char *err,
                           size_t cap)
{
    STACK_OF(X509_NAME) *names;
    static const unsigned char sid_ctx[] = "pop3d";
    if (SSL_CTX_load_verify_locations(ctx, client_ca, NULL) != 1) {
        ssl_err(err, cap, client_ca);
        return -1;
    }
    names = SSL_load_client_CA_file(client_ca);
    if (!names) {
        ssl_err(err, cap, client_ca);
        return -1;
    }
    SSL_CTX_set_client_CA_list(ctx, names);     /* takes ownership */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
    SSL_CTX_set_verify_depth(ctx, 8);
    /* Resumed sessions keep their verified certificate; resumption needs
     * a session id context once peers are verified. */
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    return 0;
}

struct tls_server *tls_server_new(const char *cert, const char *key,
                                  const char *client_ca, char *err, size_t cap)
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
    if (client_ca && client_ca_setup(ctx, client_ca, err, cap) != 0) {
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
    SSL_set_app_data(ssl, t);           /* for verify_cb */
    t->ssl = ssl;
    t->cert_bad = 0;
    t->cert_why[0] = '\0';
    return 0;
}

/* The subject's only entry of this kind as UTF-8, printable ASCII, into
 * buf; "" when absent, repeated, or not usable as a user name. */
static void subject_entry(X509_NAME *subj, int nid, char *buf, size_t cap)
{
    int i = X509_NAME_get_index_by_NID(subj, nid, -1);
    unsigned char *u = NULL;
    int n;
    buf[0] = '\0';
    if (i < 0 || X509_NAME_get_index_by_NID(subj, nid, i) >= 0)
        return;
    n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i)));
    if (n > 0 && (size_t)n < cap) {
        int k;
        for (k = 0; k < n; k++)
            if (u[k] < 0x20 || u[k] >= 0x7F)
                break;
        if (k == n) {
            memcpy(buf, u, (size_t)n);
            buf[n] = '\0';
        }
    }
    OPENSSL_free(u);
}

int tx_tls_client_cert(const struct tx *t, char *cn, size_t cn_cap,
                       char *email, size_t email_cap, char *why, size_t why_cap)
{
    X509 *peer;
    long vr;
    cn[0] = email[0] = why[0] = '\0';
    if (!t->ssl)
        return 0;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    peer = SSL_get1_peer_certificate(t->ssl);   /* counted reference */
#else
    peer = SSL_get_peer_certificate(t->ssl);
#endif
    if (!peer)
        return 0;
    vr = SSL_get_verify_result(t->ssl);
    if (t->cert_bad || vr != X509_V_OK) {
        snprintf(why, why_cap, "%s", t->cert_bad ? t->cert_why
                 : X509_verify_cert_error_string(vr));
        X509_free(peer);
        return -1;
    }
    subject_entry(X509_get_subject_name(peer), NID_commonName, cn, cn_cap);
    subject_entry(X509_get_subject_name(peer), NID_pkcs9_emailAddress, email,
                  email_cap);
    X509_free(peer);
    return 1;
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
                                  const char *client_ca, char *err, size_t cap)
{
    (void)cert; (void)key; (void)client_ca;
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

int tx_tls_client_cert(const struct tx *t, char *cn, size_t cn_cap,
                       char *email, size_t email_cap, char *why, size_t why_cap)
{
    (void)t; (void)cn_cap; (void)email_cap; (void)why_cap;
    cn[0] = email[0] = why[0] = '\0';
    return 0;
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
