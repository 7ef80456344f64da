/*
 * fuzz_session.c - a whole session against a scripted backend.
 *
 * Input: a 32-byte header, an optional message template, then the client's
 * byte stream.  The header (all bytes optional, missing ones are 0):
 *
 *   0     pop3_config.flags bits 0-7
 *   1     bits 0-1: flags bits 8-9; bit 2: IMPLEMENTATION text; bit 3:
 *         login_delay_per_user; bit 4: expire_per_user; bits 5-6: input
 *         API (in_buf/in_ack, recv, either); bit 7: re-entrancy probes
 *   2     max_line (0: 255 ... 255: 4080)
 *   3     in_buf_size (0: default, else max_line + 8 * b)
 *   4     out_buf_size (1024 + 16 * b)
 *   5     bad-command limits: low nibble AUTHORIZATION, high nibble * 4
 *         TRANSACTION (0: unlimited)
 *   6     bits 0-2: max_auth_failures; bits 3-4: auth_fail_delay_ms (0, 1,
 *         50, 2000); bits 5-7: connection flags (TLS active, TLS
 *         available, protected)
 *   7     bits 0-1: idle_timeout_ms (0, 600000, 1, 3600000); bits 2-3:
 *         auth_timeout_ms (0, 60000, 1000, 1); bit 4: APOP timestamp;
 *         bits 5-6: login_delay (not advertised, 0, 900, INT32_MAX); bit 7:
 *         expire from byte 8
 *   8     bits 0-1: expire (not advertised, NEVER, 0, 31); bits 2-3: the
 *         user's login_delay; bits 4-5: the user's expire; bits 6-7: the
 *         clock's start (1000, 0, 2^40, 2^62)
 *   9     messages in the maildrop: low nibble 0-9 as is, 10-15: 17, 64,
 *         255, 256, 1000, 4096
 *   10    low nibble: input chunk sizes; high nibble: output ack sizes
 *         (0: all, 1: one octet, 2: 1-8, 3: 1-64, 4: 1-all, else mixed)
 *   11    probability /256 that a request is answered POP3_PENDING
 *   12    probability /512 that an answer is a failure result
 *   13    probability /4096 that a callback fails fatally (negative return)
 *   14    low nibble: allocator failure probability /16; high nibble: unique
 *         ids (0-11 valid, else some invalid)
 *   15    low nibble: weight of timer events; high nibble: what happens
 *         after the input (0-7 in_eof, 8-9 abort, 10-11 nothing - timers
 *         must end it, 12-13 deinit at once, 14-15 chosen at random)
 *   16-23 seed of every random choice (chunk sizes, answers, schedule)
 *   24    authentication answers (0: mostly OK, 1: mostly SECRET, 2: mixed
 *         with wrong secrets, 3: random)
 *   25    peek probability /256 (out_buf held across other calls)
 *   26    pop3_config.flags bits 10-15 (AUTH_LIST, ALLOW_AUTHZID, UTF8,
 *         UTF8_USER, UTF8_IN_TRANSACTION, LANG)
 *   27    sasl_mechs bits 0-7 (0: the default PLAIN and LOGIN)
 *   28-30 reserved (0)
 *   31    length L of the message template that follows the header
 *
 * Invariants checked after every step (see docs/fuzzing.md):
 *   - every output line begins "+OK ", "-ERR " or "+ "; status lines are
 *     at most 512 octets with CRLF; they equal the POP3_EV_REPLY lines, in
 *     order, and no output exists that was not traced;
 *   - each multi-line reply (RETR, TOP, LIST, UIDL, CAPA) is dot-stuffed,
 *     ends with "." CRLF, and decodes to exactly the backend's message
 *     (CRLF-normalised; TOP cut after k body lines), listing or capability
 *     list; POP3_EV_BODY reports its size;
 *   - sizes, counts and deletion marks agree with a model of the maildrop;
 *   - commit is called only for QUIT in TRANSACTION (state UPDATE), at
 *     most once, never after an abort, a timeout or the end of input; the
 *     maildrop is closed exactly once per successful open, "committed" only
 *     after a successful commit; msg_close pairs with msg_read;
 *   - status: CLOSED is exclusive and final; READ iff in_buf gives room;
 *     WRITE iff out_buf has bytes; never stuck (no READ/WRITE/PENDING/
 *     DEADLINE/START_TLS while open); fatal codes are sticky and only
 *     those a callback or backend failure explains;
 *   - out_buf bytes and pointer are stable until out_ack;
 *   - memory: the session lives in exactly pop3_session_mem_size() bytes
 *     (sanitizers watch the edges); buffers it hands out lie inside it; the
 *     allocator sees only the mark set, of the right size, one at a time;
 *     after deinit no password is left in the session structure or the
 *     input buffer (the memory below the output buffer);
 *   - STLS: after the handshake the input buffer is empty;
 *   - callbacks may not re-enter (POP3_E_REENTRANT, nothing changes).
 */
#include "fuzz_common.h"

#define HDR 32
#define PLURAL(n) ((n) == 1 ? "" : "s")   /* "1 message", "2 messages" */
#define NKINDS 8
#define MAX_PASSWORDS 16

enum { REQ_NONE, REQ_AUTH, REQ_OPEN, REQ_INFO, REQ_READ, REQ_COMMIT };
enum { BODY_NONE, BODY_MSG, BODY_LIST, BODY_UIDL, BODY_CAPA, BODY_OTHER };

typedef struct rec {
    char *line;                 /* status line without CRLF */
    size_t line_len;
    int has_cmd;                /* a POP3_EV_COMMAND preceded it */
    char verb[8];
    char *args;
    size_t args_len;
    int cmd_state;
    int body_events;
    uint32_t body_msgno;
    uint64_t body_octets;
    uint64_t wire_body;
    int multi, body_done;
    uint32_t msgno;             /* RETR/TOP */
} rec;

typedef struct msg {
    unsigned char *raw;
    size_t len;
    fuzz_buf norm;
    char uid[96];
    size_t uid_len;
    int uid_null, uid_valid;
    char uid_text[40];          /* what UIDL must show */
} msg;

typedef struct H {
    uint8_t hdr[HDR];
    fuzz_rng rng;
    pop3_config cfg;
    char impl[32];
    unsigned conn_flags;
    const char *timestamp;
    uint32_t in_buf_size;
    unsigned p_pending, p_fail, p_fatal, p_allocfail, uid_mode, tick_weight, end_mode,
        auth_mode, p_peek, chunk_mode, ack_mode, input_api;
    int probes;
    int32_t user_login_delay, user_expire;

    /* maildrop */
    uint32_t count;
    msg kinds[NKINDS];
    unsigned nkinds;
    uint64_t total;
    unsigned char *model_del;   /* the harness's deletion marks */
    uint32_t model_deleted;
    uint64_t model_deleted_octets;
    int logged_in;

    /* session */
    unsigned char *mem;
    size_t mem_size;
    size_t out_lo;                      /* lowest offset out_buf returned */
    pop3_session *s;
    uint64_t t0, now;
    const uint8_t *in;
    size_t in_len, pos;
    int eof_sent, aborted, fatal, in_cb, closed_seen;
    uint64_t fed;

    /* output and its parse */
    fuzz_buf wire;
    size_t parsed;
    rec *recs;
    size_t nrecs, caprecs, next_rec;
    int body_kind;
    rec *body_rec;
    fuzz_buf expect;
    size_t expect_off;
    uint64_t list_last, list_lines;
    unsigned capa_seen;
    int capa_next;
    int list_single_ok;

    /* current command from the trace */
    int cur_has_cmd;
    char cur_verb[8];
    fuzz_buf cur_args;
    int cur_state;
    char last_verb[8];
    int last_state;
    int close_events, close_reason;

    /* backend */
    int pending;
    pop3_auth_answer auth_ans;
    unsigned char *auth_secret;
    const char *auth_req_pw;    /* pending PASS: the request's pointer */
    unsigned char *auth_pw_copy;
    size_t auth_pw_len;
    pop3_maildrop open_ans;
    pop3_msg_info info_ans;
    char info_uid[96];
    pop3_chunk read_ans;
    int commit_ans;
    int reading;
    uint32_t read_msgno;
    uint64_t read_off;
    unsigned char *chunk_data;
    int opens, closes, commits, commit_ok;
    int allow_cb_fatal, allow_backend_fatal, any_no_message;

    /* allocator */
    int live;
    void *mark_ptr;
    size_t mark_size;

    /* passwords the backend was asked about */
    unsigned char *pw[MAX_PASSWORDS];
    size_t pw_len[MAX_PASSWORDS];
    int npw;

    /* out_buf held across calls */
    const unsigned char *peek_p;
    size_t peek_len;
    unsigned char *peek_copy;
} H;

/* ------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------- */

static msg *message(H *h, uint32_t n)
{
    return &h->kinds[(n - 1) % h->nkinds];
}

static int model_is_del(H *h, uint32_t n)
{
    return (h->model_del[(n - 1) >> 3] >> ((n - 1) & 7)) & 1;
}

static int inside_mem(H *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    return c >= h->mem && c <= h->mem + h->mem_size && n <= (size_t)(h->mem + h->mem_size - c);
}

static int is_fatal_code(int rc)
{
    return rc <= POP3_E_FATAL;
}

/* After every API call: what an answer lent the library is taken back
 * ("read during the answer only") unless that answer is still owed. */
static void answers_delivered(H *h)
{
    if (h->pending != REQ_AUTH && h->auth_secret) {
        free(h->auth_secret);
        h->auth_secret = NULL;
    }
    if (h->pending != REQ_INFO)
        memset(h->info_uid, 'Z', sizeof h->info_uid);
}

/* Every API result: a fatal code must be explained and leaves the
 * session CLOSED; once fatal, always the same code. */
static void after_call(H *h, int rc, const char *what, int ok1, int ok2, int ok3)
{
    answers_delivered(h);
    if (h->fatal) {
        FUZZ_CHECK(rc == h->fatal, "%s after fatal %d returned %d (not sticky)", what, h->fatal,
                   rc);
        return;
    }
    if (is_fatal_code(rc)) {
        FUZZ_CHECK((rc == POP3_E_CALLBACK && h->allow_cb_fatal) ||
                       (rc == POP3_E_BACKEND && h->allow_backend_fatal),
                   "%s returned unexplained fatal %s (%s)", what, pop3_error_name(rc),
                   pop3_session_last_error(h->s));
        FUZZ_CHECK(pop3_session_status(h->s) == POP3_STATUS_CLOSED,
                   "%s returned fatal %d but status is %#x", what, rc,
                   pop3_session_status(h->s));
        FUZZ_CHECK(pop3_session_state(h->s) == POP3_STATE_CLOSED, "fatal but state not CLOSED");
        h->fatal = rc;
        return;
    }
    FUZZ_CHECK(rc == POP3_OK || rc == ok1 || rc == ok2 || rc == ok3, "%s returned %s", what,
               pop3_error_name(rc));
}


/* ------------------------------------------------------------------------
 * Re-entrancy probes (from inside callbacks)
 * ---------------------------------------------------------------------- */

static void probe(H *h, pop3_session *s)
{
    unsigned before;
    size_t cap = 1;
    pop3_auth_answer a;
    if (!h->probes || !fuzz_chance(&h->rng, 1, 8))
        return;
    before = pop3_session_status(s);
    memset(&a, 0, sizeof a);
    FUZZ_CHECK(pop3_session_in_ack(s, 0) == POP3_E_REENTRANT, "in_ack from a callback");
    FUZZ_CHECK(pop3_session_out_ack(s, 0) == POP3_E_REENTRANT, "out_ack from a callback");
    FUZZ_CHECK(pop3_session_tick(s, h->now + 100000000) == POP3_E_REENTRANT,
               "tick from a callback");
    FUZZ_CHECK(pop3_session_in_eof(s) == POP3_E_REENTRANT, "in_eof from a callback");
    FUZZ_CHECK(pop3_session_abort(s) == POP3_E_REENTRANT, "abort from a callback");
    FUZZ_CHECK(pop3_session_auth_done(s, &a) == POP3_E_REENTRANT, "auth_done from a callback");
    FUZZ_CHECK(pop3_session_commit_done(s, POP3_R_OK) == POP3_E_REENTRANT,
               "commit_done from a callback");
    FUZZ_CHECK(pop3_session_tls_done(s, 1) == POP3_E_REENTRANT, "tls_done from a callback");
    FUZZ_CHECK(pop3_session_recv(s, "x", 1) == POP3_E_REENTRANT, "recv from a callback");
    FUZZ_CHECK(pop3_session_in_buf(s, &cap) == NULL && cap == 0, "in_buf from a callback");
    FUZZ_CHECK(pop3_session_deinit(s) == POP3_E_REENTRANT, "deinit from a callback");
    pop3_session_free(s);               /* must do nothing */
    FUZZ_CHECK(pop3_session_status(s) == before, "a refused re-entrant call changed status");
    /* Callback-safe queries work. */
    (void)pop3_session_state(s);
    (void)pop3_session_user(s);
    (void)pop3_session_deadline(s, NULL);
    {
        size_t len;
        (void)pop3_session_out_buf(s, &len);
    }
}

static void cb_enter(H *h, pop3_session *s, const char *name)
{
    FUZZ_CHECK(s == h->s, "%s: wrong session pointer", name);
    FUZZ_CHECK(!h->in_cb, "%s called from inside another callback", name);
    FUZZ_CHECK(h->close_events == 0, "%s called after the session closed", name);
    FUZZ_CHECK(!h->aborted, "%s called after abort", name);
    h->in_cb = 1;
}

/* The request callbacks return through here. */
static int cb_leave(H *h, int mode)
{
    h->in_cb = 0;
    return mode;
}

/* POP3_ANSWERED, POP3_PENDING or a fatal failure. */
static int choose_mode(H *h)
{
    if (h->p_fatal && fuzz_below(&h->rng, 4096) < h->p_fatal) {
        h->allow_cb_fatal = 1;
        return -1 - (int)fuzz_below(&h->rng, 1000);
    }
    if (fuzz_below(&h->rng, 256) < h->p_pending)
        return POP3_PENDING;
    return POP3_ANSWERED;
}

static int failing(H *h)
{
    return h->p_fail && fuzz_below(&h->rng, 512) < h->p_fail;
}

/* ------------------------------------------------------------------------
 * Callbacks
 * ---------------------------------------------------------------------- */

static int cb_authenticate(void *ud, pop3_session *s, const pop3_auth_request *req,
                           pop3_auth_answer *ans)
{
    H *h = ud;
    pop3_auth_answer a;
    int mode, r;

    cb_enter(h, s, "authenticate");
    FUZZ_CHECK(pop3_session_state(s) == POP3_STATE_AUTHORIZATION, "authenticate outside AUTH");
    FUZZ_CHECK(req->user != NULL && strlen(req->user) == req->user_len,
               "authenticate: user not a NUL-terminated string of user_len");
    memset(&a, 0, sizeof a);
    free(h->auth_secret);               /* the previous answer is long delivered */
    h->auth_secret = NULL;
    if (req->kind == POP3_AUTH_PASS) {
        FUZZ_CHECK(req->password != NULL && strlen(req->password) == req->password_len,
                   "authenticate: password not a NUL-terminated string of password_len");
        if (req->password_len >= 8 && h->npw < MAX_PASSWORDS) {
            h->pw[h->npw] = fuzz_dup(req->password, req->password_len);
            h->pw_len[h->npw++] = req->password_len;
        }
    } else if (req->kind == POP3_AUTH_APOP) {
        FUZZ_CHECK(h->timestamp && req->timestamp && strcmp(req->timestamp, h->timestamp) == 0,
                   "authenticate: APOP timestamp is not the greeting's");
        FUZZ_CHECK(req->digest && strlen(req->digest) == 32 &&
                       strspn(req->digest, "0123456789abcdef") == 32,
                   "authenticate: APOP digest not 32 lowercase hex digits");
    }
    probe(h, s);

    r = (int)fuzz_below(&h->rng, 100);
    if (failing(h)) {
        static const int f[] = {POP3_R_DENIED, POP3_R_TEMPFAIL, POP3_R_PERMFAIL};
        a.result = f[fuzz_below(&h->rng, 3)];
    } else {
        int want_secret = h->auth_mode == 1 ? r < 80 : h->auth_mode == 2 ? r < 50
                          : h->auth_mode == 3 ? r < 40 : r < 20;
        int wrong = h->auth_mode >= 2 && fuzz_chance(&h->rng, 1, 3);
        static const unsigned char salt[] = "QSXCR+Q6sek8bf92";
        if (h->auth_mode == 3 && r >= 80)
            a.result = POP3_R_DENIED;
        else if (req->kind == POP3_AUTH_SCRAM || req->kind == POP3_AUTH_CRAM_MD5) {
            /* RFC 5802 / RFC 2195 example secrets; few iterations. */
            int scram = req->kind == POP3_AUTH_SCRAM;
            a.result = POP3_R_SECRET;
            h->auth_secret = scram ? fuzz_dup("pencil", 6) : fuzz_dup("tanstaaftanstaaf", 16);
            a.secret = h->auth_secret;
            a.secret_len = scram ? 6 : 16;
            a.salt = salt;
            a.salt_len = 16;
            a.iterations = 1 + (uint32_t)fuzz_below(&h->rng, 8);
            if (wrong)
                h->auth_secret[0] ^= 1;
        } else if (!want_secret || (req->kind != POP3_AUTH_PASS && req->kind != POP3_AUTH_APOP))
            a.result = POP3_R_OK;
        else {
            a.result = POP3_R_SECRET;
            if (req->kind == POP3_AUTH_PASS)
                h->auth_secret = fuzz_dup(req->password, req->password_len);
            else
                h->auth_secret = fuzz_dup("tanstaaf", 8);
            a.secret = h->auth_secret;
            a.secret_len = req->kind == POP3_AUTH_PASS ? req->password_len : 8;
            if (wrong && a.secret_len)
                h->auth_secret[fuzz_below(&h->rng, a.secret_len)] ^= 1;
        }
    }
    mode = choose_mode(h);
    if (mode == POP3_PENDING) {
        h->pending = REQ_AUTH;
        h->auth_ans = a;
        h->auth_req_pw = NULL;
        if (req->kind == POP3_AUTH_PASS) {
            h->auth_req_pw = req->password;
            h->auth_pw_copy = fuzz_dup(req->password, req->password_len);
            h->auth_pw_len = req->password_len;
        }
    } else if (mode == POP3_ANSWERED) {
        *ans = a;
    }
    return cb_leave(h, mode);
}

static int cb_random(void *ud, void *buf, size_t len)
{
    H *h = ud;
    unsigned char *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)fuzz_next(&h->rng);
    return 0;
}

static void open_answer(H *h, pop3_maildrop *a)
{
    if (failing(h)) {
        static const int f[] = {POP3_R_IN_USE, POP3_R_LOGIN_DELAY, POP3_R_TEMPFAIL,
                                POP3_R_PERMFAIL};
        a->result = f[fuzz_below(&h->rng, 4)];
        return;
    }
    a->result = POP3_R_OK;
    a->count = h->count;
    a->octets = h->total;
    a->login_delay = h->user_login_delay;
    a->expire = h->user_expire;
}

static int cb_open(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    H *h = ud;
    pop3_maildrop a;
    int mode;
    cb_enter(h, s, "open_maildrop");
    FUZZ_CHECK(pop3_session_state(s) == POP3_STATE_AUTHORIZATION, "open_maildrop outside AUTH");
    FUZZ_CHECK(pop3_session_user(s) != NULL, "open_maildrop without a user name");
    FUZZ_CHECK(ans->result == 0 && ans->count == 0 && ans->octets == 0 &&
                   ans->login_delay == POP3_NOT_ADVERTISED && ans->expire == POP3_NOT_ADVERTISED,
               "open_maildrop: answer not preset as documented");
    FUZZ_CHECK(h->opens == h->closes, "open_maildrop while a maildrop is open");
    probe(h, s);
    memset(&a, 0, sizeof a);
    a.login_delay = a.expire = POP3_NOT_ADVERTISED;
    open_answer(h, &a);
    mode = choose_mode(h);
    if (mode == POP3_PENDING) {
        h->pending = REQ_OPEN;
        h->open_ans = a;
    } else if (mode == POP3_ANSWERED) {
        *ans = a;
        if (a.result == POP3_R_OK)
            h->opens++;
    }
    return cb_leave(h, mode);
}

static void info_answer(H *h, uint32_t n, pop3_msg_info *a)
{
    msg *m = message(h, n);
    if (failing(h)) {
        static const int f[] = {POP3_R_NO_MESSAGE, POP3_R_TEMPFAIL, POP3_R_PERMFAIL};
        a->result = f[fuzz_below(&h->rng, 3)];
        if (a->result == POP3_R_NO_MESSAGE)
            h->any_no_message = 1;
        else
            h->allow_backend_fatal = 1;     /* inside a listing it is fatal */
        return;
    }
    a->result = POP3_R_OK;
    a->size = m->norm.len;
    if (m->uid_null) {
        a->uid = NULL;
    } else {
        memcpy(h->info_uid, m->uid, m->uid_len);
        a->uid = h->info_uid;
    }
    a->uid_len = m->uid_len;
    if (!m->uid_valid && (h->cfg.flags & POP3_CFG_UIDL_STRICT))
        h->allow_backend_fatal = 1;
}

static int cb_info(void *ud, pop3_session *s, uint32_t n, unsigned want, pop3_msg_info *ans)
{
    H *h = ud;
    pop3_msg_info a;
    int mode;
    cb_enter(h, s, "msg_info");
    FUZZ_CHECK(pop3_session_state(s) == POP3_STATE_TRANSACTION, "msg_info outside TRANSACTION");
    FUZZ_CHECK(n >= 1 && n <= h->count, "msg_info for message %u of %u", n, h->count);
    /* (The harness's own model lags: it follows the replies as the client
     * reads them, and pipelined commands run ahead of that.) */
    FUZZ_CHECK(!pop3_session_is_deleted(s, n), "msg_info for deleted message %u", n);
    FUZZ_CHECK(want == POP3_WANT_SIZE || want == POP3_WANT_UID ||
                   want == (POP3_WANT_SIZE | POP3_WANT_UID),
               "msg_info: want %#x", want);
    probe(h, s);
    memset(&a, 0, sizeof a);
    info_answer(h, n, &a);
    mode = choose_mode(h);
    if (mode == POP3_PENDING) {
        h->pending = REQ_INFO;
        h->info_ans = a;
    } else if (mode == POP3_ANSWERED) {
        *ans = a;
    }
    return cb_leave(h, mode);
}

static void free_chunk(H *h)
{
    free(h->chunk_data);
    h->chunk_data = NULL;
}

static int cb_read(void *ud, pop3_session *s, const pop3_read_request *req, pop3_chunk *ans)
{
    H *h = ud;
    pop3_chunk a;
    msg *m;
    int first, mode;
    cb_enter(h, s, "msg_read");
    FUZZ_CHECK(pop3_session_state(s) == POP3_STATE_TRANSACTION, "msg_read outside TRANSACTION");
    FUZZ_CHECK(req->msgno >= 1 && req->msgno <= h->count &&
                   !pop3_session_is_deleted(s, req->msgno),
               "msg_read for message %u", req->msgno);
    first = !h->reading;
    if (first) {
        FUZZ_CHECK(req->offset == 0, "msg_read: first offset %llu",
                   (unsigned long long)req->offset);
        h->reading = 1;
        h->read_msgno = req->msgno;
        h->read_off = 0;
    } else {
        FUZZ_CHECK(req->msgno == h->read_msgno && req->offset == h->read_off,
                   "msg_read: message %u offset %llu, expected %u offset %llu", req->msgno,
                   (unsigned long long)req->offset, h->read_msgno,
                   (unsigned long long)h->read_off);
    }
    free_chunk(h);                      /* its lifetime ends here */
    probe(h, s);
    m = message(h, req->msgno);
    memset(&a, 0, sizeof a);
    if (failing(h) && (first || fuzz_chance(&h->rng, 1, 4))) {
        static const int f[] = {POP3_R_NO_MESSAGE, POP3_R_TEMPFAIL, POP3_R_PERMFAIL};
        a.result = f[fuzz_below(&h->rng, 3)];
        if (!first)
            h->allow_backend_fatal = 1;
    } else {
        size_t rest = m->len - (size_t)h->read_off, take;
        switch (fuzz_below(&h->rng, 4)) {
        case 0: take = rest; break;
        case 1: take = 1; break;
        case 2: take = 1 + (size_t)fuzz_below(&h->rng, 64); break;
        default: take = 1 + (size_t)fuzz_below(&h->rng, req->hint + 1); break;
        }
        if (take > rest)
            take = rest;
        a.result = POP3_R_OK;
        a.len = take;
        if (take || fuzz_chance(&h->rng, 1, 2)) {
            h->chunk_data = fuzz_dup(m->raw + h->read_off, take);
            a.data = h->chunk_data;
        }
    }
    mode = choose_mode(h);
    if (mode == POP3_PENDING) {
        h->pending = REQ_READ;
        h->read_ans = a;
    } else if (mode == POP3_ANSWERED) {
        *ans = a;
        if (a.result == POP3_R_OK)
            h->read_off += a.len;
    }
    return cb_leave(h, mode);
}

static void cb_msg_close(void *ud, pop3_session *s, uint32_t n)
{
    H *h = ud;
    FUZZ_CHECK(s == h->s && !h->in_cb, "msg_close: bad context");
    FUZZ_CHECK(h->reading && n == h->read_msgno, "msg_close(%u) without a matching msg_read", n);
    h->reading = 0;
    free_chunk(h);
    if (h->pending == REQ_READ)
        h->pending = REQ_NONE;
}

static int cb_commit(void *ud, pop3_session *s, const pop3_commit_request *req, int *result)
{
    H *h = ud;
    uint32_t n = 0, cnt = 0;
    uint64_t oct = 0;
    int mode, r;
    cb_enter(h, s, "commit");
    FUZZ_CHECK(pop3_session_state(s) == POP3_STATE_UPDATE, "commit outside UPDATE");
    FUZZ_CHECK(strcmp(h->last_verb, "QUIT") == 0 && h->last_state == POP3_STATE_TRANSACTION,
               "commit not after QUIT in TRANSACTION (last command %s)", h->last_verb);
    FUZZ_CHECK(h->commits == 0, "commit called twice");
    FUZZ_CHECK(h->opens == h->closes + 1, "commit without an open maildrop");
    h->commits++;
    FUZZ_CHECK(req->count == h->count, "commit: count %u, maildrop %u", req->count, h->count);
    while ((n = pop3_session_next_deleted(s, n)) != 0) {
        FUZZ_CHECK(n <= h->count && pop3_session_is_deleted(s, n),
                   "next_deleted gave %u, not deleted", n);
        cnt++;
        oct += message(h, n)->norm.len;
    }
    FUZZ_CHECK(cnt == req->deleted && oct == req->deleted_octets,
               "commit: %u deleted (%llu octets) but next_deleted finds %u (%llu)", req->deleted,
               (unsigned long long)req->deleted_octets, cnt, (unsigned long long)oct);
    probe(h, s);
    r = POP3_R_OK;
    if (failing(h))
        r = fuzz_chance(&h->rng, 1, 2) ? POP3_R_TEMPFAIL : POP3_R_PERMFAIL;
    mode = choose_mode(h);
    if (mode == POP3_PENDING) {
        h->pending = REQ_COMMIT;
        h->commit_ans = r;
    } else if (mode == POP3_ANSWERED) {
        *result = r;
        h->commit_ok = r == POP3_R_OK;
    }
    return cb_leave(h, mode);
}

static void cb_maildrop_close(void *ud, pop3_session *s, int committed)
{
    H *h = ud;
    FUZZ_CHECK(s == h->s && !h->in_cb, "maildrop_close: bad context");
    h->closes++;
    FUZZ_CHECK(h->closes <= h->opens, "maildrop_close without an open maildrop");
    FUZZ_CHECK(!committed || (h->commits == 1 && h->commit_ok),
               "maildrop_close(committed=1) without a successful commit");
    if (h->pending == REQ_COMMIT)
        h->pending = REQ_NONE;
}

static void push_rec(H *h, const pop3_event *ev)
{
    rec *r;
    if (h->nrecs == h->caprecs) {
        h->caprecs = h->caprecs ? h->caprecs * 2 : 64;
        h->recs = realloc(h->recs, h->caprecs * sizeof *h->recs);
        FUZZ_CHECK(h->recs != NULL, "out of memory in the harness");
    }
    r = &h->recs[h->nrecs++];
    memset(r, 0, sizeof *r);
    r->line = (char *)fuzz_dup(ev->line, ev->line_len);
    r->line_len = ev->line_len;
    r->has_cmd = h->cur_has_cmd;
    if (!r->has_cmd && h->nrecs >= 2 && h->recs[h->nrecs - 2].has_cmd &&
        h->recs[h->nrecs - 2].line_len >= 1 && h->recs[h->nrecs - 2].line[0] == '+' &&
        h->recs[h->nrecs - 2].line[1] == ' ') {
        /* The answer to a SASL "+ " challenge: same command. */
        rec *prev = &h->recs[h->nrecs - 2];
        r->has_cmd = 1;
        memcpy(r->verb, prev->verb, sizeof r->verb);
        r->args = (char *)fuzz_dup(prev->args, prev->args_len);
        r->args_len = prev->args_len;
        r->cmd_state = prev->cmd_state;
    } else if (r->has_cmd) {
        memcpy(r->verb, h->cur_verb, sizeof r->verb);
        r->args = (char *)fuzz_dup(h->cur_args.p, h->cur_args.len);
        r->args_len = h->cur_args.len;
        r->cmd_state = h->cur_state;
    }
    h->cur_has_cmd = 0;
}

static void cb_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    H *h = ud;
    FUZZ_CHECK(s == h->s && !h->in_cb, "trace: bad context");
    FUZZ_CHECK(ev->state == pop3_session_state(s), "trace: event state %d, session %d",
               ev->state, pop3_session_state(s));
    switch (ev->type) {
    case POP3_EV_COMMAND: {
        size_t vl;
        FUZZ_CHECK(ev->verb != NULL, "COMMAND event without a verb");
        vl = strlen(ev->verb);
        FUZZ_CHECK(vl >= 1 && vl <= 4, "COMMAND verb of %zu octets", vl);
        for (size_t i = 0; i < vl; i++)
            FUZZ_CHECK(!(ev->verb[i] >= 'a' && ev->verb[i] <= 'z'), "COMMAND verb %s not upper-case",
                       ev->verb);
        if (strcmp(ev->verb, "PASS") == 0 && ev->args)
            FUZZ_CHECK(ev->redacted && ev->args_len == 3 && memcmp(ev->args, "***", 3) == 0,
                       "PASS argument not redacted in the trace");
        if (strcmp(ev->verb, "APOP") == 0 && ev->args && ev->args_len >= 32) {
            const char *d = ev->args + ev->args_len - 3;
            FUZZ_CHECK(memcmp(d, "***", 3) == 0 || !ev->redacted, "APOP digest shown");
        }
        h->cur_has_cmd = 1;
        snprintf(h->cur_verb, sizeof h->cur_verb, "%s", ev->verb);
        h->cur_args.len = 0;
        if (ev->args)
            fuzz_buf_add(&h->cur_args, ev->args, ev->args_len);
        h->cur_state = ev->state;
        memcpy(h->last_verb, h->cur_verb, sizeof h->last_verb);
        h->last_state = ev->state;
        break;
    }
    case POP3_EV_REPLY:
        FUZZ_CHECK(ev->line != NULL, "REPLY without a line");
        FUZZ_CHECK(ev->line_len + 2 <= 512, "status line of %zu octets + CRLF", ev->line_len);
        /* ok: 1 for +OK, 0 for -ERR, 2 for a "+ " AUTH challenge. */
        FUZZ_CHECK(ev->line_len >= 2 &&
                       ev->ok == (ev->line[0] != '+' ? 0 : ev->line[1] == ' ' ? 2 : 1),
                   "REPLY ok flag %d for \"%.*s\"", ev->ok, (int)ev->line_len, ev->line);
        push_rec(h, ev);
        break;
    case POP3_EV_BODY:
        FUZZ_CHECK(h->nrecs > 0, "BODY event before any reply");
        h->recs[h->nrecs - 1].body_events++;
        h->recs[h->nrecs - 1].body_msgno = ev->msgno;
        h->recs[h->nrecs - 1].body_octets = ev->octets;
        break;
    case POP3_EV_CLOSE:
        h->close_events++;
        FUZZ_CHECK(h->close_events == 1, "second CLOSE event");
        h->close_reason = ev->code;
        FUZZ_CHECK(ev->state == POP3_STATE_CLOSED, "CLOSE event in state %d", ev->state);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------------
 * The allocator: only the mark set, one at a time, of the right size
 * ---------------------------------------------------------------------- */

static void *al_alloc(void *ctx, size_t size)
{
    H *h = ctx;
    void *p;
    FUZZ_CHECK(h->live == 0, "a second live allocation (%zu octets)", size);
    FUZZ_CHECK(size == ((size_t)h->count + 7) / 8, "allocation of %zu octets for %u messages",
               size, h->count);
    if (h->p_allocfail && fuzz_below(&h->rng, 16) < h->p_allocfail)
        return NULL;
    p = malloc(size);
    FUZZ_CHECK(p != NULL, "out of memory in the harness");
    h->live = 1;
    h->mark_ptr = p;
    h->mark_size = size;
    return p;
}

static void al_free(void *ctx, void *p, size_t size)
{
    H *h = ctx;
    FUZZ_CHECK(h->live && p == h->mark_ptr && size == h->mark_size,
               "free of %p (%zu) that was not allocated", p, size);
    h->live = 0;
    free(p);
}

/* ------------------------------------------------------------------------
 * The client-side reply parser over the concatenated output
 * ---------------------------------------------------------------------- */

static int tok(const rec *r, int i, const char **p, size_t *n)
{
    size_t k = 0;
    int t = 0;
    while (k < r->args_len) {
        size_t s;
        while (k < r->args_len && (r->args[k] == ' ' || r->args[k] == '\t'))
            k++;
        if (k == r->args_len)
            break;
        s = k;
        while (k < r->args_len && r->args[k] != ' ' && r->args[k] != '\t')
            k++;
        if (t++ == i) {
            *p = r->args + s;
            *n = k - s;
            return 1;
        }
    }
    return 0;
}

static uint32_t arg_msgno(const rec *r)
{
    const char *p;
    size_t n;
    uint64_t v;
    if (!tok(r, 0, &p, &n) || !fuzz_parse_u64(p, n, &v) || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

static int line_is(const rec *r, const char *fmt, ...) FUZZ_PRINTF(2, 3);
static int line_is(const rec *r, const char *fmt, ...)
{
    char b[600];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n == r->line_len && memcmp(b, r->line, r->line_len) == 0;
}

#define LINE_FMT "\"%.*s\""
#define LINE_ARG(r) (int)(r)->line_len, (r)->line

static int plaintext_ok(H *h)
{
    return (h->cfg.flags & POP3_CFG_ALLOW_PLAINTEXT) ||
           (h->conn_flags & (POP3_CONN_TLS_ACTIVE | POP3_CONN_PROTECTED));
}

/* The CAPA lines this harness knows, in the documented order. */
static int capa_expected(H *h, int state, char lines[][300])
{
    int n = 0, auth = state == POP3_STATE_AUTHORIZATION;
    int32_t v;
    strcpy(lines[n++], "TOP");
    strcpy(lines[n++], "UIDL");
    if (auth && plaintext_ok(h))
        strcpy(lines[n++], "USER");
    if (!(h->cfg.flags & POP3_CFG_NO_RESP_CODES)) {
        strcpy(lines[n++], "RESP-CODES");
        strcpy(lines[n++], "AUTH-RESP-CODE");
    }
    if (!(h->cfg.flags & POP3_CFG_NO_PIPELINING))
        strcpy(lines[n++], "PIPELINING");
    v = h->cfg.login_delay;
    if (!auth && h->user_login_delay != POP3_NOT_ADVERTISED)
        v = h->user_login_delay;
    if (v >= 0)
        snprintf(lines[n++], 300, "LOGIN-DELAY %ld%s", (long)v,
                 auth && h->cfg.login_delay_per_user ? " USER" : "");
    v = h->cfg.expire;
    if (!auth && h->user_expire != POP3_NOT_ADVERTISED)
        v = h->user_expire;
    if (v == POP3_EXPIRE_NEVER)
        snprintf(lines[n++], 300, "EXPIRE NEVER%s", auth && h->cfg.expire_per_user ? " USER" : "");
    else if (v >= 0)
        snprintf(lines[n++], 300, "EXPIRE %ld%s", (long)v,
                 auth && h->cfg.expire_per_user ? " USER" : "");
    if (h->cfg.implementation)
        snprintf(lines[n++], 300, "IMPLEMENTATION %s", h->cfg.implementation);
    if (auth && (h->conn_flags & POP3_CONN_TLS_AVAILABLE) &&
        !(h->conn_flags & POP3_CONN_TLS_ACTIVE))
        strcpy(lines[n++], "STLS");
    return n;
}

static const char *const known_tags[] = {"TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE",
                                         "PIPELINING", "LOGIN-DELAY", "EXPIRE",
                                         "IMPLEMENTATION", "STLS"};

/* A status line: compare with the trace, check it against the model, and
 * decide whether a body follows. */
static void status_line(H *h, const unsigned char *l, size_t len)
{
    rec *r;
    int ok;
    FUZZ_CHECK(h->next_rec < h->nrecs, "output line \"%.*s\" with no traced reply",
               (int)(len > 80 ? 80 : len), (const char *)l);
    r = &h->recs[h->next_rec++];
    FUZZ_CHECK(len == r->line_len + 2 && memcmp(l, r->line, r->line_len) == 0,
               "output line differs from the traced reply " LINE_FMT, LINE_ARG(r));
    FUZZ_CHECK(len <= 512, "status line of %zu octets", len);
    FUZZ_CHECK((len >= 6 && memcmp(l, "+OK ", 4) == 0) || (len >= 7 && memcmp(l, "-ERR ", 5) == 0) ||
                   (len >= 4 && memcmp(l, "+ ", 2) == 0),
               "reply line does not begin \"+OK \", \"-ERR \" or \"+ \": " LINE_FMT, LINE_ARG(r));
    for (size_t i = 0; i < r->line_len; i++)
        FUZZ_CHECK(r->line[i] >= 0x20 && r->line[i] <= 0x7E,
                   "status line with byte 0x%02x: " LINE_FMT, (unsigned char)r->line[i],
                   LINE_ARG(r));
    ok = l[0] == '+' && l[1] == 'O';

    if (h->next_rec == 1) {
        FUZZ_CHECK(!r->has_cmd, "the first reply follows a command");
        if (h->timestamp)
            FUZZ_CHECK(line_is(r, "+OK %s %s", h->cfg.greeting, h->timestamp),
                       "greeting " LINE_FMT, LINE_ARG(r));
        else
            FUZZ_CHECK(line_is(r, "+OK %s", h->cfg.greeting), "greeting " LINE_FMT, LINE_ARG(r));
        return;
    }
    if (!r->has_cmd) {
        FUZZ_CHECK(!ok, "a +OK reply without a command: " LINE_FMT, LINE_ARG(r));
        return;
    }

    if (r->cmd_state == POP3_STATE_AUTHORIZATION && ok &&
        r->line_len > 16 && memcmp(r->line, "+OK maildrop has", 16) == 0) {
        /* Login. */
        FUZZ_CHECK(!h->logged_in, "a second login");
        FUZZ_CHECK(line_is(r, "+OK maildrop has %lu message%s (%llu octet%s)",
                           (unsigned long)h->count, PLURAL(h->count),
                           (unsigned long long)h->total, PLURAL(h->total)),
                   "login reply " LINE_FMT, LINE_ARG(r));
        h->logged_in = 1;
        return;
    }
    if ((strcmp(r->verb, "AUTH") == 0 || strcmp(r->verb, "LANG") == 0) && ok) {
        const char *p;
        size_t pn;
        if (!tok(r, 0, &p, &pn)) {      /* a listing */
            r->multi = 1;
            h->body_kind = BODY_OTHER;
        }
        return;
    }
    if (r->cmd_state != POP3_STATE_TRANSACTION) {
        if (strcmp(r->verb, "CAPA") == 0 && ok)
            goto capa;
        if (strcmp(r->verb, "QUIT") == 0 && ok)
            FUZZ_CHECK(line_is(r, "+OK bye"), "QUIT in AUTHORIZATION: " LINE_FMT, LINE_ARG(r));
        if (strcmp(r->verb, "USER") == 0 && ok)
            FUZZ_CHECK(plaintext_ok(h) && line_is(r, "+OK send PASS"), "USER: " LINE_FMT,
                       LINE_ARG(r));
        return;
    }

    FUZZ_CHECK(h->logged_in, "a TRANSACTION command before the login reply");
    if (!ok) {
        uint32_t n;
        unsigned long m;
        if (sscanf(r->line, "-ERR message %lu already deleted", &m) == 1) {
            n = (uint32_t)m;
            FUZZ_CHECK(n >= 1 && n <= h->count && model_is_del(h, n),
                       "\"already deleted\" for message %u that is not", n);
        }
        return;
    }
    if (strcmp(r->verb, "STAT") == 0) {
        FUZZ_CHECK(line_is(r, "+OK %lu %llu", (unsigned long)(h->count - h->model_deleted),
                           (unsigned long long)(h->total - h->model_deleted_octets)),
                   "STAT " LINE_FMT, LINE_ARG(r));
    } else if (strcmp(r->verb, "NOOP") == 0) {
        FUZZ_CHECK(line_is(r, "+OK noop"), "NOOP " LINE_FMT, LINE_ARG(r));
    } else if (strcmp(r->verb, "RSET") == 0) {
        FUZZ_CHECK(line_is(r, "+OK maildrop has %lu message%s (%llu octet%s)",
                           (unsigned long)h->count, PLURAL(h->count),
                           (unsigned long long)h->total, PLURAL(h->total)),
                   "RSET " LINE_FMT, LINE_ARG(r));
        memset(h->model_del, 0, ((size_t)h->count + 7) / 8 + 1);
        h->model_deleted = 0;
        h->model_deleted_octets = 0;
    } else if (strcmp(r->verb, "QUIT") == 0) {
        FUZZ_CHECK(line_is(r, "+OK bye, %lu message%s deleted", (unsigned long)h->model_deleted,
                           PLURAL(h->model_deleted)),
                   "QUIT " LINE_FMT, LINE_ARG(r));
    } else if (strcmp(r->verb, "DELE") == 0) {
        uint32_t n = arg_msgno(r);
        FUZZ_CHECK(n >= 1 && n <= h->count && !model_is_del(h, n),
                   "DELE of message %u answered +OK", n);
        FUZZ_CHECK(line_is(r, "+OK message %lu deleted", (unsigned long)n), "DELE " LINE_FMT,
                   LINE_ARG(r));
        h->model_del[(n - 1) >> 3] |= (unsigned char)(1u << ((n - 1) & 7));
        h->model_deleted++;
        h->model_deleted_octets += message(h, n)->norm.len;
    } else if (strcmp(r->verb, "LIST") == 0 || strcmp(r->verb, "UIDL") == 0) {
        int list = r->verb[0] == 'L';
        const char *p;
        size_t pn;
        if (tok(r, 0, &p, &pn)) {
            uint32_t n = arg_msgno(r);
            msg *m;
            FUZZ_CHECK(n >= 1 && n <= h->count && !model_is_del(h, n),
                       "%s of message %u answered +OK", r->verb, n);
            m = message(h, n);
            if (list)
                FUZZ_CHECK(line_is(r, "+OK %lu %lu", (unsigned long)n, (unsigned long)m->norm.len),
                           "LIST n " LINE_FMT, LINE_ARG(r));
            else
                FUZZ_CHECK(line_is(r, "+OK %lu %s", (unsigned long)n, m->uid_text),
                           "UIDL n " LINE_FMT " (uid %s)", LINE_ARG(r), m->uid_text);
            return;
        }
        if (list)
            FUZZ_CHECK(line_is(r, "+OK %lu message%s (%llu octet%s)",
                               (unsigned long)(h->count - h->model_deleted),
                               PLURAL(h->count - h->model_deleted),
                               (unsigned long long)(h->total - h->model_deleted_octets),
                               PLURAL(h->total - h->model_deleted_octets)),
                       "LIST " LINE_FMT, LINE_ARG(r));
        else
            FUZZ_CHECK(line_is(r, "+OK unique-id listing follows"), "UIDL " LINE_FMT, LINE_ARG(r));
        r->multi = 1;
        h->body_kind = list ? BODY_LIST : BODY_UIDL;
        h->list_last = 0;
        h->list_lines = 0;
    } else if (strcmp(r->verb, "RETR") == 0 || strcmp(r->verb, "TOP") == 0) {
        uint32_t n = arg_msgno(r);
        msg *m;
        FUZZ_CHECK(n >= 1 && n <= h->count && !model_is_del(h, n), "%s of message %u answered +OK",
                   r->verb, n);
        m = message(h, n);
        h->expect.len = 0;
        h->expect_off = 0;
        if (r->verb[0] == 'R') {
            FUZZ_CHECK(line_is(r, "+OK %lu octets", (unsigned long)m->norm.len),
                       "RETR " LINE_FMT, LINE_ARG(r));
            fuzz_buf_add(&h->expect, m->norm.p, m->norm.len);
        } else {
            const char *p;
            size_t pn;
            uint64_t k = 0;
            FUZZ_CHECK(tok(r, 1, &p, &pn) && fuzz_parse_u64(p, pn, &k), "TOP without a count");
            FUZZ_CHECK(line_is(r, "+OK top of message follows"), "TOP " LINE_FMT, LINE_ARG(r));
            fuzz_ref_top(m->norm.p, m->norm.len, k, (h->cfg.flags & POP3_CFG_TOP_ADD_BLANK) != 0,
                         &h->expect);
        }
        r->multi = 1;
        r->msgno = n;
        h->body_kind = BODY_MSG;
    } else if (strcmp(r->verb, "CAPA") == 0) {
        goto capa;
    }
    return;
capa:
    FUZZ_CHECK(line_is(r, "+OK capability list follows"), "CAPA " LINE_FMT, LINE_ARG(r));
    r->multi = 1;
    h->body_kind = BODY_CAPA;
    h->capa_next = 0;
}

static void body_line(H *h, const unsigned char *l, size_t len)
{
    rec *r = &h->recs[h->next_rec - 1];
    const unsigned char *d = l;
    size_t dl = len;

    r->wire_body += len;
    FUZZ_CHECK(len >= 2 && l[len - 2] == '\r', "%s body: a line ends with a bare LF", r->verb);
    FUZZ_CHECK(memchr(l, '\r', len - 2) == NULL, "%s body: a bare CR inside a line", r->verb);
    if (len == 3 && l[0] == '.') {      /* the terminator */
        r->body_done = 1;
        switch (h->body_kind) {
        case BODY_MSG:
            FUZZ_CHECK(h->expect_off == h->expect.len,
                       "%s %u: body ended after %zu of %zu octets", r->verb, r->msgno,
                       h->expect_off, h->expect.len);
            break;
        case BODY_LIST:
        case BODY_UIDL:
            if (!h->any_no_message)
                FUZZ_CHECK(h->list_lines == h->count - h->model_deleted,
                           "%s listing has %llu lines for %u messages", r->verb,
                           (unsigned long long)h->list_lines, h->count - h->model_deleted);
            break;
        case BODY_CAPA: {
            char want[16][300];
            int n = capa_expected(h, r->cmd_state, want);
            FUZZ_CHECK(h->capa_next == n, "CAPA: %d of %d expected tags (next: %s)", h->capa_next,
                       n, h->capa_next < n ? want[h->capa_next] : "-");
            break;
        }
        }
        h->body_kind = BODY_NONE;
        return;
    }
    if (l[0] == '.') {
        FUZZ_CHECK(len >= 4 && l[1] == '.', "%s body: line starts with an unstuffed '.'",
                   r->verb);
        d = l + 1;
        dl = len - 1;
    }
    switch (h->body_kind) {
    case BODY_MSG:
        FUZZ_CHECK(h->expect_off + dl <= h->expect.len &&
                       memcmp(h->expect.p + h->expect_off, d, dl) == 0,
                   "%s %u: body differs from the message at octet %zu", r->verb, r->msgno,
                   h->expect_off);
        h->expect_off += dl;
        break;
    case BODY_LIST:
    case BODY_UIDL: {
        char b[200];
        unsigned long n;
        int used = 0;
        msg *m;
        FUZZ_CHECK(dl < sizeof b, "%s: listing line of %zu octets", r->verb, dl);
        memcpy(b, d, dl - 2);
        b[dl - 2] = '\0';
        FUZZ_CHECK(sscanf(b, "%lu %n", &n, &used) == 1 && used > 0, "%s: listing line \"%s\"",
                   r->verb, b);
        FUZZ_CHECK(n > h->list_last && n >= 1 && n <= h->count && !model_is_del(h, (uint32_t)n),
                   "%s: listing line for message %lu (previous %llu)", r->verb, n,
                   (unsigned long long)h->list_last);
        h->list_last = n;
        h->list_lines++;
        m = message(h, (uint32_t)n);
        if (h->body_kind == BODY_LIST) {
            char want[40];
            snprintf(want, sizeof want, "%lu %lu", n, (unsigned long)m->norm.len);
            FUZZ_CHECK(strcmp(b, want) == 0, "LIST line \"%s\", expected \"%s\"", b, want);
        } else {
            FUZZ_CHECK(strcmp(b + used, m->uid_text) == 0, "UIDL line \"%s\", uid %s", b,
                       m->uid_text);
        }
        break;
    }
    case BODY_CAPA: {
        char want[16][300];
        int n = capa_expected(h, r->cmd_state, want);
        size_t tl = 0, i;
        int known = 0;
        while (tl < dl - 2 && d[tl] != ' ')
            tl++;
        for (i = 0; i < sizeof known_tags / sizeof known_tags[0]; i++)
            known |= strlen(known_tags[i]) == tl && memcmp(known_tags[i], d, tl) == 0;
        if (!known)
            break;                      /* a tag this harness does not know */
        FUZZ_CHECK(h->capa_next < n && strlen(want[h->capa_next]) == dl - 2 &&
                       memcmp(want[h->capa_next], d, dl - 2) == 0,
                   "CAPA line \"%.*s\", expected \"%s\"", (int)(dl - 2), (const char *)d,
                   h->capa_next < n ? want[h->capa_next] : "(nothing)");
        h->capa_next++;
        break;
    }
    default:
        break;
    }
}

static void parse_wire(H *h)
{
    while (h->parsed < h->wire.len) {
        const unsigned char *l = h->wire.p + h->parsed;
        size_t left = h->wire.len - h->parsed, len;
        const unsigned char *lf = memchr(l, '\n', left);
        if (!lf) {
            if (h->body_kind == BODY_NONE)
                FUZZ_CHECK(left < 512, "a status line longer than 512 octets");
            return;
        }
        len = (size_t)(lf - l) + 1;
        if (h->body_kind == BODY_NONE) {
            FUZZ_CHECK(len >= 2 && l[len - 2] == '\r', "a status line ends with a bare LF");
            FUZZ_CHECK(memchr(l, '\r', len - 2) == NULL, "a status line contains a bare CR");
            status_line(h, l, len);
        } else {
            body_line(h, l, len);
        }
        h->parsed += len;
    }
}

/* ------------------------------------------------------------------------
 * Setup
 * ---------------------------------------------------------------------- */

static void gen_message(H *h, msg *m, const uint8_t *tpl, size_t tpl_len, unsigned idx)
{
    static const char *const fixed[] = {
        "",
        "From: a@example.org\r\nSubject: hi\r\n\r\nHello\r\n.\r\n..x\r\n.\r\nbye\r\n",
        "From: a@example.org\nSubject: lf\n\nbody 1\n.\n.hidden\n\nlast",
        "X-No-Blank: 1\nX-Second: 2",
        "\r\n\r\n.\r\r\n\r.\r",
        ".",
        "Subject: dots\n\n.\n..\n...\n.\r\n.x\rtail\n",
    };
    fuzz_buf b = {0};
    unsigned kind = (unsigned)fuzz_below(&h->rng, 11);
    if (idx == 0 && tpl_len)
        kind = 100;
    switch (kind) {
    case 100:
        fuzz_buf_add(&b, tpl, tpl_len);
        break;
    case 7: {                           /* random over a tricky alphabet */
        static const unsigned char al[] = {'.', '.', '\r', '\n', '\n', 'a', ' ', ':', 0, 0xFF};
        size_t n = (size_t)fuzz_below(&h->rng, 400);
        for (size_t i = 0; i < n; i++)
            fuzz_buf_add(&b, &al[fuzz_below(&h->rng, sizeof al)], 1);
        break;
    }
    case 8: {                           /* large: many lines, mixed ends */
        size_t target = 2000 + (size_t)fuzz_below(&h->rng, 8000);
        fuzz_buf_add(&b, "Subject: big\r\n\r\n", 16);
        while (b.len < target) {
            size_t ll = (size_t)fuzz_below(&h->rng, 120);
            if (fuzz_chance(&h->rng, 1, 5))
                fuzz_buf_add(&b, ".", 1);
            for (size_t i = 0; i < ll; i++) {
                unsigned char c = (unsigned char)('a' + fuzz_below(&h->rng, 26));
                fuzz_buf_add(&b, &c, 1);
            }
            switch (fuzz_below(&h->rng, 4)) {
            case 0: fuzz_buf_add(&b, "\n", 1); break;
            case 1: fuzz_buf_add(&b, "\r", 1); break;
            default: fuzz_buf_add(&b, "\r\n", 2); break;
            }
        }
        break;
    }
    case 9: {                           /* headers and many short lines */
        unsigned lines = (unsigned)fuzz_below(&h->rng, 60);
        fuzz_buf_add(&b, "A: 1\nB: 2\n\n", 11);
        for (unsigned i = 0; i < lines; i++) {
            char t[32];
            int n = snprintf(t, sizeof t, i % 3 == 0 ? ".%u\n" : "line %u\r\n", i);
            fuzz_buf_add(&b, t, (size_t)n);
        }
        break;
    }
    case 10: {                          /* binary */
        size_t n = (size_t)fuzz_below(&h->rng, 600);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)fuzz_next(&h->rng);
            fuzz_buf_add(&b, &c, 1);
        }
        break;
    }
    default:
        fuzz_buf_add(&b, fixed[kind % 7], strlen(fixed[kind % 7]));
        break;
    }
    m->raw = b.p ? b.p : fuzz_dup("", 0);
    m->len = b.len;
    fuzz_ref_normalise(m->raw, m->len, &m->norm);

    /* Unique id: valid unless the uid mode says otherwise. */
    m->uid_null = 0;
    m->uid_valid = 1;
    snprintf(m->uid, sizeof m->uid, "U%u.%08llx", idx, (unsigned long long)(fuzz_next(&h->rng) & 0xFFFFFFFF));
    if (h->uid_mode >= 12 && fuzz_chance(&h->rng, 1, 2)) {
        m->uid_valid = 0;
        switch (fuzz_below(&h->rng, 5)) {
        case 0: m->uid[0] = '\0'; break;
        case 1: m->uid_null = 1; m->uid[0] = '\0'; break;
        case 2: strcpy(m->uid, "has space"); break;
        case 3: memset(m->uid, 'x', 71); m->uid[71] = '\0'; break;
        default: strcpy(m->uid, "tab\there\x7f"); break;
        }
    }
    m->uid_len = strlen(m->uid);
    if (m->uid_valid) {
        snprintf(m->uid_text, sizeof m->uid_text, "%s", m->uid);
    } else {
        char hex[33];
        pop3_apop_digest("", m->uid, m->uid_len, hex);
        snprintf(m->uid_text, sizeof m->uid_text, "~%s", hex);
    }
}

static void setup(H *h, const uint8_t *data, size_t size)
{
    const uint8_t *b = h->hdr;
    size_t tpl_len;
    static const uint32_t counts[] = {17, 64, 255, 256, 1000, 4096};
    static const uint32_t delays[] = {0, 1, 50, 2000};
    static const uint32_t idles[] = {0, 600000, 1, 3600000};
    static const uint32_t auths[] = {0, 60000, 1000, 1};
    static const int32_t ldelays[] = {POP3_NOT_ADVERTISED, 0, 900, INT32_MAX};
    static const int32_t expires[] = {POP3_NOT_ADVERTISED, POP3_EXPIRE_NEVER, 0, 31};
    static const int32_t uldelays[] = {POP3_NOT_ADVERTISED, 0, 60, 900};
    static const int32_t uexpires[] = {POP3_NOT_ADVERTISED, POP3_EXPIRE_NEVER, 0, 7};
    static const uint64_t t0s[] = {1000, 0, (uint64_t)1 << 40, (uint64_t)1 << 62};

    memcpy(h->hdr, data, size < HDR ? size : HDR);
    h->rng.s = fuzz_le64(b + 16);
    pop3_config_init(&h->cfg);
    h->cfg.flags = b[0] | ((unsigned)(b[1] & 3) << 8) | ((unsigned)(b[26] & 63) << 10);
    if (b[27])
        h->cfg.sasl_mechs = b[27];
    if (b[1] & 4) {
        strcpy(h->impl, "libpop3-fuzz 1.0");
        h->cfg.implementation = h->impl;
    }
    h->cfg.login_delay_per_user = (b[1] >> 3) & 1;
    h->cfg.expire_per_user = (b[1] >> 4) & 1;
    h->input_api = (b[1] >> 5) & 3;
    h->probes = (b[1] >> 7) & 1;
    h->cfg.max_line = 255 + (uint32_t)b[2] * 15;
    /* max_auth_line defaults to 1024 and must not be below max_line. */
    if (h->cfg.max_line > 1024)
        h->cfg.max_auth_line = h->cfg.max_line;
    h->cfg.in_buf_size = b[3] ? h->cfg.max_line + 8u * b[3] : 1024;
    h->cfg.out_buf_size = 1024 + 16u * b[4];
    h->cfg.max_bad_commands_auth = b[5] & 15;
    h->cfg.max_bad_commands_trans = (uint32_t)(b[5] >> 4) * 4;
    h->cfg.max_auth_failures = b[6] & 7;
    h->cfg.auth_fail_delay_ms = delays[(b[6] >> 3) & 3];
    h->conn_flags = ((b[6] >> 5) & 1 ? POP3_CONN_TLS_ACTIVE : 0) |
                    ((b[6] >> 6) & 1 ? POP3_CONN_TLS_AVAILABLE : 0) |
                    ((b[6] >> 7) & 1 ? POP3_CONN_PROTECTED : 0);
    h->cfg.idle_timeout_ms = idles[b[7] & 3];
    h->cfg.auth_timeout_ms = auths[(b[7] >> 2) & 3];
    h->timestamp = (b[7] >> 4) & 1 ? "<1896.697170952@dbc.mtview.ca.us>" : NULL;
    h->cfg.login_delay = ldelays[(b[7] >> 5) & 3];
    h->cfg.expire = (b[7] >> 7) ? expires[b[8] & 3] : POP3_NOT_ADVERTISED;
    h->user_login_delay = uldelays[(b[8] >> 2) & 3];
    h->user_expire = uexpires[(b[8] >> 4) & 3];
    h->t0 = h->now = t0s[(b[8] >> 6) & 3];
    h->count = (b[9] & 15) < 10 ? (b[9] & 15) : counts[(b[9] & 15) - 10];
    h->chunk_mode = b[10] & 15;
    h->ack_mode = b[10] >> 4;
    h->p_pending = b[11];
    h->p_fail = b[12];
    h->p_fatal = b[13];
    h->p_allocfail = b[14] & 15;
    h->uid_mode = b[14] >> 4;
    h->tick_weight = b[15] & 15;
    h->end_mode = b[15] >> 4;
    if (h->end_mode >= 14)
        h->end_mode = (unsigned)fuzz_below(&h->rng, 14);
    h->auth_mode = b[24] & 3;
    h->p_peek = b[25];

    tpl_len = b[31];
    if (size < HDR)
        tpl_len = 0;
    else if (tpl_len > size - HDR)
        tpl_len = size - HDR;
    h->in = size > HDR + tpl_len ? data + HDR + tpl_len : data + size;
    h->in_len = size > HDR + tpl_len ? size - HDR - tpl_len : 0;

    h->nkinds = h->count < NKINDS ? (h->count ? h->count : 1) : NKINDS;
    for (unsigned i = 0; i < h->nkinds; i++)
        gen_message(h, &h->kinds[i], data + HDR, tpl_len, i);
    for (uint32_t n = 1; n <= h->count; n++)
        h->total += message(h, n)->norm.len;
    h->model_del = calloc(((size_t)h->count + 7) / 8 + 1, 1);
    FUZZ_CHECK(h->model_del != NULL, "out of memory in the harness");
}

/* ------------------------------------------------------------------------
 * The driver
 * ---------------------------------------------------------------------- */

static size_t pick_size(H *h, unsigned mode, size_t max)
{
    size_t n;
    if (max == 0)
        return 0;
    if (mode > 4)
        mode = (unsigned)fuzz_below(&h->rng, 5);
    switch (mode) {
    case 0: n = max; break;
    case 1: n = 1; break;
    case 2: n = 1 + (size_t)fuzz_below(&h->rng, 8); break;
    case 3: n = 1 + (size_t)fuzz_below(&h->rng, 64); break;
    default: n = 1 + (size_t)fuzz_below(&h->rng, max); break;
    }
    return n < max ? n : max;
}

static void check_status(H *h, unsigned st)
{
    size_t cap = 7, len = 7;
    unsigned char *ip;
    const unsigned char *op;

    FUZZ_CHECK(st != 0, "status 0 after start");
    if (st & POP3_STATUS_CLOSED) {
        FUZZ_CHECK(st == POP3_STATUS_CLOSED, "CLOSED combined with other bits: %#x", st);
        FUZZ_CHECK(pop3_session_state(h->s) == POP3_STATE_CLOSED, "status CLOSED, state %d",
                   pop3_session_state(h->s));
        FUZZ_CHECK(h->close_events == 1 || h->fatal, "status CLOSED without a CLOSE event");
        h->closed_seen = 1;
    } else {
        FUZZ_CHECK(!h->closed_seen, "status left CLOSED: %#x", st);
        FUZZ_CHECK(st & (POP3_STATUS_READ | POP3_STATUS_WRITE | POP3_STATUS_PENDING |
                         POP3_STATUS_DEADLINE | POP3_STATUS_START_TLS),
                   "stuck: open session with status %#x", st);
        FUZZ_CHECK(!(st & POP3_STATUS_PENDING) == !h->pending,
                   "PENDING bit %d but harness owes %d", !!(st & POP3_STATUS_PENDING), h->pending);
    }
    op = pop3_session_out_buf(h->s, &len);
    FUZZ_CHECK(!!(st & POP3_STATUS_WRITE) == (len > 0), "WRITE bit vs out_buf length %zu", len);
    if (len) {
        FUZZ_CHECK(op && inside_mem(h, op, len), "out_buf outside the session memory");
        if ((size_t)(op - h->mem) < h->out_lo)
            h->out_lo = (size_t)(op - h->mem);
    }
    ip = pop3_session_in_buf(h->s, &cap);
    FUZZ_CHECK(!!(st & POP3_STATUS_READ) == (cap > 0), "READ bit %d vs in_buf room %zu",
               !!(st & POP3_STATUS_READ), cap);
    if (cap)
        FUZZ_CHECK(ip && inside_mem(h, ip, cap), "in_buf outside the session memory");
    if (st & POP3_STATUS_DEADLINE) {
        uint64_t at = 0;
        FUZZ_CHECK(pop3_session_deadline(h->s, &at) == 1, "DEADLINE bit without a deadline");
        FUZZ_CHECK(at >= h->t0, "deadline %llu before the clock's start %llu",
                   (unsigned long long)at, (unsigned long long)h->t0);
    }
}

static void do_feed(H *h)
{
    size_t left = h->in_len - h->pos;
    int use_recv = h->input_api == 1 || (h->input_api >= 2 && fuzz_chance(&h->rng, 1, 2));
    if (use_recv) {
        size_t n = pick_size(h, h->chunk_mode, left);
        long r = pop3_session_recv(h->s, h->in + h->pos, n);
        if (r < 0) {
            after_call(h, (int)r, "recv", 0, 0, 0);
            return;
        }
        FUZZ_CHECK((size_t)r <= n && r > 0, "recv took %ld of %zu with READ set", r, n);
        h->pos += (size_t)r;
        h->fed += (size_t)r;
    } else {
        size_t cap = 0, n;
        unsigned char *p = pop3_session_in_buf(h->s, &cap);
        int rc;
        FUZZ_CHECK(p && cap, "READ set but in_buf gave no room");
        n = pick_size(h, h->chunk_mode, left < cap ? left : cap);
        memcpy(p, h->in + h->pos, n);
        if (cap > n && fuzz_chance(&h->rng, 1, 4))   /* the host may scribble there */
            memset(p + n, (int)fuzz_below(&h->rng, 256), cap - n);
        rc = pop3_session_in_ack(h->s, n);
        h->pos += n;
        h->fed += n;
        after_call(h, rc, "in_ack", 0, 0, 0);
    }
}

static void drop_peek(H *h)
{
    free(h->peek_copy);
    h->peek_copy = NULL;
    h->peek_p = NULL;
    h->peek_len = 0;
}

static void check_peek(H *h, const unsigned char *p, size_t len)
{
    if (!h->peek_copy)
        return;
    if (pop3_session_status(h->s) != POP3_STATUS_CLOSED || len) {
        FUZZ_CHECK(p == h->peek_p && len >= h->peek_len &&
                       memcmp(p, h->peek_copy, h->peek_len) == 0,
                   "out_buf bytes or pointer changed before out_ack");
    }
}

static void do_drain(H *h)
{
    size_t len = 0, k;
    const unsigned char *p = pop3_session_out_buf(h->s, &len);
    int rc;
    FUZZ_CHECK(p && len, "WRITE set but out_buf is empty");
    check_peek(h, p, len);
    drop_peek(h);
    k = pick_size(h, h->ack_mode, len);
    fuzz_buf_add(&h->wire, p, k);
    rc = pop3_session_out_ack(h->s, k);
    after_call(h, rc, "out_ack", 0, 0, 0);
    parse_wire(h);
}

static void do_peek(H *h)
{
    size_t len = 0;
    const unsigned char *p = pop3_session_out_buf(h->s, &len);
    check_peek(h, p, len);
    drop_peek(h);
    if (len) {
        h->peek_p = p;
        h->peek_len = len;
        h->peek_copy = fuzz_dup(p, len);
    }
}

static void do_tick(H *h)
{
    uint64_t at = 0, t = h->now;
    int armed = pop3_session_deadline(h->s, &at), rc, closes = h->close_events;
    switch (fuzz_below(&h->rng, 6)) {
    case 0: break;
    case 1: t += 1 + fuzz_below(&h->rng, 100); break;
    case 2: t += fuzz_below(&h->rng, 5000); break;
    case 3: if (armed && at > 0) t = at - 1; break;
    case 4: if (armed) t = at; break;
    default: t += 1 + fuzz_below(&h->rng, 4000000); break;
    }
    if (t < h->now)
        t = h->now;
    h->now = t;
    rc = pop3_session_tick(h->s, t);
    after_call(h, rc, "tick", 0, 0, 0);
    if (h->close_events > closes && h->close_reason == POP3_CLOSE_TIMEOUT)
        FUZZ_CHECK(armed && t >= at, "timeout close at %llu before the deadline %llu (armed %d)",
                   (unsigned long long)t, (unsigned long long)at, armed);
}

/* Deliver the pending answer, sometimes after a wrong completion. */
static void do_complete(H *h)
{
    int rc = 0, kind = h->pending;
    if (fuzz_chance(&h->rng, 1, 16)) {
        pop3_msg_info wrong;
        memset(&wrong, 0, sizeof wrong);
        if (kind != REQ_INFO) {
            unsigned before = pop3_session_status(h->s);
            rc = pop3_session_info_done(h->s, &wrong);
            FUZZ_CHECK(rc == POP3_E_NOT_PENDING || rc == h->fatal,
                       "info_done without a pending msg_info returned %d", rc);
            FUZZ_CHECK(pop3_session_status(h->s) == before, "a refused completion changed status");
        }
    }
    h->pending = REQ_NONE;
    switch (kind) {
    case REQ_AUTH:
        if (h->auth_req_pw) {
            FUZZ_CHECK(memcmp(h->auth_req_pw, h->auth_pw_copy, h->auth_pw_len) == 0 &&
                           h->auth_req_pw[h->auth_pw_len] == '\0',
                       "the pending request's password changed before the answer");
        }
        {
            /* auth_done may run a pipelined retry that pends again and
             * sets new ones: take these first. */
            unsigned char *copy = h->auth_pw_copy;
            h->auth_pw_copy = NULL;
            h->auth_req_pw = NULL;
            rc = pop3_session_auth_done(h->s, &h->auth_ans);
            free(copy);
        }
        break;
    case REQ_OPEN:
        /* Counted first: a failing mark-set allocation closes the maildrop
         * inside open_done. */
        if (h->open_ans.result == POP3_R_OK)
            h->opens++;
        rc = pop3_session_open_done(h->s, &h->open_ans);
        if (h->open_ans.result == POP3_R_OK &&
            (rc == POP3_E_CLOSED || rc == POP3_E_NOT_PENDING || rc == POP3_E_INVALID))
            h->opens--;                 /* the answer was refused */
        break;
    case REQ_INFO:
        rc = pop3_session_info_done(h->s, &h->info_ans);
        break;
    case REQ_READ:
        if (h->read_ans.result == POP3_R_OK)
            h->read_off += h->read_ans.len;
        rc = pop3_session_read_done(h->s, &h->read_ans);
        break;
    case REQ_COMMIT:
        h->commit_ok = h->commit_ans == POP3_R_OK;
        rc = pop3_session_commit_done(h->s, h->commit_ans);
        break;
    default:
        FUZZ_CHECK(0, "complete without a pending request");
    }
    after_call(h, rc, "completion", POP3_E_CLOSED, 0, 0);
}

static void do_tls(H *h, unsigned st)
{
    int ok = !fuzz_chance(&h->rng, 1, 8), rc;
    rc = pop3_session_tls_done(h->s, ok);
    if (!(st & POP3_STATUS_START_TLS)) {
        FUZZ_CHECK(rc == POP3_E_STATE || rc == h->fatal, "tls_done without START_TLS returned %d",
                   rc);
        return;
    }
    after_call(h, rc, "tls_done", 0, 0, 0);
    if (rc == POP3_OK && ok) {
        size_t cap = 0;
        h->conn_flags |= POP3_CONN_TLS_ACTIVE;
        h->conn_flags &= ~(unsigned)POP3_CONN_TLS_AVAILABLE;
        (void)pop3_session_in_buf(h->s, &cap);
        FUZZ_CHECK(cap == h->in_buf_size || h->eof_sent ||
                       pop3_session_state(h->s) == POP3_STATE_CLOSED,
                   "STLS: %zu of %u input octets free after the handshake (input survived)", cap,
                   h->in_buf_size);
    }
}

/* A password that also occurs in text the session may legitimately hold
 * (replies, message data, configuration strings) proves nothing. */
static int password_elsewhere(H *h, const unsigned char *pw, size_t n)
{
    const char *strs[4];
    strs[0] = h->cfg.greeting;
    strs[1] = h->cfg.implementation;
    strs[2] = h->timestamp;
    strs[3] = pop3_session_last_error(h->s);
    if (fuzz_memmem(h->wire.p, h->wire.len, pw, n))
        return 1;
    for (size_t i = 0; i < h->nrecs; i++)
        if (fuzz_memmem(h->recs[i].line, h->recs[i].line_len, pw, n))
            return 1;
    for (unsigned i = 0; i < h->nkinds; i++)
        if (fuzz_memmem(h->kinds[i].raw, h->kinds[i].len, pw, n) ||
            fuzz_memmem(h->kinds[i].norm.p, h->kinds[i].norm.len, pw, n) ||
            fuzz_memmem(h->kinds[i].uid, h->kinds[i].uid_len, pw, n))
            return 1;
    for (int i = 0; i < 4; i++)
        if (strs[i] && fuzz_memmem(strs[i], strlen(strs[i]), pw, n))
            return 1;
    return 0;
}

static void finish(H *h, int truncated)
{
    pop3_stats st;
    int rc;
    memset(&st, 0, sizeof st);
    st.struct_size = sizeof st;
    FUZZ_CHECK(pop3_session_stats(h->s, &st) == POP3_OK, "stats failed");
    if (!h->fatal && !h->aborted)
        FUZZ_CHECK(st.bytes_out == h->wire.len, "stats: bytes_out %llu, acknowledged %zu",
                   (unsigned long long)st.bytes_out, h->wire.len);
    if (!h->fatal)                      /* recv may take bytes and then fail */
        FUZZ_CHECK(st.bytes_in == h->fed, "stats: bytes_in %llu, fed %llu",
                   (unsigned long long)st.bytes_in, (unsigned long long)h->fed);

    rc = pop3_session_deinit(h->s);
    FUZZ_CHECK(rc == POP3_OK, "deinit returned %d", rc);
    FUZZ_CHECK(h->live == 0, "the mark set was not freed");
    FUZZ_CHECK(h->opens == h->closes, "%d maildrop opens, %d closes", h->opens, h->closes);
    FUZZ_CHECK(!h->reading, "msg_read without msg_close");
    /* Searched below the output buffer: the session structure and the
     * input buffer.  From the output buffer on, memory holds sent replies,
     * stale ends of longer earlier ones, encoder scratch and the copied
     * configuration strings side by side, and a password the fuzzer
     * spells across two of them (a nonce's tail, then the greeting) is no
     * leak.  (Neither is one that also occurs in text the session may
     * hold: password_elsewhere().) */
    for (int i = 0; i < h->npw; i++)
        FUZZ_CHECK(password_elsewhere(h, h->pw[i], h->pw_len[i]) ||
                       fuzz_memmem(h->mem, h->out_lo, h->pw[i], h->pw_len[i]) == NULL,
                   "a password (%zu octets) is left in the session memory after deinit",
                   h->pw_len[i]);

    parse_wire(h);
    if (getenv("POP3_FUZZ_VERBOSE")) {
        fprintf(stderr, "---- %u messages, %zu replies traced, %zu parsed, close reason %d, "
                "fatal %d, truncated %d, commits %d, %zu of %zu input octets fed\n",
                h->count, h->nrecs, h->next_rec, h->close_reason, h->fatal, truncated, h->commits,
                h->pos, h->in_len);
        fwrite(h->wire.p, 1, h->wire.len, stderr);
        fprintf(stderr, "---- end of output\n");
    }
    if (!truncated) {
        FUZZ_CHECK(h->parsed == h->wire.len, "output ends inside a line");
        FUZZ_CHECK(h->body_kind == BODY_NONE, "output ends inside a multi-line reply");
        FUZZ_CHECK(h->next_rec == h->nrecs, "%zu traced replies never sent",
                   h->nrecs - h->next_rec);
    }
    for (size_t i = 0; i < h->next_rec; i++) {
        rec *r = &h->recs[i];
        if (r->multi && r->body_done) {
            FUZZ_CHECK(r->body_events == 1 && r->body_octets == r->wire_body,
                       "%s: BODY event %d times, %llu octets; %llu on the wire", r->verb,
                       r->body_events, (unsigned long long)r->body_octets,
                       (unsigned long long)r->wire_body);
            FUZZ_CHECK(r->body_msgno == r->msgno, "%s: BODY msgno %u, expected %u", r->verb,
                       r->body_msgno, r->msgno);
        } else if (!r->multi) {
            FUZZ_CHECK(r->body_events == 0, "BODY event after single line " LINE_FMT, LINE_ARG(r));
        }
    }
}

static void session(H *h)
{
    pop3_callbacks cb;
    pop3_allocator al = {al_alloc, al_free, NULL};
    pop3_connection conn;
    int err = 0, rc, truncated = 0;
    size_t steps, max_steps = 3000 + 40 * h->in_len;

    pop3_callbacks_init(&cb);
    cb.authenticate = cb_authenticate;
    cb.open_maildrop = cb_open;
    cb.msg_info = cb_info;
    cb.msg_read = cb_read;
    cb.msg_close = cb_msg_close;
    cb.commit = cb_commit;
    cb.maildrop_close = cb_maildrop_close;
    cb.trace = cb_trace;
    cb.random = cb_random;
    al.ctx = h;

    h->mem_size = pop3_session_mem_size(&h->cfg);
    FUZZ_CHECK(h->mem_size > 0, "mem_size 0 for a valid configuration");
    h->mem = malloc(h->mem_size);
    FUZZ_CHECK(h->mem != NULL, "out of memory in the harness");
    /* Fresh heap memory may hold an earlier input (libFuzzer's copy of it
     * included), password and all; parts of the session memory the library
     * never writes (an unused stretch of the output buffer) would then fail
     * the "no password after deinit" check for a run that never leaked. */
    memset(h->mem, 0xA5, h->mem_size);
    h->out_lo = h->mem_size;
    FUZZ_CHECK(pop3_session_init(h->mem, h->mem_size - 1, &h->cfg, &cb, h, &al, &err) == NULL &&
                   err == POP3_E_TOO_SMALL,
               "init accepted memory below mem_size");
    h->s = pop3_session_init(h->mem, h->mem_size, &h->cfg, &cb, h, &al, &err);
    FUZZ_CHECK(h->s == (pop3_session *)h->mem && err == POP3_OK, "init failed: %d", err);
    memset(&conn, 0, sizeof conn);
    conn.now_ms = h->now;
    conn.flags = h->conn_flags;
    conn.apop_timestamp = h->timestamp;
    rc = pop3_session_start(h->s, &conn);
    FUZZ_CHECK(rc == POP3_OK, "start returned %d", rc);
    {
        size_t cap = 0;                 /* the resolved input capacity */
        (void)pop3_session_in_buf(h->s, &cap);
        FUZZ_CHECK(cap >= h->cfg.max_line, "input room %zu below max_line", cap);
        h->in_buf_size = (uint32_t)cap;
    }

    for (steps = 0;; steps++) {
        unsigned st = pop3_session_status(h->s);
        int can_feed, can_drain, can_complete, can_tls, can_eof;
        uint64_t w;
        check_status(h, st);
        if (st == POP3_STATUS_CLOSED)
            break;
        if (steps >= max_steps) {
            truncated = 1;
            break;
        }
        can_feed = (st & POP3_STATUS_READ) && h->pos < h->in_len;
        can_drain = (st & POP3_STATUS_WRITE) != 0;
        can_complete = h->pending != REQ_NONE;
        can_tls = (st & POP3_STATUS_START_TLS) != 0;
        can_eof = h->pos == h->in_len && !h->eof_sent && !h->aborted;
        if (can_eof && h->end_mode >= 12) {     /* deinit with the session open */
            truncated = 1;
            break;
        }
        if (can_eof && h->end_mode >= 8 && h->end_mode < 10) {
            rc = pop3_session_abort(h->s);
            FUZZ_CHECK(rc == POP3_OK, "abort returned %d", rc);
            h->aborted = 1;
            drop_peek(h);
            FUZZ_CHECK(pop3_session_status(h->s) == POP3_STATUS_CLOSED,
                       "status %#x after abort", pop3_session_status(h->s));
            truncated = 1;
            continue;
        }
        if (can_eof && h->end_mode >= 10)
            can_eof = 0;                        /* timers must end it */

        w = fuzz_below(&h->rng, 100);
        if (can_drain && w < 30) {
            do_drain(h);
        } else if (can_feed && w < 60) {
            do_feed(h);
        } else if (can_complete && w < 75) {
            do_complete(h);
        } else if (can_tls && w < 85) {
            do_tls(h, st);
        } else if (can_eof && w < 90) {
            rc = pop3_session_in_eof(h->s);
            h->eof_sent = 1;
            after_call(h, rc, "in_eof", 0, 0, 0);
        } else if (w < 90 + h->tick_weight / 2 || (!can_drain && !can_feed && !can_complete &&
                                                    !can_tls && !can_eof)) {
            do_tick(h);
        } else if (fuzz_below(&h->rng, 256) < h->p_peek) {
            do_peek(h);
        } else if (fuzz_chance(&h->rng, 1, 64)) {
            do_tls(h, st);                      /* usually refused */
        }
        if (h->fatal)
            truncated = 1;
    }
    drop_peek(h);
    /* An abort or a fatal error drops queued output; an autologout of a
     * client that stopped reading may cut a multi-line reply short (it then
     * lacks its terminator, so no client takes it for complete). */
    if (h->aborted || h->fatal || h->close_reason == POP3_CLOSE_TIMEOUT)
        truncated = 1;
    if (pop3_session_status(h->s) == POP3_STATUS_CLOSED) {
        /* Once closed, always closed. */
        size_t cap = 1;
        FUZZ_CHECK(pop3_session_in_buf(h->s, &cap) == NULL && cap == 0, "in_buf after close");
        rc = pop3_session_tick(h->s, h->now + 1000000000);
        FUZZ_CHECK(rc == POP3_OK || rc == h->fatal, "tick after close returned %d", rc);
        FUZZ_CHECK(pop3_session_status(h->s) == POP3_STATUS_CLOSED, "status changed after close");
    }
    finish(h, truncated);
}

static void cleanup(H *h)
{
    for (unsigned i = 0; i < NKINDS; i++) {
        free(h->kinds[i].raw);
        fuzz_buf_free(&h->kinds[i].norm);
    }
    for (size_t i = 0; i < h->nrecs; i++) {
        free(h->recs[i].line);
        free(h->recs[i].args);
    }
    for (int i = 0; i < h->npw; i++)
        free(h->pw[i]);
    free(h->recs);
    free(h->model_del);
    free(h->mem);
    free(h->auth_secret);
    free(h->auth_pw_copy);
    free(h->chunk_data);
    free(h->peek_copy);
    fuzz_buf_free(&h->wire);
    fuzz_buf_free(&h->expect);
    fuzz_buf_free(&h->cur_args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    H *h = calloc(1, sizeof *h);
    FUZZ_CHECK(h != NULL, "out of memory in the harness");
    setup(h, data, size);
    session(h);
    cleanup(h);
    free(h);
    return 0;
}
