/*
 * conn.c - one client connection: moves bytes between the transport and
 * the libpop3 session, answers the session's callbacks from the Maildir
 * backend and the users file, and writes the log line when it ends.
 *
 * Memory: each connection is one block - this struct followed by the
 * session (pop3_session_init in memory we own).  Blocks are recycled
 * through a small free list.  A session's only other allocations are the
 * engine's deletion marks and, while logged in, the maildrop listing.
 *
 * Configurations: a session offers EXTERNAL only on TLS with a verified
 * client certificate.  libpop3 fixes sasl_mechs when the session is made,
 * so such a connection gets a session made with G.cfg_ext: for implicit
 * TLS the session is made again before it starts; after STLS it is made
 * again in the state pop3_session_tls_done would leave (see
 * restart_with_external).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define HANDSHAKE_MS     30000u     /* TLS handshake deadline */
#define SIZE_BUDGET      (256u * 1024u)   /* octets sized per loop turn */
#define RUN_ROUNDS       64         /* read/write rounds per wake-up */
#define FREE_BLOCKS_MAX  64
/* Bulk output (RETR, TOP, long listings): when the engine's window is at
 * least half full, its output is gathered into a BULK_CAP buffer of the
 * connection's, so the socket gets one write per BULK_CAP octets instead of
 * one per window (4 KiB).  The buffer exists only while it holds output
 * and goes back to a small pool when it is empty, so idle sessions pay
 * nothing for it. */
#define BULK_CAP         (64u * 1024u)
#define BULK_POOL_MAX    16
/* A session that has ended waits at most this long for its peer to take
 * the gathered output (the engine's own timers have stopped by then). */
#define BULK_LINGER_MS   30000u

enum { C_HANDSHAKE = 1, C_SESSION, C_CLOSED };

struct conn {
    struct reg rreg, wreg;      /* wreg is used only when wfd != rfd */
    struct timer timer;
    struct tx tx;
    pop3_session *s;
    uint64_t id;
    int kind;                   /* LISTEN_PLAIN, LISTEN_TLS, 0 for stdio */
    int phase;
    unsigned char started;      /* pop3_session_start done */
    unsigned char starttls;     /* the running handshake is STLS's */
    unsigned char is_protected;
    unsigned char on_ready, sizing;
    unsigned rd_wait, wr_wait;  /* what a blocked read/write waits for */
    unsigned hs_wait;           /* what the handshake waits for */
    uint64_t t_start, hs_deadline;
    unsigned char ext;          /* the session was made with G.cfg_ext */
    unsigned char quiet;        /* no trace lines (a session being remade) */
    signed char cert;           /* client certificate: 1 verified, 0 none,
                                   -1 not verified */
    unsigned char bearer_refused; /* a token refused, no POP3_EV_AUTH yet */
    pop3_stats pre;             /* counters of a session remade after STLS */
    unsigned char *bulk;        /* gathered output not yet written, or NULL */
    size_t bulk_off, bulk_len;  /* written and gathered octets of it */
    uint64_t bulk_deadline;     /* session closed, output pending: give up
                                   then (0: not set) */

    struct maildrop *md;        /* open (or opening) maildrop */
    struct crypt_job *job;      /* password check in flight */
    uint32_t files_deleted;
    int commit_result;          /* -1: no commit */

    struct conn *prev, *next;   /* every live connection */
    struct conn *ready_next;
    struct conn *size_next;
    struct conn *dead_next;

    char peer[64];
    char user[48];              /* logged in as */
    char bearer_user[48];       /* the identity a refused token claimed */
    char tls[64];               /* "TLSv1.3 TLS_AES_..." */
    char apop_ts[128];          /* the greeting's timestamp, "" if none */
    char cert_cn[72], cert_email[136];  /* the verified certificate's */
    /* Answer buffers that must outlive cb_authenticate (the library reads
     * the answer after the callback returns). */
    unsigned char ans_salt[16], ans_stored[HASH_MAX], ans_server[HASH_MAX];
    char note[192];             /* why it ended, when the reason needs words */

    max_align_t mem[];          /* the pop3_session */
};

static struct conn *all_head;
static size_t nconns;
static uint64_t next_id = 1;
static struct conn *ready_head, *size_head, *dead_head;
static struct conn *free_blocks;
static size_t nfree_blocks;
static size_t session_mem;
static int trace_dirty;
static unsigned char *bulk_pool[BULK_POOL_MAX];
static size_t nbulk_pool;

static void conn_run(struct conn *c);

size_t conn_count(void)
{
    return nconns;
}

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

static void note(struct conn *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void note(struct conn *c, const char *fmt, ...)
{
    va_list ap;
    if (c->note[0])
        return;                         /* keep the first cause */
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
}

/* Copy client-supplied text for a log line: printable ASCII only. */
static void safe_copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src && *src && i + 1 < cap; src++) {
        unsigned char ch = (unsigned char)*src;
        dst[i++] = ch > 0x20 && ch < 0x7F ? (char)ch : '?';
    }
    dst[i] = '\0';
}

static void make_ready(struct conn *c)
{
    if (c->on_ready || c->phase == C_CLOSED)
        return;
    c->on_ready = 1;
    c->ready_next = ready_head;
    ready_head = c;
}

static const char *reason_name(int r)
{
    switch (r) {
    case POP3_CLOSE_QUIT: return "quit";
    case POP3_CLOSE_EOF: return "eof";
    case POP3_CLOSE_TIMEOUT: return "timeout";
    case POP3_CLOSE_LIMIT: return "limit";
    case POP3_CLOSE_ABORT: return "abort";
    case POP3_CLOSE_ERROR: return "error";
    case POP3_CLOSE_TLS_FAILED: return "tls-failed";
    default: return "?";
    }
}

/* An API call returned r: fatal codes close the session (it says why);
 * any other error is a bug in pop3d - say so and abort. */
static void check(struct conn *c, int r, const char *what)
{
    if (r == POP3_OK)
        return;
    if (pop3_error_is_fatal(r)) {
        note(c, "%s: %s (%s)", what, pop3_error_name(r),
             pop3_session_last_error(c->s));
        return;
    }
    log_error("session #%llu: %s returned %s: pop3d bug", (unsigned long long)c->id,
              what, pop3_error_name(r));
    note(c, "%s returned %s", what, pop3_error_name(r));
    pop3_session_abort(c->s);
}

/* ------------------------------------------------------------------------
 * Trace (--trace FILE)
 * ---------------------------------------------------------------------- */

static void trace_line(struct conn *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void trace_line(struct conn *c, const char *fmt, ...)
{
    struct timeval tv;
    struct tm tm;
    char when[32];
    va_list ap;
    if (!G.trace)
        return;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(G.trace, "%s.%03dZ #%llu ", when, (int)(tv.tv_usec / 1000),
            (unsigned long long)c->id);
    va_start(ap, fmt);
    vfprintf(G.trace, fmt, ap);
    va_end(ap);
    fputc('\n', G.trace);
    trace_dirty = 1;
}

void conn_trace_flush(void)
{
    if (G.trace && trace_dirty) {
        fflush(G.trace);
        trace_dirty = 0;
    }
}

static const char *limit_name(int code)
{
    switch (code) {
    case POP3_LIMIT_LINE_LENGTH: return "line-length";
    case POP3_LIMIT_BAD_COMMANDS: return "bad-commands";
    case POP3_LIMIT_AUTH_FAILURES: return "auth-failures";
    case POP3_LIMIT_IDLE_TIMEOUT: return "idle-timeout";
    default: return "?";
    }
}

static void cb_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    struct conn *c = ud;

    if (c->quiet)
        return;
    switch (ev->type) {
    case POP3_EV_COMMAND:
        if (G.trace)
            trace_line(c, "C: %s%s%.*s", ev->verb, ev->args ? " " : "",
                       ev->args ? (int)ev->args_len : 0, ev->args ? ev->args : "");
        break;
    case POP3_EV_AUTH: {
        /* Every decided login attempt, whatever the mechanism.  Failures
         * make the fail2ban line; the name is as the client gave it (it
         * may be empty: bearer tokens, EXTERNAL). */
        char raw[48], who[48];
        size_t n = ev->args_len < sizeof raw - 1 ? ev->args_len : sizeof raw - 1;
        memcpy(raw, ev->args ? ev->args : "", ev->args ? n : 0);
        raw[ev->args ? n : 0] = '\0';
        safe_copy(who, sizeof who, raw);
        c->bearer_refused = 0;
        if (!ev->ok) {
            log_info("auth failed: user=%s peer=%s", who[0] ? who : "-", c->peer);
        } else {
            /* The identity that logged in (EXTERNAL and tokens name it). */
            safe_copy(who, sizeof who, pop3_session_user(s));
            log_debug("session #%llu: user=%s authenticated with %s",
                      (unsigned long long)c->id, who[0] ? who : "-", ev->verb);
        }
        if (G.trace)
            trace_line(c, "auth %s user=%s %s", ev->verb, who[0] ? who : "-",
                       ev->ok ? "accepted" : "refused");
        break;
    }
    case POP3_EV_REPLY:
        if (G.trace)
            trace_line(c, "S: %.*s", (int)ev->line_len, ev->line);
        break;
    case POP3_EV_STATE:
        if (G.trace)
            trace_line(c, "state %s -> %s", pop3_state_name(ev->old_state),
                       pop3_state_name(ev->state));
        break;
    case POP3_EV_LIMIT:
        if (G.trace)
            trace_line(c, "limit %s", limit_name(ev->code));
        break;
    case POP3_EV_BODY:
        if (G.trace) {
            char msg[24] = "";
            if (ev->msgno)
                snprintf(msg, sizeof msg, ", message %u", (unsigned)ev->msgno);
            trace_line(c, "S: (body of %llu octets%s)",
                       (unsigned long long)ev->octets, msg);
        }
        break;
    case POP3_EV_DISCARD:
        if (G.trace)
            trace_line(c, "discarded %llu octets", (unsigned long long)ev->octets);
        break;
    case POP3_EV_CLOSE:
        if (G.trace)
            trace_line(c, "close %s", reason_name(ev->code));
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------------
 * Callbacks
 * ---------------------------------------------------------------------- */

/* USER/PASS, AUTH PLAIN, AUTH LOGIN: a password to check. */
static int auth_password(struct conn *c, const pop3_auth_request *rq,
                         const struct user *u, pop3_auth_answer *ans)
{
    if (u && u->kind == SECRET_PLAIN) {
        ans->result = POP3_R_SECRET;    /* compared by the library */
        ans->secret = u->secret;
        ans->secret_len = u->secret_len;
        return POP3_ANSWERED;
    }
    if (!(u && (u->kind == SECRET_CRYPT || u->kind == SECRET_SCRAM))) {
        /* Unknown, or {NONE}: check against the dummy anyway, so the
         * answer takes as long as for a real user, then refuse. */
        if (!G.users.dummy) {
            ans->result = POP3_R_DENIED;
            return POP3_ANSWERED;
        }
        u = NULL;
    }
    /* A crypt hash or SCRAM keys: off to a worker thread. */
    c->job = cryptpool_submit(c, u ? u : G.users.dummy, rq->password,
                              rq->password_len, u == NULL);
    if (!c->job) {
        log_error("session #%llu: cannot queue a password check",
                  (unsigned long long)c->id);
        ans->result = POP3_R_TEMPFAIL;
        return POP3_ANSWERED;
    }
    return POP3_PENDING;
}

/* SCRAM-SHA-1, SCRAM-SHA-256: the user's keys, or the password and a salt
 * to derive them from.  Whoever has neither (unknown users, crypt hashes,
 * the other SCRAM kind, {NONE}) gets made-up keys with the salt an
 * unknown user always gets: the exchange fails at the proof, and the salt
 * is as stable as a real one, so it does not tell who exists.  (libpop3
 * would make up a salt itself for POP3_R_DENIED, but a new one each time,
 * which tells unknown users from real ones.) */
static int auth_scram(struct conn *c, const pop3_auth_request *rq,
                      const struct user *u, pop3_auth_answer *ans)
{
    int alg = strcmp(rq->mechanism, "SCRAM-SHA-1") == 0 ? HASH_SHA1 : HASH_SHA256;
    if (u && u->kind == SECRET_SCRAM && u->scram_alg == alg) {
        ans->result = POP3_R_SCRAM;
        ans->salt = u->salt;
        ans->salt_len = u->salt_len;
        ans->iterations = u->iterations;
        ans->stored_key = u->stored_key;
        ans->server_key = u->server_key;
        return POP3_ANSWERED;
    }
    userdb_derived_salt(&G.users, rq->user, c->ans_salt);
    ans->salt = c->ans_salt;
    ans->salt_len = sizeof c->ans_salt;
    ans->iterations = SCRAM_ITER_DEFAULT;
    if (u && u->kind == SECRET_PLAIN) {
        ans->result = POP3_R_SECRET;    /* the library runs Hi() */
        ans->secret = u->secret;
        ans->secret_len = u->secret_len;
        return POP3_ANSWERED;
    }
    if (random_bytes(c->ans_stored, sizeof c->ans_stored) != 0 ||
        random_bytes(c->ans_server, sizeof c->ans_server) != 0) {
        ans->result = POP3_R_TEMPFAIL;
        return POP3_ANSWERED;
    }
    if (G.users.plain) {
        /* Plain secrets cost the library a Hi() before it answers; a
         * random password costs the same, so the reply's timing does not
         * tell those users from unknown names either. */
        ans->result = POP3_R_SECRET;
        ans->secret = c->ans_stored;
        ans->secret_len = sizeof c->ans_stored;
        return POP3_ANSWERED;
    }
    ans->result = POP3_R_SCRAM;
    ans->stored_key = c->ans_stored;
    ans->server_key = c->ans_server;
    return POP3_ANSWERED;
}

/* OAUTHBEARER, XOAUTH2: the token names its user (the tokens file stands
 * in for an introspection endpoint); the client's own claim, if it makes
 * one, must agree. */
static int auth_bearer(struct conn *c, const pop3_auth_request *rq,
                       pop3_auth_answer *ans)
{
    const char *who = G.tokens_path
        ? tokendb_find(&G.tokens, rq->token, rq->token_len) : NULL;
    if (who && (rq->user_len == 0 || strcmp(rq->user, who) == 0) &&
        userdb_find(&G.users, who)) {
        ans->result = POP3_R_OK;
        ans->login_user = who;
        return POP3_ANSWERED;
    }
    /* libpop3 reports the failure (POP3_EV_AUTH) only once the client
     * answers the error challenge; a client that hangs up instead - curl's
     * XOAUTH2 does - would never be logged.  log_end catches that case. */
    c->bearer_refused = 1;
    safe_copy(c->bearer_user, sizeof c->bearer_user, rq->user);
    /* RFC 7628 §3.2.2; XOAUTH2 clients expect Google's HTTP-like status. */
    ans->result = POP3_R_DENIED;
    ans->bearer_error = strcmp(rq->mechanism, "XOAUTH2") == 0
        ? "{\"status\":\"401\",\"schemes\":\"bearer\"}"
        : "{\"status\":\"invalid_token\",\"schemes\":\"bearer\"}";
    return POP3_ANSWERED;
}

/* EXTERNAL: the verified client certificate names the user, by its
 * subject's commonName or else its emailAddress; a requested
 * authorization identity must be one of the two. */
static int auth_external(struct conn *c, const pop3_auth_request *rq,
                         pop3_auth_answer *ans)
{
    const char *cand[2] = {c->cert_cn, c->cert_email};
    const struct user *u = NULL;
    ans->result = POP3_R_DENIED;
    if (c->cert != 1)
        return POP3_ANSWERED;
    for (int i = 0; i < 2 && !u; i++) {
        if (!cand[i][0] || (rq->authzid_len && strcmp(rq->authzid, cand[i]) != 0))
            continue;
        u = userdb_find(&G.users, cand[i]);
    }
    if (u) {
        ans->result = POP3_R_OK;
        ans->login_user = u->name;
    }
    return POP3_ANSWERED;
}

static int cb_authenticate(void *ud, pop3_session *s, const pop3_auth_request *rq,
                           pop3_auth_answer *ans)
{
    struct conn *c = ud;
    const struct user *u = userdb_find(&G.users, rq->user);
    (void)s;

    switch (rq->kind) {
    case POP3_AUTH_PASS:
        if (!rq->password)
            break;
        return auth_password(c, rq, u, ans);
    case POP3_AUTH_APOP:
    case POP3_AUTH_CRAM_MD5:
        /* APOP and CRAM-MD5 need the shared secret; nothing else gives it. */
        if (u && u->kind == SECRET_PLAIN) {
            ans->result = POP3_R_SECRET;
            ans->secret = u->secret;
            ans->secret_len = u->secret_len;
            return POP3_ANSWERED;
        }
        break;
    case POP3_AUTH_SCRAM:
        return auth_scram(c, rq, u, ans);
    case POP3_AUTH_BEARER:
        return auth_bearer(c, rq, ans);
    case POP3_AUTH_EXTERNAL:
        return auth_external(c, rq, ans);
    default:
        break;
    }
    ans->result = POP3_R_DENIED;
    return POP3_ANSWERED;
}

void conn_crypt_done(struct crypt_job *j)
{
    struct conn *c = j->owner;
    if (c && c->phase != C_CLOSED) {
        pop3_auth_answer ans;
        memset(&ans, 0, sizeof ans);
        c->job = NULL;
        ans.result = j->ok ? POP3_R_OK : POP3_R_DENIED;
        check(c, pop3_session_auth_done(c->s, &ans), "auth_done");
        conn_run(c);
    }
    cryptpool_free(j);
}

static void fill_maildrop(struct conn *c, pop3_maildrop *ans)
{
    ans->result = POP3_R_OK;
    md_summary(c->md, &ans->count, &ans->octets);
}

static int cb_open_maildrop(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    struct conn *c = ud;
    const char *user = pop3_session_user(s);
    char why[256] = "";
    int r;

    if (!user) {
        ans->result = POP3_R_PERMFAIL;
        return POP3_ANSWERED;
    }
    r = md_open(&c->md, G.mail_root, user, why, sizeof why);
    if (r != POP3_R_OK) {
        if (r == POP3_R_IN_USE)
            log_info("session #%llu: user=%s peer=%s: %s", (unsigned long long)c->id,
                     user, c->peer, why);
        else
            log_error("session #%llu: user=%s: cannot open the maildrop: %s",
                      (unsigned long long)c->id, user, why);
        ans->result = r;
        return POP3_ANSWERED;
    }
    safe_copy(c->user, sizeof c->user, user);
    r = md_size_step(c->md, SIZE_BUDGET, why, sizeof why);
    if (r == 1) {
        fill_maildrop(c, ans);
        return POP3_ANSWERED;
    }
    if (r == 0) {                       /* big maildrop: size it in the loop */
        c->sizing = 1;
        c->size_next = size_head;
        size_head = c;
        return POP3_PENDING;
    }
    log_error("session #%llu: user=%s: %s", (unsigned long long)c->id, user, why);
    md_close(c->md);
    c->md = NULL;
    ans->result = POP3_R_TEMPFAIL;
    return POP3_ANSWERED;
}

static int cb_msg_info(void *ud, pop3_session *s, uint32_t msgno, unsigned want,
                       pop3_msg_info *ans)
{
    struct conn *c = ud;
    (void)s; (void)want;
    return md_info(c->md, msgno, ans);
}

static int cb_msg_read(void *ud, pop3_session *s, const pop3_read_request *rq,
                       pop3_chunk *ans)
{
    struct conn *c = ud;
    (void)s;
    return md_read(c->md, rq, ans);
}

static void cb_msg_close(void *ud, pop3_session *s, uint32_t msgno)
{
    struct conn *c = ud;
    (void)s; (void)msgno;
    if (c->md)
        md_read_close(c->md);
}

static int cb_commit(void *ud, pop3_session *s, const pop3_commit_request *rq,
                     int *result)
{
    struct conn *c = ud;
    char why[256] = "";
    (void)rq;
    *result = md_commit(c->md, s, &c->files_deleted, why, sizeof why);
    c->commit_result = *result;
    if (*result != POP3_R_OK) {
        log_error("session #%llu: user=%s: commit failed: %s",
                  (unsigned long long)c->id, c->user, why);
        note(c, "commit failed: %s", why);
    }
    return POP3_ANSWERED;
}

static void cb_maildrop_close(void *ud, pop3_session *s, int committed)
{
    struct conn *c = ud;
    (void)s; (void)committed;
    md_close(c->md);                    /* deletes nothing; unlocks */
    c->md = NULL;
}

static int cb_random(void *ud, void *buf, size_t len)
{
    (void)ud;
    return random_bytes(buf, len);
}

static const pop3_callbacks *callbacks(void)
{
    static pop3_callbacks cb;
    static int ready;
    if (!ready) {
        pop3_callbacks_init(&cb);
        cb.authenticate = cb_authenticate;
        cb.open_maildrop = cb_open_maildrop;
        cb.msg_info = cb_msg_info;
        cb.msg_read = cb_msg_read;
        cb.msg_close = cb_msg_close;
        cb.commit = cb_commit;
        cb.maildrop_close = cb_maildrop_close;
        cb.trace = cb_trace;
        cb.random = cb_random;          /* CRAM-MD5 challenges, SCRAM nonces */
        ready = 1;
    }
    return &cb;
}

/* ------------------------------------------------------------------------
 * Lifecycle
 * ---------------------------------------------------------------------- */

/* Counters of a session remade after STLS, added to the new one's. */
static void add_stats(pop3_stats *to, const pop3_stats *from)
{
    to->bytes_in += from->bytes_in;
    to->bytes_out += from->bytes_out;
    to->commands += from->commands;
    to->bad_commands += from->bad_commands;
    to->auth_failures += from->auth_failures;
    to->discarded_octets += from->discarded_octets;
}

static void log_end(struct conn *c)
{
    pop3_stats st;
    uint64_t ms = mono_ms() - c->t_start;
    char extra[64] = "";

    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    pop3_session_stats(c->s, &st);
    add_stats(&st, &c->pre);
    /* Gathered output the engine counted as sent but the peer never got. */
    st.bytes_out -= c->bulk ? c->bulk_len - c->bulk_off : 0;
    if (c->bearer_refused) {
        /* A refused token whose client left before answering the error
         * challenge: libpop3 counted and reported nothing (see auth_bearer). */
        c->bearer_refused = 0;
        st.auth_failures++;
        log_info("auth failed: user=%s peer=%s", c->bearer_user[0] ? c->bearer_user : "-",
                 c->peer);
    }
    if (c->commit_result == POP3_R_OK)
        snprintf(extra, sizeof extra, " deleted=%u", (unsigned)c->files_deleted);
    else if (c->commit_result >= 0)
        snprintf(extra, sizeof extra, " deleted=%u commit=failed",
                 (unsigned)c->files_deleted);
    log_info("session #%llu end: peer=%s%s%s user=%s end=%s retr=%llu/%llu "
             "top=%llu/%llu dele=%llu%s auth_failures=%llu in=%llu out=%llu "
             "time=%llu.%03us%s%s",
             (unsigned long long)c->id, c->peer, c->tls[0] ? " tls=" : "",
             c->tls[0] ? c->tls : "", c->user[0] ? c->user : "-",
             c->started ? reason_name(st.close_reason) : "tls-handshake",
             (unsigned long long)st.retr_count, (unsigned long long)st.retr_octets,
             (unsigned long long)st.top_count, (unsigned long long)st.top_octets,
             (unsigned long long)st.dele_count, extra,
             (unsigned long long)st.auth_failures,
             (unsigned long long)st.bytes_in, (unsigned long long)st.bytes_out,
             (unsigned long long)(ms / 1000), (unsigned)(ms % 1000),
             c->note[0] ? " note=" : "", c->note);
}

/* ------------------------------------------------------------------------
 * Bulk output
 * ---------------------------------------------------------------------- */

static void bulk_release(struct conn *c)
{
    if (!c->bulk)
        return;
    if (nbulk_pool < BULK_POOL_MAX)
        bulk_pool[nbulk_pool++] = c->bulk;
    else
        free(c->bulk);
    c->bulk = NULL;
    c->bulk_off = c->bulk_len = 0;
    c->bulk_deadline = 0;
}

/* Move the engine's output into the bulk buffer while it fits.  Returns 1
 * if anything was gathered, 0 if not (no buffer to be had: the caller
 * writes the window directly). */
static int bulk_gather(struct conn *c)
{
    size_t len = 0;
    const unsigned char *p = pop3_session_out_buf(c->s, &len);

    if (!c->bulk) {
        c->bulk = nbulk_pool ? bulk_pool[--nbulk_pool] : malloc(BULK_CAP);
        if (!c->bulk)
            return 0;
        c->bulk_off = c->bulk_len = 0;
    }
    while (p && len && c->bulk_len + len <= BULK_CAP) {
        memcpy(c->bulk + c->bulk_len, p, len);
        c->bulk_len += len;
        /* The engine goes on at once: the next window is the message's
         * next part, read and encoded inside out_ack. */
        if (pop3_session_out_ack(c->s, len) != POP3_OK)
            break;
        p = pop3_session_out_buf(c->s, &len);
    }
    return 1;
}

/* Write gathered output.  Returns 1 on progress, 0 when blocked, -1 when
 * the connection failed (the session is aborted). */
static int bulk_write(struct conn *c)
{
    long n = tx_write(&c->tx, c->bulk + c->bulk_off, c->bulk_len - c->bulk_off);
    if (n > 0) {
        c->bulk_off += (size_t)n;
        if (c->bulk_off == c->bulk_len)
            bulk_release(c);
        return 1;
    }
    if (n == TX_AGAIN_IN || n == TX_AGAIN_OUT) {
        c->wr_wait = n == TX_AGAIN_IN ? EV_IN : EV_OUT;
        return 0;
    }
    note(c, "%s", n == 0 ? "write: connection closed" : c->tx.err);
    bulk_release(c);
    pop3_session_abort(c->s);
    return -1;
}

static void conn_close(struct conn *c)
{
    if (c->phase == C_CLOSED)
        return;
    log_end(c);
    pop3_session_deinit(c->s);          /* msg_close, maildrop_close(0) */
    if (c->md) {                        /* an open that never completed */
        md_close(c->md);
        c->md = NULL;
    }
    if (c->job) {
        c->job->owner = NULL;           /* the worker's answer is dropped */
        c->job = NULL;
    }
    if (c->sizing) {
        struct conn **pp = &size_head;
        for (; *pp; pp = &(*pp)->size_next)
            if (*pp == c) {
                *pp = c->size_next;
                break;
            }
        c->sizing = 0;
    }
    bulk_release(c);
    timer_clear(&c->timer);
    reg_set(&c->rreg, 0);
    if (c->tx.wfd != c->tx.rfd)
        reg_set(&c->wreg, 0);
    tx_close(&c->tx);
    c->phase = C_CLOSED;
    if (c->prev)
        c->prev->next = c->next;
    else
        all_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    nconns--;
    /* Freed by conn_reap: events of this round may still name it. */
    c->dead_next = dead_head;
    dead_head = c;
}

void conn_reap(void)
{
    struct conn *keep = NULL;
    while (dead_head) {
        struct conn *c = dead_head;
        dead_head = c->dead_next;
        if (c->on_ready) {              /* still on the ready list: later */
            c->dead_next = keep;
            keep = c;
            continue;
        }
        if (nfree_blocks < FREE_BLOCKS_MAX) {
            c->dead_next = free_blocks;
            free_blocks = c;
            nfree_blocks++;
        } else {
            free(c);
        }
    }
    dead_head = keep;
}

/* A TLS handshake gets as long as a client may idle before login, at
 * most HANDSHAKE_MS. */
static uint64_t handshake_ms(void)
{
    uint32_t a = G.cfg.auth_timeout_ms;
    return a && a < HANDSHAKE_MS ? a : HANDSHAKE_MS;
}

/* Make the session (again) in the connection's memory with cfg.  On
 * failure - which the configuration checks at start-up rule out - the
 * connection gets a session with G.cfg, aborted: it then just closes. */
static void make_session(struct conn *c, const pop3_config *cfg)
{
    int err = 0;
    c->s = pop3_session_init(c->mem, session_mem, cfg, callbacks(), c, NULL, &err);
    c->ext = cfg == &G.cfg_ext;
    if (!c->s) {
        log_error("session #%llu: pop3_session_init: %s: pop3d bug",
                  (unsigned long long)c->id, pop3_error_name(err));
        c->s = pop3_session_init(c->mem, session_mem, &G.cfg, callbacks(), c,
                                 NULL, &err);
        c->ext = 0;
        note(c, "pop3_session_init failed");
        pop3_session_abort(c->s);
    }
}

static unsigned conn_flags(struct conn *c)
{
    unsigned f = 0;
    if (c->tx.ssl)
        f |= POP3_CONN_TLS_ACTIVE;
    else if (G.tls && c->tx.rfd == c->tx.wfd && c->tx.rsock)
        f |= POP3_CONN_TLS_AVAILABLE;               /* offer STLS */
    if (c->is_protected)
        f |= POP3_CONN_PROTECTED;
    return f;
}

/* After a handshake: what the client certificate proves (only asked for
 * with --tls-client-ca). */
static void check_client_cert(struct conn *c)
{
    char why[128];
    if (!G.external)
        return;
    c->cert = (signed char)tx_tls_client_cert(&c->tx, c->cert_cn, sizeof c->cert_cn,
                                              c->cert_email, sizeof c->cert_email,
                                              why, sizeof why);
    if (c->cert == 1) {
        log_debug("session #%llu: client certificate CN=%s emailAddress=%s",
                  (unsigned long long)c->id, c->cert_cn[0] ? c->cert_cn : "-",
                  c->cert_email[0] ? c->cert_email : "-");
        if (G.trace)
            trace_line(c, "tls client certificate CN=%s emailAddress=%s: EXTERNAL offered",
                       c->cert_cn[0] ? c->cert_cn : "-",
                       c->cert_email[0] ? c->cert_email : "-");
    } else if (c->cert < 0) {
        log_info("session #%llu: peer=%s: client certificate not verified: %s "
                 "(EXTERNAL not offered)", (unsigned long long)c->id, c->peer, why);
        if (G.trace)
            trace_line(c, "tls client certificate not verified: %s", why);
    }
}

static void start_session(struct conn *c)
{
    pop3_connection pc;
    memset(&pc, 0, sizeof pc);
    pc.now_ms = mono_ms();
    pc.flags = conn_flags(c);
    if (c->cert == 1 && !c->ext) {
        /* Implicit TLS with a verified client certificate: offer EXTERNAL
         * (the session was made at accept, before anyone knew). */
        pop3_session_deinit(c->s);
        make_session(c, &G.cfg_ext);
    }
    c->apop_ts[0] = '\0';
    if (G.apop) {
        unsigned char r[16];
        char hex[33];
        if (random_bytes(r, sizeof r) == 0) {
            for (int i = 0; i < 16; i++)
                snprintf(hex + 2 * i, 3, "%02x", r[i]);
            snprintf(c->apop_ts, sizeof c->apop_ts, "<%s.%ld@%s>", hex,
                     (long)getpid(), G.hostname);
            pc.apop_timestamp = c->apop_ts;
        } else {
            log_error("no randomness for the APOP timestamp: APOP disabled for this session");
        }
    }
    c->started = 1;
    c->phase = C_SESSION;
    check(c, pop3_session_start(c->s, &pc), "start");
}

/* STLS is done and the client proved a certificate: the session must now
 * offer EXTERNAL, and libpop3 fixes sasl_mechs when a session is made.  So
 * the session is made again, in the state pop3_session_tls_done(s, 1)
 * would leave: AUTHORIZATION on a TLS channel, no user, no input, the
 * greeting's APOP timestamp still valid - and no greeting: the new
 * session's is taken out of its output unsent.  What differs: the
 * counters of failed logins and bad commands start again from 0 (the log
 * line still adds them up), and the AUTHORIZATION timer restarts, as
 * tls_done restarts it too. */
static void restart_with_external(struct conn *c)
{
    pop3_connection pc;
    pop3_stats st;
    size_t len = 0;
    int r;

    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    pop3_session_stats(c->s, &st);
    add_stats(&c->pre, &st);
    c->quiet = 1;
    pop3_session_deinit(c->s);
    make_session(c, &G.cfg_ext);
    memset(&pc, 0, sizeof pc);
    pc.now_ms = mono_ms();
    pc.flags = conn_flags(c);
    pc.apop_timestamp = c->apop_ts[0] ? c->apop_ts : NULL;
    r = pop3_session_start(c->s, &pc);
    if (r == POP3_OK) {
        pop3_session_out_buf(c->s, &len);
        r = pop3_session_out_ack(c->s, len);    /* the greeting, dropped */
    }
    c->quiet = 0;
    check(c, r, "restart after STLS");
}

struct conn *conn_new(int rfd, int wfd, int kind, const struct sockaddr *peer,
                      socklen_t peer_len)
{
    struct conn *c;
    int err = 0;
    size_t size;

    if (!session_mem) {
        size_t ext = pop3_session_mem_size(&G.cfg_ext);
        session_mem = pop3_session_mem_size(&G.cfg);
        if (!session_mem || !ext)
            die("invalid engine configuration");
        if (ext > session_mem)
            session_mem = ext;
    }
    size = sizeof *c + session_mem;
    if (free_blocks) {
        c = free_blocks;
        free_blocks = c->dead_next;
        nfree_blocks--;
    } else {
        c = malloc(size);
        if (!c) {
            log_error("out of memory for a new connection");
            close(rfd);
            if (wfd != rfd)
                close(wfd);
            return NULL;
        }
    }
    memset(c, 0, sizeof *c);
    c->id = next_id++;
    c->kind = kind;
    c->commit_result = -1;
    c->t_start = mono_ms();
    tx_init(&c->tx, rfd, wfd, 1);
    reg_init(&c->rreg, rfd, c);
    reg_init(&c->wreg, wfd, c);
    addr_format(peer, peer_len, c->peer, sizeof c->peer);
    /* Loopback, a UNIX socket, or a pipe (inetd-less --stdio: ssh, tests)
     * is a protected channel: plaintext passwords are accepted there. */
    c->is_protected = (unsigned char)(peer ? addr_is_loopback(peer) : 1);
    c->pre.struct_size = sizeof c->pre;
    c->s = pop3_session_init(c->mem, session_mem, &G.cfg, callbacks(), c, NULL, &err);
    if (!c->s) {
        log_error("pop3_session_init: %s", pop3_error_name(err));
        tx_close(&c->tx);
        free(c);
        return NULL;
    }
    c->next = all_head;
    if (all_head)
        all_head->prev = c;
    all_head = c;
    nconns++;
    log_debug("session #%llu: connect from %s%s", (unsigned long long)c->id,
              c->peer, kind == LISTEN_TLS ? " (TLS)" : "");
    if (G.trace)
        trace_line(c, "connect %s%s", c->peer, kind == LISTEN_TLS ? " tls" : "");

    if (kind == LISTEN_TLS) {
        if (tx_tls_begin(&c->tx, G.tls) != 0) {
            note(c, "%s", c->tx.err);
            conn_close(c);
            return NULL;
        }
        c->phase = C_HANDSHAKE;
        c->hs_deadline = c->t_start + handshake_ms();
    } else {
        start_session(c);
    }
    conn_run(c);
    return c;
}

/* ------------------------------------------------------------------------
 * Driving a connection
 * ---------------------------------------------------------------------- */

/* Register what we wait for and when we must wake up. */
static void conn_schedule(struct conn *c)
{
    unsigned rd = 0, wr = 0;
    uint64_t at = UINT64_MAX, t;

    if (c->phase == C_HANDSHAKE) {
        rd = c->hs_wait;
        at = c->hs_deadline;
        if (c->started && pop3_session_deadline(c->s, &t) && t < at)
            at = t;                     /* STLS: the AUTHORIZATION timer runs */
    } else {
        unsigned st = pop3_session_status(c->s);
        if (st & POP3_STATUS_READ)
            rd = c->rd_wait;
        if ((st & POP3_STATUS_WRITE) || c->bulk)
            wr = c->wr_wait;
        if ((st & POP3_STATUS_DEADLINE) && pop3_session_deadline(c->s, &t))
            at = t;
        if (c->bulk_deadline && c->bulk_deadline < at)
            at = c->bulk_deadline;
    }
    if (c->tx.rfd == c->tx.wfd) {
        if (reg_set(&c->rreg, rd | wr) != 0)
            log_error("registering a descriptor: %s", strerror(errno));
    } else {
        /* Separate descriptors (--stdio): plain reads wait for input and
         * plain writes for output. */
        if (reg_set(&c->rreg, rd ? EV_IN : 0) != 0 ||
            reg_set(&c->wreg, wr ? EV_OUT : 0) != 0)
            log_error("registering a descriptor: %s", strerror(errno));
    }
    if (at == UINT64_MAX)
        timer_clear(&c->timer);
    else
        timer_set(&c->timer, at);
}

/* Returns 1 when the handshake is over and the session may run. */
static int run_handshake(struct conn *c)
{
    int r = tx_tls_handshake(&c->tx);
    if (r == 1) {
        c->hs_wait = 0;
        c->rd_wait = c->wr_wait = 0;
        tx_tls_describe(&c->tx, c->tls, sizeof c->tls);
        log_debug("session #%llu: %s", (unsigned long long)c->id, c->tls);
        check_client_cert(c);
        if (c->starttls) {
            c->starttls = 0;
            c->phase = C_SESSION;
            if (c->cert == 1)
                restart_with_external(c);
            else
                check(c, pop3_session_tls_done(c->s, 1), "tls_done");
        } else {
            start_session(c);
        }
        return 1;
    }
    if (r == TX_AGAIN_IN || r == TX_AGAIN_OUT) {
        c->hs_wait = r == TX_AGAIN_IN ? EV_IN : EV_OUT;
        return 0;
    }
    note(c, "%s", c->tx.err);
    if (c->starttls) {
        c->starttls = 0;
        c->phase = C_SESSION;
        check(c, pop3_session_tls_done(c->s, 0), "tls_done");
        return 1;                       /* the session is now closed */
    }
    conn_close(c);
    return 0;
}

static void conn_run(struct conn *c)
{
    uint64_t now = mono_ms();
    int rounds;

    if (c->phase == C_CLOSED)
        return;
    if (c->phase == C_HANDSHAKE) {
        if (now >= c->hs_deadline) {
            note(c, "TLS handshake timed out");
            if (c->started) {
                pop3_session_abort(c->s);
                c->phase = C_SESSION;
            } else {
                conn_close(c);
                return;
            }
        } else {
            if (c->started) {           /* STLS: let the session's timer run */
                check(c, pop3_session_tick(c->s, now), "tick");
                if (pop3_session_status(c->s) & POP3_STATUS_CLOSED) {
                    c->phase = C_SESSION;
                    goto session;
                }
            }
            if (!run_handshake(c)) {
                if (c->phase != C_CLOSED)
                    conn_schedule(c);
                return;
            }
        }
    }
session:
    check(c, pop3_session_tick(c->s, now), "tick");
    for (rounds = 0; rounds < RUN_ROUNDS; rounds++) {
        unsigned st = pop3_session_status(c->s);
        int progress = 0;

        /* Gathered output goes first: the engine counts it as sent, so
         * its closing or STLS must wait until the peer has it. */
        if (c->bulk && !c->wr_wait) {
            int r = bulk_write(c);
            if (r < 0)
                continue;
            progress = r;
        }
        if (c->bulk && (st & (POP3_STATUS_CLOSED | POP3_STATUS_START_TLS))) {
            if (st & POP3_STATUS_CLOSED) {
                if (!c->bulk_deadline)
                    c->bulk_deadline = now + BULK_LINGER_MS;
                if (now >= c->bulk_deadline) {
                    note(c, "the peer stopped reading: output dropped");
                    bulk_release(c);
                    conn_close(c);
                    return;
                }
            }
            if (!progress)
                break;
            continue;
        }
        if (st & POP3_STATUS_CLOSED) {
            conn_close(c);
            return;
        }
        if (st & POP3_STATUS_START_TLS) {
            /* STLS: the +OK is on the wire; the engine takes no input
             * until tls_done.  Put TLS on the transport and handshake. */
            if (tx_tls_begin(&c->tx, G.tls) != 0) {
                note(c, "STLS: %s", c->tx.err);
                check(c, pop3_session_tls_done(c->s, 0), "tls_done");
                continue;
            }
            c->starttls = 1;
            c->phase = C_HANDSHAKE;
            c->hs_deadline = now + handshake_ms();
            c->hs_wait = 0;
            if (!run_handshake(c)) {
                if (c->phase != C_CLOSED)
                    conn_schedule(c);
                return;
            }
            continue;
        }
        if ((st & POP3_STATUS_WRITE) && !c->wr_wait && !c->bulk) {
            size_t len = 0;
            const unsigned char *p = pop3_session_out_buf(c->s, &len);
            long n;
            if (len >= G.cfg.out_buf_size / 2 && bulk_gather(c)) {
                progress = 1;           /* written at the top of the loop */
                goto read;
            }
            n = tx_write(&c->tx, p, len);
            if (n > 0) {
                check(c, pop3_session_out_ack(c->s, (size_t)n), "out_ack");
                progress = 1;
            } else if (n == TX_AGAIN_IN || n == TX_AGAIN_OUT) {
                c->wr_wait = n == TX_AGAIN_IN ? EV_IN : EV_OUT;
            } else {
                note(c, "%s", n == 0 ? "write: connection closed" : c->tx.err);
                pop3_session_abort(c->s);
                continue;
            }
        }
    read:
        st = pop3_session_status(c->s);
        if ((st & POP3_STATUS_READ) && !c->rd_wait) {
            size_t cap = 0;
            unsigned char *p = pop3_session_in_buf(c->s, &cap);
            long n = p ? tx_read(&c->tx, p, cap) : TX_AGAIN_IN;
            if (n > 0) {
                check(c, pop3_session_in_ack(c->s, (size_t)n), "in_ack");
                progress = 1;
            } else if (n == 0) {
                check(c, pop3_session_in_eof(c->s), "in_eof");
                progress = 1;
            } else if (n == TX_AGAIN_IN || n == TX_AGAIN_OUT) {
                c->rd_wait = n == TX_AGAIN_IN ? EV_IN : EV_OUT;
            } else {
                note(c, "%s", c->tx.err);
                pop3_session_abort(c->s);
                continue;
            }
        }
        if (!progress)
            break;
    }
    if (rounds == RUN_ROUNDS)
        make_ready(c);                  /* busy: give the others a turn */
    conn_schedule(c);
}

void conn_event(struct conn *c, unsigned ev)
{
    if (c->phase == C_CLOSED)
        return;
    if (ev & EV_ERR)
        ev |= EV_IN | EV_OUT;           /* let the next operation find out */
    if (c->rd_wait & ev)
        c->rd_wait = 0;
    if (c->wr_wait & ev)
        c->wr_wait = 0;
    if (c->hs_wait & ev)
        c->hs_wait = 0;
    conn_run(c);
}

void conn_timer_fired(struct timer *t)
{
    struct conn *c = (struct conn *)(void *)((char *)t - offsetof(struct conn, timer));
    timer_clear(t);
    conn_run(c);
}

int conn_run_background(void)
{
    struct conn *list, *c;
    char why[256];

    /* Maildrops being sized: a slice each, round robin. */
    for (struct conn **pp = &size_head; (c = *pp) != NULL;) {
        int r = md_size_step(c->md, SIZE_BUDGET, why, sizeof why);
        pop3_maildrop ans;
        if (r == 0) {
            pp = &c->size_next;
            continue;
        }
        *pp = c->size_next;
        c->sizing = 0;
        memset(&ans, 0, sizeof ans);
        ans.login_delay = POP3_NOT_ADVERTISED;
        ans.expire = POP3_NOT_ADVERTISED;
        if (r == 1) {
            fill_maildrop(c, &ans);
        } else {
            log_error("session #%llu: user=%s: %s", (unsigned long long)c->id,
                      c->user, why);
            md_close(c->md);
            c->md = NULL;
            ans.result = POP3_R_TEMPFAIL;
        }
        check(c, pop3_session_open_done(c->s, &ans), "open_done");
        conn_run(c);
    }

    /* Connections that used up their rounds. */
    list = ready_head;
    ready_head = NULL;
    while ((c = list) != NULL) {
        list = c->ready_next;
        c->on_ready = 0;
        conn_run(c);                    /* nothing if it closed meanwhile */
    }
    return ready_head != NULL || size_head != NULL;
}

int conn_background_pending(void)
{
    return ready_head != NULL || size_head != NULL;
}

void conn_free_pool(void)
{
    while (free_blocks) {
        struct conn *c = free_blocks;
        free_blocks = c->dead_next;
        free(c);
    }
    nfree_blocks = 0;
}

void conn_abort_all(const char *why)
{
    struct conn *c, *next;
    for (c = all_head; c; c = next) {
        next = c->next;
        note(c, "%s", why);
        if (c->started) {
            pop3_session_abort(c->s);
            c->phase = C_SESSION;
            conn_run(c);
        } else {
            conn_close(c);
        }
    }
}
