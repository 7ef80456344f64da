/*
 * session.c - the POP3 session state machine.
 *
 * One loop (run) drives everything: it finishes the command in progress,
 * then takes the next complete line from the input buffer - but only while
 * the output window has room for a whole status line and no request is
 * waiting for the host.  That single rule gives ordered replies,
 * pipelining and backpressure at once.
 *
 * Requests to the host go through ask_*(); an inline answer and a later
 * completion both end in the same on_*() handler, so the two paths cannot
 * drift apart.
 */
#include "internal.h"
#include "sasl.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Limits and layout
 * ---------------------------------------------------------------------- */

#define MIN_LINE          255u      /* RFC 2449 §4 */
#define MAX_LINE          4096u
#define MAX_IN_BUF        65536u
#define MIN_OUT_BUF       1024u
#define MAX_OUT_BUF       (1u << 20)
#define MIN_IDLE_MS       600000u   /* RFC 1939 §3: at least 10 minutes */
#define MAX_TEXT          255u      /* greeting, implementation */
#define MAX_TIMESTAMP     200u
#define MAX_USER_OCTETS   (POP3__MAX_ARG_CHARS * 4)
#define ROOM_STATUS       512u      /* a whole status line, RFC 2449 §4 */
#define ROOM_LIST_LINE    128u      /* "n uid" with a 70-octet uid */
#define ROOM_CAPA_LINE    (MAX_TEXT + 128u)
#define ROOM_ENCODE       16u
#define ROOM_FINISH       8u
#define UID_MAX           70u
#define MAX_AUTH_LINE     65536u
#define MAX_HOSTNAME      64u
#define SCRATCH           672u      /* SASL state: SCRAM messages, challenge */
#define MAX_CFB           256u      /* SCRAM client-first-message-bare */
#define MAX_GS2           96u
#define MAX_SF            300u      /* SCRAM server-first-message */
#define SNONCE_LEN        24u
#define MAX_SALT          64u
#define MAX_ITERATIONS    1000000u

#define ALIGN_UP(x) (((x) + 15u) & ~(size_t)15u)

enum request {
    REQ_NONE = 0, REQ_AUTH, REQ_OPEN, REQ_INFO, REQ_READ, REQ_COMMIT, REQ_SASL
};

/* What the command in progress is doing. */
enum phase {
    PH_NONE = 0,
    PH_AUTH,        /* PASS/APOP: authenticate */
    PH_OPEN,        /* PASS/APOP: open maildrop */
    PH_HELD,        /* failed login: reply waits for the delay */
    PH_INFO,        /* LIST n, UIDL n, DELE, RETR: msg_info */
    PH_ITER,        /* LIST, UIDL: next listing line */
    PH_FIRST_READ,  /* RETR, TOP: first chunk decides +OK or -ERR */
    PH_STREAM,      /* RETR, TOP: encoding chunks */
    PH_FINISH,      /* RETR, TOP: final line end and terminator */
    PH_CAPA,        /* CAPA: next tag */
    PH_COMMIT,      /* QUIT in TRANSACTION */
    PH_SASL_WAIT,   /* AUTH: a challenge went out, the next line answers it */
    PH_SASL_STEP,   /* AUTH: ask the host's sasl_step */
    PH_AUTH_LIST    /* bare AUTH: listing the mechanisms */
};

struct pop3_session {
    pop3_config cfg;            /* resolved copy; strings point into mem */
    pop3_callbacks cb;
    pop3_allocator alloc;
    void *user_data;
    size_t mem_total;           /* bytes owned when made by _new */
    unsigned char owned;        /* made by pop3_session_new */

    int state;                  /* pop3_state */
    int fatal;                  /* sticky fatal code, 0 if none */
    unsigned in_cb;             /* callback depth: re-entrancy guard */
    unsigned conn_flags;
    unsigned char started, eof, discarding, pinned;
    unsigned char tls_wait;     /* STLS accepted: waiting for tls_done */
    unsigned char utf8;         /* the client sent UTF8 (RFC 6856) */

    /* input: bytes [in_start, in_end) are unparsed */
    unsigned char *in;
    uint32_t in_cap, in_start, in_end;
    /* output: bytes [out_head, out_tail) are queued */
    unsigned char *out;
    uint32_t out_cap, out_head, out_tail;

    /* timers (host clock, ms) */
    uint64_t now, last_activity, held_until;

    /* command in progress */
    const pop3__cmd_def *cmd;
    int phase;
    int pending;                /* enum request outstanding */
    uint32_t msgno, iter;
    uint64_t top_lines, msg_size, body_octets;
    pop3_encoder enc;
    const unsigned char *chunk;
    size_t chunk_len;
    uint64_t read_offset;
    unsigned char reading;      /* msg_close is owed */
    unsigned char chunk_eof;
    unsigned char held_close;   /* the held failure closes the session */

    /* authentication */
    char user[MAX_USER_OCTETS + 1];
    size_t user_len;
    unsigned char have_user;    /* a USER (or login) name is stored */
    char *pass;                 /* PASS argument, in the pinned input */
    size_t pass_len;
    char digest[33];            /* APOP digest, lowercased */
    char timestamp[MAX_TIMESTAMP + 1];
    int auth_kind;

    /* maildrop */
    unsigned char maildrop_open;
    unsigned char *marks;
    size_t marks_size;
    uint32_t count, deleted, last_retr;
    uint64_t octets, deleted_octets;
    int32_t user_login_delay, user_expire;

    uint32_t bad_commands, auth_failures;
    pop3_stats stats;
    char last_error[160];
    char auth_mech[24];         /* mechanism of the login attempt (events) */

    /* SASL exchange in progress (AUTH) */
    unsigned char mech;         /* enum mech */
    unsigned char mech_step;
    unsigned char scram_fake;   /* unknown user: fail at the end */
    unsigned char bearer_failed; /* error challenge sent: fail on reply */
    unsigned host_step;
    const char *host_mech;      /* name inside cfg.host_mechs copy */
    size_t host_mech_len;
    char authzid[MAX_USER_OCTETS + 1];
    size_t authzid_len;
    uint16_t cfb_len, gs2_len, sf_len, chal_len;   /* in scratch */
    uint16_t cnonce_off, cnonce_len;               /* inside the cfb */
    unsigned char host_has;     /* the host step has client data */
    char scratch[SCRATCH];      /* cfb | gs2 | sf, or the CRAM challenge */
    unsigned char stored_key[POP3__HASH_MAX_LEN];
    unsigned char server_key[POP3__HASH_MAX_LEN];
};

/* ------------------------------------------------------------------------
 * Configuration
 * ---------------------------------------------------------------------- */

void pop3_config_init(pop3_config *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    cfg->max_line = MIN_LINE;
    cfg->in_buf_size = 1024;
    cfg->out_buf_size = 4096;
    cfg->max_bad_commands_auth = 3;
    cfg->max_bad_commands_trans = 20;
    cfg->max_auth_failures = 3;
    cfg->auth_fail_delay_ms = 2000;
    cfg->idle_timeout_ms = MIN_IDLE_MS;
    cfg->auth_timeout_ms = 60000;
    cfg->greeting = "POP3 server ready";
    cfg->implementation = NULL;
    cfg->login_delay = POP3_NOT_ADVERTISED;
    cfg->expire = POP3_NOT_ADVERTISED;
    cfg->sasl_mechs = POP3_SASL_PLAIN | POP3_SASL_LOGIN;
    cfg->max_auth_line = 0;
    cfg->host_mechs = NULL;
    cfg->hostname = "localhost";
}

void pop3_callbacks_init(pop3_callbacks *cb)
{
    if (!cb)
        return;
    memset(cb, 0, sizeof *cb);
    cb->struct_size = sizeof *cb;
}

static int valid_text(const char *t, size_t max, int allow_space)
{
    size_t n = 0;
    for (; t[n]; n++) {
        unsigned char c = (unsigned char)t[n];
        if (c > 0x7E || c < (allow_space ? 0x20 : 0x21) || n >= max)
            return 0;
    }
    return n > 0;
}

/* Defaults, then as much of the host's struct as it says it has; then
 * validate.  0 on success. */
static int resolve_config(const pop3_config *in, pop3_config *out)
{
    pop3_config_init(out);
    if (in) {
        size_t n = in->struct_size;
        if (n < offsetof(pop3_config, flags) + sizeof in->flags)
            return -1;
        memcpy(out, in, n < sizeof *out ? n : sizeof *out);
        out->struct_size = sizeof *out;
    }
    if (out->max_line < MIN_LINE || out->max_line > MAX_LINE)
        return -1;
    if (out->in_buf_size < out->max_line)
        out->in_buf_size = out->max_line;
    if (out->in_buf_size > MAX_IN_BUF)
        return -1;
    if (out->out_buf_size < MIN_OUT_BUF || out->out_buf_size > MAX_OUT_BUF)
        return -1;
    if (out->idle_timeout_ms && out->idle_timeout_ms < MIN_IDLE_MS)
        out->idle_timeout_ms = MIN_IDLE_MS;
    if (!out->greeting || !valid_text(out->greeting, MAX_TEXT, 1))
        return -1;
    if (out->implementation && !valid_text(out->implementation, MAX_TEXT, 1))
        return -1;
    if (out->login_delay < POP3_NOT_ADVERTISED)
        return -1;
    if (out->expire < POP3_EXPIRE_NEVER)
        return -1;
    if (out->sasl_mechs & ~(unsigned)(POP3_SASL_HOST * 2 - 1))
        return -1;
    if (out->max_auth_line == 0)
        out->max_auth_line =
            (out->sasl_mechs & (POP3_SASL_OAUTHBEARER | POP3_SASL_XOAUTH2))
                ? 8192 : 1024;
    if (out->max_auth_line < out->max_line || out->max_auth_line > MAX_AUTH_LINE)
        return -1;
    if (out->in_buf_size < out->max_auth_line)
        out->in_buf_size = out->max_auth_line;
    if (!out->hostname || !valid_text(out->hostname, MAX_HOSTNAME, 0))
        return -1;
    if (out->sasl_mechs & POP3_SASL_HOST) {
        const char *h = out->host_mechs;
        if (!h || !valid_text(h, MAX_TEXT, 1) || h[0] == ' ')
            return -1;
    } else {
        out->host_mechs = NULL;
    }
    return 0;
}

struct layout {
    size_t in, out, greeting, impl, host_mechs, hostname, total;
};

static void compute_layout(const pop3_config *c, struct layout *l)
{
    size_t p = ALIGN_UP(sizeof(struct pop3_session));
    l->in = p;
    p = ALIGN_UP(p + c->in_buf_size + 1);   /* +1: NUL after a full line */
    l->out = p;
    p = ALIGN_UP(p + c->out_buf_size);
    l->greeting = p;
    p += strlen(c->greeting) + 1;
    l->impl = p;
    if (c->implementation)
        p += strlen(c->implementation) + 1;
    l->host_mechs = p;
    if (c->host_mechs)
        p += strlen(c->host_mechs) + 1;
    l->hostname = p;
    p += strlen(c->hostname) + 1;
    l->total = ALIGN_UP(p);
}

int pop3_config_check(const pop3_config *cfg, pop3_config *effective)
{
    if (!effective)
        return POP3_E_INVALID;
    return resolve_config(cfg, effective) == 0 ? POP3_OK : POP3_E_INVALID;
}

size_t pop3_session_mem_size(const pop3_config *cfg)
{
    pop3_config c;
    struct layout l;
    if (resolve_config(cfg, &c) != 0)
        return 0;
    compute_layout(&c, &l);
    return l.total;
}

/* ------------------------------------------------------------------------
 * State table
 * ---------------------------------------------------------------------- */

static const pop3_transition transitions[] = {
    {POP3_STATE_INIT, POP3_STATE_AUTHORIZATION, "start, greeting sent"},
    {POP3_STATE_AUTHORIZATION, POP3_STATE_AUTHORIZATION,
     "USER; failed PASS, APOP or AUTH; maildrop not opened"},
    {POP3_STATE_AUTHORIZATION, POP3_STATE_TRANSACTION,
     "PASS, APOP or AUTH accepted and maildrop opened"},
    {POP3_STATE_AUTHORIZATION, POP3_STATE_CLOSED,
     "QUIT, end of input, timeout, limit or abort"},
    {POP3_STATE_TRANSACTION, POP3_STATE_UPDATE, "QUIT"},
    {POP3_STATE_TRANSACTION, POP3_STATE_CLOSED,
     "end of input, timeout, limit or abort (nothing deleted)"},
    {POP3_STATE_UPDATE, POP3_STATE_CLOSED, "commit answered, or abort"},
    {POP3_STATE_INIT, POP3_STATE_CLOSED, "abort or fatal error before start"},
};

const pop3_transition *pop3_transitions(size_t *count)
{
    if (count)
        *count = sizeof transitions / sizeof transitions[0];
    return transitions;
}

const char *pop3_state_name(int state)
{
    switch (state) {
    case POP3_STATE_INIT: return "INIT";
    case POP3_STATE_AUTHORIZATION: return "AUTHORIZATION";
    case POP3_STATE_TRANSACTION: return "TRANSACTION";
    case POP3_STATE_UPDATE: return "UPDATE";
    case POP3_STATE_CLOSED: return "CLOSED";
    default: return "?";
    }
}

/* ------------------------------------------------------------------------
 * Small helpers: callbacks, trace, fatal errors
 * ---------------------------------------------------------------------- */

static void trace(pop3_session *s, pop3_event *ev)
{
    if (!s->cb.trace)
        return;
    ev->state = s->state;
    s->in_cb++;
    s->cb.trace(s->user_data, s, ev);
    s->in_cb--;
}

static void trace_simple(pop3_session *s, int type, int code, uint32_t msgno,
                         uint64_t octets)
{
    pop3_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.code = code;
    ev.msgno = msgno;
    ev.octets = octets;
    trace(s, &ev);
}

static void set_error(pop3_session *s, const char *a, const char *b)
{
    size_t n = strlen(a), m = b ? strlen(b) : 0;
    if (n > sizeof s->last_error - 1)
        n = sizeof s->last_error - 1;
    memcpy(s->last_error, a, n);
    if (m > sizeof s->last_error - 1 - n)
        m = sizeof s->last_error - 1 - n;
    if (m)
        memcpy(s->last_error + n, b, m);
    s->last_error[n + m] = '\0';
}

static void close_session(pop3_session *s, int reason);
static void end_sasl(pop3_session *s);

static int set_state(pop3_session *s, int to)
{
    size_t i;
    int from = s->state;
    for (i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == from && transitions[i].to == to)
            break;
    if (i == sizeof transitions / sizeof transitions[0])
        return -1;          /* caller turns this into POP3_E_INTERNAL */
    s->state = to;
    if (from != to) {
        pop3_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = POP3_EV_STATE;
        ev.old_state = from;
        trace(s, &ev);
    }
    return 0;
}

/* Fatal: sticky code, session closed without UPDATE, output dropped. */
static int fail(pop3_session *s, int code, const char *why)
{
    if (s->fatal)
        return s->fatal;
    set_error(s, why, NULL);
    close_session(s, POP3_CLOSE_ERROR);
    s->fatal = code;
    s->out_head = s->out_tail = 0;
    return code;
}

static void wipe_password(pop3_session *s)
{
    if (s->pass) {
        pop3__wipe(s->pass, s->pass_len);
        s->pass = NULL;
        s->pass_len = 0;
    }
    pop3__wipe(s->digest, sizeof s->digest);
    s->pinned = 0;
}

static void forget_user(pop3_session *s)
{
    pop3__wipe(s->user, sizeof s->user);
    s->user_len = 0;
    s->have_user = 0;
}

static void end_read(pop3_session *s)
{
    if (s->reading) {
        s->reading = 0;
        s->chunk = NULL;
        s->chunk_len = 0;
        if (s->cb.msg_close) {
            s->in_cb++;
            s->cb.msg_close(s->user_data, s, s->msgno);
            s->in_cb--;
        }
    }
}

static void close_maildrop(pop3_session *s, int committed)
{
    if (!s->maildrop_open)
        return;
    s->maildrop_open = 0;
    if (s->cb.maildrop_close) {
        s->in_cb++;
        s->cb.maildrop_close(s->user_data, s, committed);
        s->in_cb--;
    }
}

static void free_marks(pop3_session *s)
{
    if (s->marks) {
        s->alloc.free(s->alloc.ctx, s->marks, s->marks_size);
        s->marks = NULL;
        s->marks_size = 0;
    }
}

/* Decide to end the session.  Output already queued is still flushed;
 * the status turns CLOSED once it has gone. */
static void close_session(pop3_session *s, int reason)
{
    if (s->state == POP3_STATE_CLOSED)
        return;
    end_read(s);
    close_maildrop(s, 0);
    wipe_password(s);
    if (s->mech)
        forget_user(s);                 /* a name from an unfinished AUTH */
    end_sasl(s);
    s->pending = REQ_NONE;
    s->cmd = NULL;
    s->phase = PH_NONE;
    if (set_state(s, POP3_STATE_CLOSED) != 0)
        s->state = POP3_STATE_CLOSED;   /* every state may close */
    s->stats.close_reason = reason;
    trace_simple(s, POP3_EV_CLOSE, reason, 0, 0);
}

/* ------------------------------------------------------------------------
 * Output
 * ---------------------------------------------------------------------- */

static size_t out_room(const pop3_session *s)
{
    return s->out_cap - s->out_tail;
}

static void put(pop3_session *s, const void *p, size_t n)
{
    memcpy(s->out + s->out_tail, p, n);
    s->out_tail += (uint32_t)n;
}

static void put_str(pop3_session *s, const char *z)
{
    put(s, z, strlen(z));
}

static void put_u64(pop3_session *s, uint64_t v)
{
    char buf[20];
    size_t n = sizeof buf;
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(s, buf + n, sizeof buf - n);
}

static int resp_codes(const pop3_session *s)
{
    return !(s->cfg.flags & POP3_CFG_NO_RESP_CODES);
}

/* Status lines: begin, append, end (CRLF + trace). */
static uint32_t line_begin(pop3_session *s, int ok, const char *code)
{
    uint32_t mark = s->out_tail;
    put_str(s, ok ? "+OK " : "-ERR ");
    if (code && resp_codes(s)) {
        put(s, "[", 1);
        put_str(s, code);
        put(s, "] ", 2);
    }
    return mark;
}

static void line_end(pop3_session *s, uint32_t mark)
{
    pop3_event ev;
    size_t len = s->out_tail - mark;
    put(s, "\r\n", 2);
    if (!s->cb.trace)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = POP3_EV_REPLY;
    ev.line = (const char *)s->out + mark;
    ev.line_len = len;
    ev.ok = s->out[mark] != '+' ? 0 : s->out[mark + 1] == ' ' ? 2 : 1;
    trace(s, &ev);
}

static void reply(pop3_session *s, int ok, const char *code, const char *text)
{
    uint32_t m = line_begin(s, ok, code);
    put_str(s, text);
    line_end(s, m);
}

/* "N things", or "1 thing" (the noun is given in the singular). */
static void put_count(pop3_session *s, uint64_t n, const char *noun)
{
    put_u64(s, n);
    put(s, " ", 1);
    put_str(s, noun);
    if (n != 1)
        put(s, "s", 1);
}

/* "N messages (M octets)" for the messages not marked deleted. */
static void put_drop_size(pop3_session *s)
{
    put_count(s, s->count - s->deleted, "message");
    put_str(s, " (");
    put_count(s, s->octets >= s->deleted_octets ? s->octets - s->deleted_octets : 0,
              "octet");
    put_str(s, ")");
}

static void reply_maildrop(pop3_session *s)
{
    uint32_t m = line_begin(s, 1, NULL);
    put_str(s, "maildrop has ");
    put_drop_size(s);
    line_end(s, m);
}

static void body_line(pop3_session *s, uint32_t n, const char *p, size_t len)
{
    uint32_t m = s->out_tail;
    put_u64(s, n);
    put(s, " ", 1);
    put(s, p, len);
    put(s, "\r\n", 2);
    s->body_octets += s->out_tail - m;
}

static void body_end(pop3_session *s)
{
    put(s, ".\r\n", 3);
    s->body_octets += 3;
    trace_simple(s, POP3_EV_BODY, 0, 0, s->body_octets);
}

/* ------------------------------------------------------------------------
 * Counters and limits
 * ---------------------------------------------------------------------- */

static void command_done(pop3_session *s)
{
    s->cmd = NULL;
    s->phase = PH_NONE;
}

/* A bad command: its -ERR, or the closing line when the limit is hit. */
static void bad_command(pop3_session *s, const char *text, const char *more)
{
    uint32_t limit = s->state == POP3_STATE_TRANSACTION
                         ? s->cfg.max_bad_commands_trans
                         : s->cfg.max_bad_commands_auth;
    s->bad_commands++;
    s->stats.bad_commands++;
    if (limit && s->bad_commands >= limit) {
        reply(s, 0, NULL, "too many bad commands, closing");
        set_error(s, "too many bad commands", NULL);
        trace_simple(s, POP3_EV_LIMIT, POP3_LIMIT_BAD_COMMANDS, 0, 0);
        close_session(s, POP3_CLOSE_LIMIT);
        return;
    }
    {
        uint32_t m = line_begin(s, 0, NULL);
        put_str(s, text);
        if (more)
            put_str(s, more);
        line_end(s, m);
    }
}

static int plaintext_allowed(const pop3_session *s)
{
    return (s->cfg.flags & POP3_CFG_ALLOW_PLAINTEXT) ||
           (s->conn_flags & (POP3_CONN_TLS_ACTIVE | POP3_CONN_PROTECTED));
}

static int stls_offered(const pop3_session *s)
{
    return (s->conn_flags & POP3_CONN_TLS_AVAILABLE) &&
           !(s->conn_flags & POP3_CONN_TLS_ACTIVE);
}

/* ------------------------------------------------------------------------
 * Message numbers and marks
 * ---------------------------------------------------------------------- */

static int marked(const pop3_session *s, uint32_t n)
{
    return (s->marks[(n - 1) >> 3] >> ((n - 1) & 7)) & 1;
}

/* Validate a message-number argument.  Returns the number, or 0 after
 * answering the error itself. */
static uint32_t check_msgno(pop3_session *s, const char *a, size_t len)
{
    uint64_t v;
    int r = pop3__parse_number(a, len, &v);
    if (r == -1) {
        bad_command(s, "invalid message number", NULL);
        return 0;
    }
    if (r == -2) {
        bad_command(s, "noise after message number", NULL);
        return 0;
    }
    if (v == 0 || v > s->count) {
        reply(s, 0, NULL, "no such message");
        return 0;
    }
    if (marked(s, (uint32_t)v)) {
        uint32_t m = line_begin(s, 0, NULL);
        put_str(s, "message ");
        put_u64(s, v);
        put_str(s, " already deleted");
        line_end(s, m);
        return 0;
    }
    return (uint32_t)v;
}

static uint32_t next_undeleted(const pop3_session *s, uint32_t after)
{
    uint32_t n = after + 1;
    while (n <= s->count && marked(s, n)) {
        if (((n - 1) & 7) == 0 && s->marks[(n - 1) >> 3] == 0xFF)
            n += 8;
        else
            n++;
    }
    return n <= s->count ? n : 0;
}

/* ------------------------------------------------------------------------
 * Requests to the host.  Each returns 1 if answered inline (the handler
 * ran), 0 if pending, or a negative fatal code.
 * ---------------------------------------------------------------------- */

static void on_auth(pop3_session *s, const pop3_auth_answer *a);
static void on_open(pop3_session *s, const pop3_maildrop *a);
static void on_info(pop3_session *s, const pop3_msg_info *a);
static int on_read(pop3_session *s, const pop3_chunk *a);
static void on_commit(pop3_session *s, int result);

static int valid_auth_result(const pop3_session *s, int r)
{
    if (s->auth_kind == POP3_AUTH_SCRAM)
        return r == POP3_R_SCRAM || r == POP3_R_SECRET || r == POP3_R_DENIED ||
               r == POP3_R_TEMPFAIL || r == POP3_R_PERMFAIL;
    if (r == POP3_R_SECRET)
        return s->auth_kind == POP3_AUTH_PASS || s->auth_kind == POP3_AUTH_APOP ||
               s->auth_kind == POP3_AUTH_CRAM_MD5;
    return r == POP3_R_OK || r == POP3_R_DENIED || r == POP3_R_TEMPFAIL ||
           r == POP3_R_PERMFAIL;
}
static int valid_sasl_result(int r)
{
    return r == POP3_R_CONTINUE || r == POP3_R_OK || r == POP3_R_DENIED ||
           r == POP3_R_TEMPFAIL || r == POP3_R_PERMFAIL;
}
static int valid_open_result(int r)
{
    return r == POP3_R_OK || r == POP3_R_IN_USE || r == POP3_R_LOGIN_DELAY ||
           r == POP3_R_TEMPFAIL || r == POP3_R_PERMFAIL;
}
static int valid_msg_result(int r)
{
    return r == POP3_R_OK || r == POP3_R_NO_MESSAGE || r == POP3_R_TEMPFAIL ||
           r == POP3_R_PERMFAIL || r == POP3_R_NEEDS_UTF8;
}
static int valid_commit_result(int r)
{
    return r == POP3_R_OK || r == POP3_R_TEMPFAIL || r == POP3_R_PERMFAIL;
}
static int valid_chunk(const pop3_chunk *c)
{
    return valid_msg_result(c->result) &&
           !(c->result == POP3_R_OK && c->len && !c->data);
}

/* Common tail of every ask: classify the callback's return. */
static int answered(pop3_session *s, int r, int req, const char *name)
{
    if (r == POP3_PENDING) {
        s->pending = req;
        return 0;
    }
    if (r != POP3_ANSWERED) {
        set_error(s, name, r < 0 ? " callback failed" : " callback returned an invalid value");
        return fail(s, POP3_E_CALLBACK, s->last_error);
    }
    return 1;
}

static const char *mech_name(const pop3_session *s);

static int ask_auth(pop3_session *s)
{
    pop3_auth_request rq;
    pop3_auth_answer a;
    int r;
    memset(&rq, 0, sizeof rq);
    memset(&a, 0, sizeof a);
    rq.kind = s->auth_kind;
    rq.user = s->have_user ? s->user : "";
    rq.user_len = s->have_user ? s->user_len : 0;
    rq.mechanism = s->mech ? mech_name(s) : s->auth_kind == POP3_AUTH_APOP ? "APOP" : "USER";
    rq.authzid = s->authzid;
    rq.authzid_len = s->authzid_len;
    switch (s->auth_kind) {
    case POP3_AUTH_PASS:
        rq.password = s->pass;
        rq.password_len = s->pass_len;
        break;
    case POP3_AUTH_APOP:
        rq.timestamp = s->timestamp;
        rq.digest = s->digest;
        break;
    case POP3_AUTH_CRAM_MD5:
        rq.timestamp = s->scratch;
        rq.digest = s->digest;
        break;
    case POP3_AUTH_BEARER:
        rq.token = s->pass;
        rq.token_len = s->pass_len;
        break;
    default:
        break;
    }
    s->in_cb++;
    r = s->cb.authenticate(s->user_data, s, &rq, &a);
    s->in_cb--;
    r = answered(s, r, REQ_AUTH, "authenticate");
    if (r == 1) {
        if (!valid_auth_result(s, a.result))
            return fail(s, POP3_E_CALLBACK, "authenticate answered an invalid result");
        on_auth(s, &a);
    }
    return s->fatal ? s->fatal : r;
}

static int ask_open(pop3_session *s)
{
    pop3_maildrop a;
    int r;
    memset(&a, 0, sizeof a);
    a.login_delay = POP3_NOT_ADVERTISED;
    a.expire = POP3_NOT_ADVERTISED;
    s->in_cb++;
    r = s->cb.open_maildrop(s->user_data, s, &a);
    s->in_cb--;
    r = answered(s, r, REQ_OPEN, "open_maildrop");
    if (r == 1) {
        if (!valid_open_result(a.result))
            return fail(s, POP3_E_CALLBACK, "open_maildrop answered an invalid result");
        on_open(s, &a);
    }
    return s->fatal ? s->fatal : r;
}

static int ask_info(pop3_session *s, uint32_t n, unsigned want)
{
    pop3_msg_info a;
    int r;
    memset(&a, 0, sizeof a);
    s->msgno = n;
    s->in_cb++;
    r = s->cb.msg_info(s->user_data, s, n, want, &a);
    s->in_cb--;
    r = answered(s, r, REQ_INFO, "msg_info");
    if (r == 1) {
        if (!valid_msg_result(a.result))
            return fail(s, POP3_E_CALLBACK, "msg_info answered an invalid result");
        on_info(s, &a);
    }
    /* An inline answer can end the session (a listing that cannot go on):
     * the caller must not carry on as if it had been answered. */
    return s->fatal ? s->fatal : r;
}

static int ask_read(pop3_session *s)
{
    pop3_read_request rq;
    pop3_chunk a;
    int r;
    rq.msgno = s->msgno;
    rq.offset = s->read_offset;
    rq.hint = out_room(s);
    memset(&a, 0, sizeof a);
    s->reading = 1;
    s->chunk = NULL;
    s->chunk_len = 0;
    s->in_cb++;
    r = s->cb.msg_read(s->user_data, s, &rq, &a);
    s->in_cb--;
    r = answered(s, r, REQ_READ, "msg_read");
    if (r == 1) {
        if (!valid_chunk(&a))
            return fail(s, POP3_E_CALLBACK, "msg_read answered an invalid chunk");
        r = on_read(s, &a);
        if (r < 0)
            return r;
        return 1;
    }
    return r;
}

static int ask_commit(pop3_session *s)
{
    pop3_commit_request rq;
    int result = POP3_R_OK, r;
    rq.count = s->count;
    rq.deleted = s->deleted;
    rq.deleted_octets = s->deleted_octets;
    s->in_cb++;
    r = s->cb.commit(s->user_data, s, &rq, &result);
    s->in_cb--;
    r = answered(s, r, REQ_COMMIT, "commit");
    if (r == 1) {
        if (!valid_commit_result(result))
            return fail(s, POP3_E_CALLBACK, "commit answered an invalid result");
        on_commit(s, result);
    }
    return s->fatal ? s->fatal : r;
}

/* ------------------------------------------------------------------------
 * Answer handlers (shared by inline answers and completions)
 * ---------------------------------------------------------------------- */

static void sys_error(pop3_session *s, int result, const char *temp,
                      const char *perm)
{
    if (result == POP3_R_NEEDS_UTF8)
        reply(s, 0, "UTF8", "message needs UTF8 mode");
    else if (result == POP3_R_PERMFAIL)
        reply(s, 0, "SYS/PERM", perm);
    else
        reply(s, 0, "SYS/TEMP", temp);
}

static void send_auth_failure(pop3_session *s)
{
    if (s->held_close) {
        reply(s, 0, "AUTH", "authentication failed, closing");
        set_error(s, "too many authentication failures", NULL);
        trace_simple(s, POP3_EV_LIMIT, POP3_LIMIT_AUTH_FAILURES, 0, 0);
        close_session(s, POP3_CLOSE_LIMIT);
        return;
    }
    reply(s, 0, "AUTH", "authentication failed");
    command_done(s);
}

/* POP3_EV_AUTH: a login attempt decided (before the user is forgotten). */
static void auth_event(pop3_session *s, int ok)
{
    pop3_event ev;
    if (!s->cb.trace)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = POP3_EV_AUTH;
    ev.verb = s->auth_mech[0] ? s->auth_mech : "USER";
    ev.args = s->have_user ? s->user : "";
    ev.args_len = s->have_user ? s->user_len : 0;
    ev.ok = ok;
    trace(s, &ev);
}

static void set_auth_mech(pop3_session *s, const char *name)
{
    size_t n = strlen(name);
    if (n >= sizeof s->auth_mech)
        n = sizeof s->auth_mech - 1;
    memcpy(s->auth_mech, name, n);
    s->auth_mech[n] = '\0';
}

static void credentials_accepted(pop3_session *s)
{
    auth_event(s, 1);
    s->phase = PH_OPEN;
}

/* A refused login is counted (event, counters, limit) when the refusal
 * is known, and answered (after the delay) when the protocol allows: for a
 * bearer token that is after the client's reply to the error challenge,
 * which a client may never send. */
static void count_auth_failure(pop3_session *s)
{
    auth_event(s, 0);
    forget_user(s);
    s->auth_failures++;
    s->stats.auth_failures++;
    s->held_close = s->cfg.max_auth_failures &&
                    s->auth_failures >= s->cfg.max_auth_failures;
}

static void answer_auth_failure(pop3_session *s)
{
    if (s->cfg.auth_fail_delay_ms) {
        s->phase = PH_HELD;
        s->held_until = s->now + s->cfg.auth_fail_delay_ms;
        return;
    }
    send_auth_failure(s);
}

static void auth_failed(pop3_session *s)
{
    count_auth_failure(s);
    answer_auth_failure(s);
}

static int verify_secret(pop3_session *s, const pop3_auth_answer *a)
{
    if (!a->secret && a->secret_len)
        return 0;
    if (s->auth_kind == POP3_AUTH_PASS) {
        size_t n = s->pass_len < a->secret_len ? s->pass_len : a->secret_len;
        int eq = pop3_ct_equal(s->pass, a->secret, n);
        return eq & (s->pass_len == a->secret_len);
    } else if (s->auth_kind == POP3_AUTH_CRAM_MD5) {
        unsigned char mac[16];
        char hex[33];
        int eq;
        pop3__hmac(POP3__HASH_MD5, a->secret, a->secret_len, s->scratch,
                   s->chal_len, mac);
        pop3__hex(mac, 16, hex);
        eq = pop3_ct_equal(hex, s->digest, 32);
        pop3__wipe(mac, sizeof mac);
        pop3__wipe(hex, sizeof hex);
        return eq;
    } else {
        char hex[33];
        int eq;
        pop3_apop_digest(s->timestamp, a->secret, a->secret_len, hex);
        eq = pop3_ct_equal(hex, s->digest, 32);
        pop3__wipe(hex, sizeof hex);
        return eq;
    }
}

static void scram_credentials(pop3_session *s, const pop3_auth_answer *a);
static void send_challenge(pop3_session *s, const void *data, size_t len);
static int login_identity(pop3_session *s, const char *login_user);

static void on_auth(pop3_session *s, const pop3_auth_answer *a)
{
    int ok;
    if (a->result == POP3_R_TEMPFAIL || a->result == POP3_R_PERMFAIL) {
        wipe_password(s);
        end_sasl(s);
        forget_user(s);
        sys_error(s, a->result, "authentication temporarily unavailable",
                  "authentication unavailable");
        command_done(s);
        return;
    }
    if (s->auth_kind == POP3_AUTH_SCRAM) {
        scram_credentials(s, a);
        return;
    }
    ok = a->result == POP3_R_OK ||
         (a->result == POP3_R_SECRET && verify_secret(s, a));
    wipe_password(s);
    if (ok && !login_identity(s, a->login_user))
        ok = 0;
    if (!ok && s->auth_kind == POP3_AUTH_BEARER) {
        /* RFC 7628 §3.2.2: an error challenge, then the client's dummy
         * response, then the failure. */
        const char *e = a->bearer_error ? a->bearer_error
                                        : "{\"status\":\"invalid_token\"}";
        size_t n = strlen(e);
        if (n > MAX_TEXT)
            n = MAX_TEXT;
        count_auth_failure(s);          /* even if the client hangs up now */
        s->bearer_failed = 1;
        send_challenge(s, e, n);
        return;
    }
    end_sasl(s);
    if (!ok) {
        auth_failed(s);
        return;
    }
    credentials_accepted(s);
}

static void on_open(pop3_session *s, const pop3_maildrop *a)
{
    switch (a->result) {
    case POP3_R_OK:
        break;
    case POP3_R_IN_USE:
        reply(s, 0, "IN-USE", "maildrop is locked by another session");
        goto refused;
    case POP3_R_LOGIN_DELAY:
        reply(s, 0, "LOGIN-DELAY", "login too soon after the previous one");
        goto refused;
    default:
        sys_error(s, a->result, "maildrop temporarily unavailable",
                  "maildrop unavailable");
        goto refused;
    }
    s->maildrop_open = 1;
    s->count = a->count;
    s->octets = a->octets;
    s->deleted = 0;
    s->deleted_octets = 0;
    s->last_retr = 0;
    s->user_login_delay = a->login_delay;
    s->user_expire = a->expire;
    if (a->count) {
        size_t n = ((size_t)a->count + 7) / 8;
        s->marks = s->alloc.alloc(s->alloc.ctx, n);
        if (!s->marks) {
            close_maildrop(s, 0);
            reply(s, 0, "SYS/TEMP", "maildrop temporarily unavailable");
            set_error(s, "out of memory for the deletion marks", NULL);
            goto refused;
        }
        memset(s->marks, 0, n);
        s->marks_size = n;
    }
    if (set_state(s, POP3_STATE_TRANSACTION) != 0) {
        fail(s, POP3_E_INTERNAL, "illegal transition to TRANSACTION");
        return;
    }
    s->bad_commands = 0;
    s->last_activity = s->now;
    reply_maildrop(s);
    command_done(s);
    return;
refused:
    forget_user(s);
    command_done(s);
}

/* A UIDL must be 1-70 characters of 0x21-0x7E (RFC 1939 §7). */
static int valid_uid(const char *u, size_t n)
{
    if (!u || n == 0 || n > UID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] < 0x21 || (unsigned char)u[i] > 0x7E)
            return 0;
    return 1;
}

/* Put "n uid" (status or listing line) with the uid policy applied.
 * Returns 0, or -1 when strict policy refuses the uid. */
static int uid_text(pop3_session *s, const pop3_msg_info *a, char *buf,
                    const char **p, size_t *n)
{
    if (valid_uid(a->uid, a->uid_len)) {
        *p = a->uid;
        *n = a->uid_len;
        return 0;
    }
    if (s->cfg.flags & POP3_CFG_UIDL_STRICT)
        return -1;
    {
        pop3__md5 m;
        unsigned char d[16];
        pop3__md5_init(&m);
        if (a->uid)
            pop3__md5_update(&m, a->uid, a->uid_len);
        pop3__md5_final(&m, d);
        buf[0] = '~';
        pop3__hex(d, 16, buf + 1);
        *p = buf;
        *n = 33;
    }
    return 0;
}

static void on_info(pop3_session *s, const pop3_msg_info *a)
{
    const pop3__cmd_def *c = s->cmd;
    const char *uid;
    size_t uid_len;
    char buf[34];

    if (s->phase == PH_ITER) {          /* LIST or UIDL listing */
        s->iter = s->msgno;
        if (a->result == POP3_R_NO_MESSAGE)
            return;                     /* vanished meanwhile: leave it out */
        if (a->result != POP3_R_OK) {
            fail(s, POP3_E_BACKEND, "msg_info failed in the middle of a listing");
            return;
        }
        if (c->id == POP3__CMD_LIST) {
            char num[20];
            size_t k = sizeof num;
            uint64_t v = a->size;
            do {
                num[--k] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            body_line(s, s->msgno, num + k, sizeof num - k);
        } else {
            if (uid_text(s, a, buf, &uid, &uid_len) != 0) {
                fail(s, POP3_E_BACKEND, "invalid unique id in the middle of a listing");
                return;
            }
            body_line(s, s->msgno, uid, uid_len);
        }
        return;
    }

    /* Single-message commands. */
    if (a->result == POP3_R_NO_MESSAGE) {
        reply(s, 0, NULL, "no such message");
        command_done(s);
        return;
    }
    if (a->result != POP3_R_OK) {
        sys_error(s, a->result, "message temporarily unavailable",
                  "message unavailable");
        command_done(s);
        return;
    }
    switch (c->id) {
    case POP3__CMD_LIST: {
        uint32_t m = line_begin(s, 1, NULL);
        put_u64(s, s->msgno);
        put(s, " ", 1);
        put_u64(s, a->size);
        line_end(s, m);
        command_done(s);
        break;
    }
    case POP3__CMD_UIDL: {
        uint32_t m;
        if (uid_text(s, a, buf, &uid, &uid_len) != 0) {
            reply(s, 0, "SYS/TEMP", "invalid unique id from backend");
            command_done(s);
            break;
        }
        m = line_begin(s, 1, NULL);
        put_u64(s, s->msgno);
        put(s, " ", 1);
        put(s, uid, uid_len);
        line_end(s, m);
        command_done(s);
        break;
    }
    case POP3__CMD_DELE: {
        uint32_t n = s->msgno, m;
        s->marks[(n - 1) >> 3] |= (unsigned char)(1u << ((n - 1) & 7));
        s->deleted++;
        s->deleted_octets += a->size;
        s->stats.dele_count++;
        m = line_begin(s, 1, NULL);
        put_str(s, "message ");
        put_u64(s, n);
        put_str(s, " deleted");
        line_end(s, m);
        command_done(s);
        break;
    }
    case POP3__CMD_RETR:
        s->msg_size = a->size;
        s->phase = PH_FIRST_READ;
        break;
    default:
        fail(s, POP3_E_INTERNAL, "msg_info answer without a command");
        break;
    }
}

static int on_read(pop3_session *s, const pop3_chunk *a)
{
    if (s->phase == PH_FIRST_READ) {
        uint32_t m;
        if (a->result != POP3_R_OK) {
            end_read(s);
            if (a->result == POP3_R_NO_MESSAGE)
                reply(s, 0, NULL, "no such message");
            else
                sys_error(s, a->result, "message temporarily unavailable",
                          "message unavailable");
            command_done(s);
            return 0;
        }
        m = line_begin(s, 1, NULL);
        if (s->cmd->id == POP3__CMD_RETR) {
            put_u64(s, s->msg_size);
            put_str(s, " octets");
        } else {
            put_str(s, "top of message follows");
        }
        line_end(s, m);
        s->body_octets = 0;
        if (s->cmd->id == POP3__CMD_RETR) {
            s->stats.retr_count++;
            if (s->msgno > s->last_retr)
                s->last_retr = s->msgno;
        } else {
            s->stats.top_count++;
        }
        pop3_encoder_init(&s->enc, s->cmd->id == POP3__CMD_TOP, s->top_lines,
                          (s->cfg.flags & POP3_CFG_TOP_ADD_BLANK) != 0);
        s->phase = PH_STREAM;
    } else if (a->result != POP3_R_OK) {
        /* Past the +OK nothing can be said on the wire (NEEDS_UTF8 too
         * late is a failure like any other): close without
         * the terminator so no client mistakes this for a whole message. */
        return fail(s, POP3_E_BACKEND, "msg_read failed in the middle of a message");
    }
    s->chunk = a->data;
    s->chunk_len = a->len;
    s->chunk_eof = a->len == 0;
    s->read_offset += a->len;
    return 0;
}

static void on_commit(pop3_session *s, int result)
{
    if (result == POP3_R_OK) {
        uint32_t m = line_begin(s, 1, NULL);
        put_str(s, "bye, ");
        put_count(s, s->deleted, "message");
        put_str(s, " deleted");
        line_end(s, m);
    } else {
        sys_error(s, result, "could not delete messages",
                  "could not delete messages");
    }
    close_maildrop(s, result == POP3_R_OK);
    close_session(s, POP3_CLOSE_QUIT);
}

/* ------------------------------------------------------------------------
 * CAPA (RFC 2449 §5): one table, so no tag can be misprinted
 * ---------------------------------------------------------------------- */

static size_t put_num_tag(char *b, const char *tag, int32_t v, int never_ok,
                          int user)
{
    size_t n = strlen(tag);
    memcpy(b, tag, n);
    b[n++] = ' ';
    if (never_ok && v == POP3_EXPIRE_NEVER) {
        memcpy(b + n, "NEVER", 5);
        n += 5;
    } else {
        char t[12];
        size_t k = sizeof t;
        uint32_t u = (uint32_t)v;
        do {
            t[--k] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        memcpy(b + n, t + k, sizeof t - k);
        n += sizeof t - k;
    }
    if (user) {
        memcpy(b + n, " USER", 5);
        n += 5;
    }
    return n;
}

enum { CAPA_TOP, CAPA_UIDL, CAPA_USER, CAPA_SASL, CAPA_RESP_CODES, CAPA_AUTH_RESP_CODE,
       CAPA_PIPELINING, CAPA_LOGIN_DELAY, CAPA_EXPIRE, CAPA_IMPLEMENTATION,
       CAPA_STLS, CAPA_UTF8, CAPA_LANG, CAPA_END };

/* Line for tag `i` into b; returns its length, 0 to leave it out. */
static size_t list_mechs(const pop3_session *s, char *b, const char *sep);

static size_t capa_line(const pop3_session *s, int i, char *b)
{
    int auth = s->state == POP3_STATE_AUTHORIZATION;
    switch (i) {
    case CAPA_TOP: memcpy(b, "TOP", 3); return 3;
    case CAPA_UIDL: memcpy(b, "UIDL", 4); return 4;
    case CAPA_USER:
        if (!auth || !plaintext_allowed(s))
            return 0;
        memcpy(b, "USER", 4);
        return 4;
    case CAPA_SASL: {
        size_t n;
        if (!auth)
            return 0;
        n = list_mechs(s, b + 4, " ");
        if (!n)
            return 0;
        memcpy(b, "SASL", 4);
        return 4 + n;
    }
    case CAPA_RESP_CODES:
        if (!resp_codes(s))
            return 0;
        memcpy(b, "RESP-CODES", 10);
        return 10;
    case CAPA_AUTH_RESP_CODE:
        if (!resp_codes(s))
            return 0;
        memcpy(b, "AUTH-RESP-CODE", 14);
        return 14;
    case CAPA_PIPELINING:
        if (s->cfg.flags & POP3_CFG_NO_PIPELINING)
            return 0;
        memcpy(b, "PIPELINING", 10);
        return 10;
    case CAPA_LOGIN_DELAY: {
        int32_t v = s->cfg.login_delay;
        if (!auth && s->user_login_delay != POP3_NOT_ADVERTISED)
            v = s->user_login_delay;
        if (v < 0)
            return 0;
        return put_num_tag(b, "LOGIN-DELAY", v, 0,
                           auth && s->cfg.login_delay_per_user);
    }
    case CAPA_EXPIRE: {
        int32_t v = s->cfg.expire;
        if (!auth && s->user_expire != POP3_NOT_ADVERTISED)
            v = s->user_expire;
        if (v == POP3_NOT_ADVERTISED)
            return 0;
        return put_num_tag(b, "EXPIRE", v, 1, auth && s->cfg.expire_per_user);
    }
    case CAPA_IMPLEMENTATION:
        if (!s->cfg.implementation)
            return 0;
        memcpy(b, "IMPLEMENTATION ", 15);
        memcpy(b + 15, s->cfg.implementation, strlen(s->cfg.implementation));
        return 15 + strlen(s->cfg.implementation);
    case CAPA_STLS:
        if (!auth || !stls_offered(s))
            return 0;
        memcpy(b, "STLS", 4);
        return 4;
    case CAPA_UTF8:
        if (!(s->cfg.flags & POP3_CFG_UTF8))
            return 0;
        if (s->cfg.flags & POP3_CFG_UTF8_USER) {
            memcpy(b, "UTF8 USER", 9);
            return 9;
        }
        memcpy(b, "UTF8", 4);
        return 4;
    case CAPA_LANG:
        if (!(s->cfg.flags & POP3_CFG_LANG))
            return 0;
        memcpy(b, "LANG", 4);
        return 4;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------
 * Steps of commands in progress.  Return 1 to keep going, 0 when blocked
 * (output full, request pending, reply held), negative when fatal.
 * ---------------------------------------------------------------------- */

static int step_capa(pop3_session *s)
{
    char b[ROOM_CAPA_LINE];
    for (;;) {
        int i = (int)s->iter;
        size_t n;
        if (out_room(s) < ROOM_CAPA_LINE)
            return 0;
        if (i == CAPA_END) {
            body_end(s);
            command_done(s);
            return 1;
        }
        n = capa_line(s, i, b);
        if (n) {
            put(s, b, n);
            put(s, "\r\n", 2);
            s->body_octets += n + 2;
        }
        s->iter++;
    }
}

static int step_iter(pop3_session *s)
{
    for (;;) {
        uint32_t n;
        int r;
        if (out_room(s) < ROOM_LIST_LINE)
            return 0;
        n = next_undeleted(s, s->iter);
        if (n == 0) {
            body_end(s);
            command_done(s);
            return 1;
        }
        r = ask_info(s, n, s->cmd->id == POP3__CMD_LIST ? POP3_WANT_SIZE
                                                         : POP3_WANT_UID);
        if (r <= 0)
            return r;
    }
}

/* Old Outlook hangs on NUL: the octet becomes 0x80 (as Dovecot's
 * outlook-no-nuls does).  Only the encoder's fresh output is touched. */
static void map_nul(unsigned char *p, size_t n)
{
    unsigned char *end = p + n;
    while ((p = memchr(p, 0, (size_t)(end - p))) != NULL)
        *p++ = 0x80;
}

static uint64_t *body_counter(pop3_session *s)
{
    return s->cmd->id == POP3__CMD_RETR ? &s->stats.retr_octets
                                        : &s->stats.top_octets;
}

static int step_stream(pop3_session *s)
{
    for (;;) {
        if (s->phase == PH_STREAM) {
            if (s->chunk_len) {
                size_t used = 0, room = out_room(s), w;
                if (room < ROOM_ENCODE)
                    return 0;
                w = pop3_encoder_encode(&s->enc, s->chunk, s->chunk_len, &used,
                                        s->out + s->out_tail, room);
                if (s->cfg.flags & POP3_CFG_MAP_NUL)
                    map_nul(s->out + s->out_tail, w);
                s->out_tail += (uint32_t)w;
                s->body_octets += w;
                *body_counter(s) += w;
                s->chunk += used;
                s->chunk_len -= used;
                if (pop3_encoder_done(&s->enc))
                    s->phase = PH_FINISH;
                continue;
            }
            if (s->chunk_eof || pop3_encoder_done(&s->enc)) {
                s->phase = PH_FINISH;
                continue;
            }
            {
                int r = ask_read(s);
                if (r <= 0)
                    return r;
            }
            continue;
        }
        /* PH_FINISH */
        while (!pop3_encoder_finished(&s->enc)) {
            size_t w;
            if (out_room(s) < ROOM_FINISH)
                return 0;
            w = pop3_encoder_finish(&s->enc, s->out + s->out_tail, out_room(s));
            s->out_tail += (uint32_t)w;
            s->body_octets += w;
            *body_counter(s) += w;
        }
        end_read(s);
        trace_simple(s, POP3_EV_BODY, 0, s->msgno, s->body_octets);
        command_done(s);
        return 1;
    }
}

static int ask_sasl(pop3_session *s);

static int step(pop3_session *s)
{
    switch (s->phase) {
    case PH_AUTH:
        return ask_auth(s);
    case PH_OPEN:
        return ask_open(s);
    case PH_HELD:
        return 0;                       /* tick releases it */
    case PH_INFO:
        return ask_info(s, s->msgno,
                        s->cmd->id == POP3__CMD_UIDL ? POP3_WANT_UID : POP3_WANT_SIZE);
    case PH_ITER:
        return step_iter(s);
    case PH_FIRST_READ:
        s->read_offset = 0;
        return ask_read(s);
    case PH_STREAM:
    case PH_FINISH:
        return step_stream(s);
    case PH_CAPA:
        return step_capa(s);
    case PH_SASL_STEP:
        if (s->out_tail != s->out_head)
            return 0;                   /* the whole window for a challenge */
        s->out_head = s->out_tail = 0;  /* empty: no pointer is in flight */
        return ask_sasl(s);
    case PH_COMMIT:
        return ask_commit(s);
    default:
        return fail(s, POP3_E_INTERNAL, "unknown phase");
    }
}

/* ------------------------------------------------------------------------
 * Dispatch of one parsed command line
 * ---------------------------------------------------------------------- */

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Well-formed UTF-8 (RFC 3629): no overlongs, no surrogates. */
static int valid_utf8(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i], need, min;
        uint32_t v;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1; min = 0x80; v = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2; min = 0x800; v = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3; min = 0x10000; v = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= need)
            return 0;
        for (unsigned k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            v = (v << 6) | (p[i + k] & 0x3F);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* RFC 6856: a user name with 8-bit octets needs UTF8 mode (and the host's
 * consent, POP3_CFG_UTF8_USER) and must be UTF-8.  Answers itself and
 * returns 0 when refused. */
static int user_name_ok(pop3_session *s, const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n && (unsigned char)p[i] < 0x80; i++)
        ;
    if (i == n)
        return 1;
    if (!s->utf8 || !(s->cfg.flags & POP3_CFG_UTF8_USER)) {
        reply(s, 0, "UTF8", "UTF-8 user names need the UTF8 command");
        return 0;
    }
    if (!valid_utf8((const unsigned char *)p, n)) {
        reply(s, 0, NULL, "user name is not valid UTF-8");
        return 0;
    }
    return 1;
}

static void copy_user(pop3_session *s, const char *p, size_t n)
{
    memcpy(s->user, p, n);              /* n <= 40 characters <= 160 octets */
    s->user[n] = '\0';
    s->user_len = n;
    s->have_user = 1;
}

static void trace_command(pop3_session *s, const pop3__command *c)
{
    pop3_event ev;
    char redacted[MAX_USER_OCTETS + 8];
    if (!s->cb.trace)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = POP3_EV_COMMAND;
    ev.verb = c->verb[0] ? c->verb : "?";
    ev.args = c->args_len ? c->args : NULL;
    ev.args_len = c->args_len;
    if (c->def && c->def->id == POP3__CMD_PASS && c->args_len) {
        ev.args = "***";
        ev.args_len = 3;
        ev.redacted = 1;
    } else if (c->def && c->def->id == POP3__CMD_APOP && c->args_len) {
        /* Only the name, and only when a digest follows it. */
        const char *sp = memchr(c->args, ' ', c->args_len);
        size_t n = sp ? (size_t)(sp - c->args) : 0;
        if (n > MAX_USER_OCTETS)
            n = MAX_USER_OCTETS;
        memcpy(redacted, c->args, n);
        memcpy(redacted + n, n ? " ***" : "***", n ? 5 : 4);
        ev.args = redacted;
        ev.args_len = n + (n ? 4 : 3);
        ev.redacted = 1;
    } else if (c->def && c->def->id == POP3__CMD_AUTH && c->argc == 2) {
        size_t n = c->argl[0] < MAX_USER_OCTETS ? c->argl[0] : MAX_USER_OCTETS;
        memcpy(redacted, c->argv[0], n);
        memcpy(redacted + n, " ***", 5);
        ev.args = redacted;
        ev.args_len = n + 4;
        ev.redacted = 1;
    } else if (!c->def && c->args_len) {
        /* An unknown line may be a password typed in the wrong place. */
        ev.args = "***";
        ev.args_len = 3;
        ev.redacted = 1;
    }
    trace(s, &ev);
}

static void dispatch_auth(pop3_session *s, const pop3__command *c);
static int same_name(const char *a, size_t an, const char *b, size_t bn);

static void dispatch(pop3_session *s, char *line, size_t len)
{
    pop3__command c;
    const pop3__cmd_def *d;

    pop3__parse_command(line, len, s->cfg.flags, &c);
    trace_command(s, &c);

    if (c.status == POP3__PARSE_BADCHAR) {
        bad_command(s, "invalid character in command", NULL);
        return;
    }
    d = c.def;
    if (!d || (d->id == POP3__CMD_LAST && !(s->cfg.flags & POP3_CFG_ENABLE_LAST)) ||
        (d->id == POP3__CMD_UTF8 && !(s->cfg.flags & POP3_CFG_UTF8)) ||
        (d->id == POP3__CMD_LANG && !(s->cfg.flags & POP3_CFG_LANG))) {
        bad_command(s, "unknown command", NULL);
        return;
    }
    if (d->id != POP3__CMD_PASS && s->have_user &&
        s->state == POP3_STATE_AUTHORIZATION)
        forget_user(s);                 /* PASS must follow USER at once */
    if (!(d->states & (1u << s->state)) ||
        (d->id == POP3__CMD_UTF8 && s->state == POP3_STATE_TRANSACTION &&
         !(s->cfg.flags & POP3_CFG_UTF8_IN_TRANSACTION))) {
        bad_command(s, "command not valid in this state", NULL);
        return;
    }
    if (c.status == POP3__PARSE_USAGE) {
        bad_command(s, "usage: ", d->usage);
        return;
    }
    if (c.status == POP3__PARSE_ARG_TOO_LONG) {
        bad_command(s, "argument too long", NULL);
        return;
    }

    s->cmd = d;
    s->body_octets = 0;
    switch (d->id) {
    case POP3__CMD_USER:
        command_done(s);
        if (!plaintext_allowed(s)) {
            reply(s, 0, NULL, "plaintext login not allowed on this channel");
            return;
        }
        if (!user_name_ok(s, c.argv[0], c.argl[0]))
            return;
        copy_user(s, c.argv[0], c.argl[0]);
        reply(s, 1, NULL, "send PASS");
        return;

    case POP3__CMD_PASS:
        if (!plaintext_allowed(s)) {
            forget_user(s);
            pop3__wipe(line, len);
            command_done(s);
            reply(s, 0, NULL, "plaintext login not allowed on this channel");
            return;
        }
        if (!s->have_user) {
            pop3__wipe(line, len);
            command_done(s);
            bad_command(s, "send USER first", NULL);
            return;
        }
        s->pass = (char *)c.argv[0];    /* NUL-terminated in place */
        s->pass_len = c.argl[0];
        s->pinned = 1;                  /* the input buffer holds it */
        s->auth_kind = POP3_AUTH_PASS;
        set_auth_mech(s, "USER");
        s->phase = PH_AUTH;
        return;

    case POP3__CMD_APOP: {
        size_t i;
        if (!s->timestamp[0]) {
            command_done(s);
            bad_command(s, "APOP not available", NULL);
            return;
        }
        if (c.argl[1] != 32) {
            command_done(s);
            bad_command(s, "invalid APOP digest", NULL);
            return;
        }
        for (i = 0; i < 32; i++) {
            unsigned char h = (unsigned char)c.argv[1][i];
            if (!is_hex(h)) {
                command_done(s);
                bad_command(s, "invalid APOP digest", NULL);
                return;
            }
            s->digest[i] = (char)((h >= 'A' && h <= 'F') ? h - 'A' + 'a' : h);
        }
        s->digest[32] = '\0';
        if (!user_name_ok(s, c.argv[0], c.argl[0])) {
            pop3__wipe(s->digest, sizeof s->digest);
            pop3__wipe(line, len);
            command_done(s);
            return;
        }
        copy_user(s, c.argv[0], c.argl[0]);
        pop3__wipe(line, len);          /* the digest leaves the buffer */
        s->auth_kind = POP3_AUTH_APOP;
        set_auth_mech(s, "APOP");
        s->phase = PH_AUTH;
        return;
    }

    case POP3__CMD_QUIT:
        if (s->state == POP3_STATE_AUTHORIZATION) {
            command_done(s);
            reply(s, 1, NULL, "bye");
            close_session(s, POP3_CLOSE_QUIT);
            return;
        }
        if (set_state(s, POP3_STATE_UPDATE) != 0) {
            fail(s, POP3_E_INTERNAL, "illegal transition to UPDATE");
            return;
        }
        s->phase = PH_COMMIT;
        return;

    case POP3__CMD_CAPA:
        reply(s, 1, NULL, "capability list follows");
        s->phase = PH_CAPA;
        s->iter = 0;
        return;

    case POP3__CMD_STAT: {
        uint32_t m = line_begin(s, 1, NULL);
        put_u64(s, s->count - s->deleted);
        put(s, " ", 1);
        put_u64(s, s->octets >= s->deleted_octets ? s->octets - s->deleted_octets : 0);
        line_end(s, m);
        command_done(s);
        return;
    }

    case POP3__CMD_LIST:
    case POP3__CMD_UIDL:
        if (c.argc == 0) {
            if (d->id == POP3__CMD_LIST) {
                uint32_t m = line_begin(s, 1, NULL);
                put_drop_size(s);
                line_end(s, m);
            } else {
                reply(s, 1, NULL, "unique-id listing follows");
            }
            s->phase = PH_ITER;
            s->iter = 0;
            return;
        }
        /* fall through */
    case POP3__CMD_RETR:
    case POP3__CMD_DELE:
        command_done(s);
        s->msgno = check_msgno(s, c.argv[0], c.argl[0]);
        if (s->msgno) {
            s->cmd = d;
            s->phase = PH_INFO;
        }
        return;

    case POP3__CMD_TOP: {
        uint64_t k;
        uint32_t n;
        int r;
        command_done(s);
        /* Syntax of both arguments before the range of the first. */
        r = pop3__parse_number(c.argv[0], c.argl[0], &k);
        if (r == 0 && pop3__parse_number(c.argv[1], c.argl[1], &k) != 0) {
            bad_command(s, "invalid line count", NULL);
            return;
        }
        n = check_msgno(s, c.argv[0], c.argl[0]);
        if (!n)
            return;
        s->cmd = d;
        s->msgno = n;
        s->top_lines = k;
        s->phase = PH_FIRST_READ;
        return;
    }

    case POP3__CMD_NOOP:
        command_done(s);
        reply(s, 1, NULL, "noop");
        return;

    case POP3__CMD_RSET:
        if (s->marks)
            memset(s->marks, 0, s->marks_size);
        s->deleted = 0;
        s->deleted_octets = 0;
        s->last_retr = 0;
        command_done(s);
        reply_maildrop(s);
        return;

    case POP3__CMD_AUTH:
        dispatch_auth(s, &c);
        return;

    case POP3__CMD_UTF8:
        command_done(s);
        s->utf8 = 1;
        reply(s, 1, NULL, "UTF8 enabled");
        return;

    case POP3__CMD_LANG:
        command_done(s);
        if (c.argc == 0) {
            reply(s, 1, NULL, "language listing follows");
            put_str(s, "en English\r\n");
            s->body_octets += 12;
            body_end(s);
        } else if (same_name(c.argv[0], c.argl[0], "en", 2) ||
                   same_name(c.argv[0], c.argl[0], "*", 1)) {
            reply(s, 1, NULL, "en English");
        } else {
            reply(s, 0, NULL, "invalid language");
        }
        return;

    case POP3__CMD_STLS: {
        uint32_t left;
        command_done(s);
        if (!stls_offered(s)) {
            bad_command(s, s->conn_flags & POP3_CONN_TLS_ACTIVE
                               ? "TLS already active" : "STLS not available",
                        NULL);
            return;
        }
        reply(s, 1, NULL, "begin TLS negotiation");
        /* RFC 2595 §4 / CVE-2011-0411: nothing sent before the handshake
         * may be executed after it. */
        left = s->in_end - s->in_start;
        if (left) {
            pop3__wipe(s->in + s->in_start, left);
            s->stats.discarded_octets += left;
            trace_simple(s, POP3_EV_DISCARD, 0, 0, left);
        }
        s->in_start = s->in_end = 0;
        s->discarding = 0;
        s->tls_wait = 1;
        return;
    }

    case POP3__CMD_LAST: {
        uint32_t m = line_begin(s, 1, NULL);
        put_u64(s, s->last_retr);
        line_end(s, m);
        command_done(s);
        return;
    }
    default:
        fail(s, POP3_E_INTERNAL, "command without a handler");
        return;
    }
}

/* ------------------------------------------------------------------------
 * SASL (RFC 5034): the AUTH command and its exchanges
 * ---------------------------------------------------------------------- */

enum mech {
    M_NONE = 0, M_PLAIN, M_LOGIN, M_CRAM_MD5, M_SCRAM_SHA_1, M_SCRAM_SHA_256,
    M_OAUTHBEARER, M_XOAUTH2, M_EXTERNAL, M_HOST
};

static const struct mech_def {
    const char *name;
    unsigned bit;
    unsigned char cleartext;    /* a reusable credential crosses the wire */
} mech_defs[] = {
    {"", 0, 0},
    {"PLAIN", POP3_SASL_PLAIN, 1},
    {"LOGIN", POP3_SASL_LOGIN, 1},
    {"CRAM-MD5", POP3_SASL_CRAM_MD5, 0},
    {"SCRAM-SHA-1", POP3_SASL_SCRAM_SHA_1, 0},
    {"SCRAM-SHA-256", POP3_SASL_SCRAM_SHA_256, 0},
    {"OAUTHBEARER", POP3_SASL_OAUTHBEARER, 1},
    {"XOAUTH2", POP3_SASL_XOAUTH2, 1},
    {"EXTERNAL", POP3_SASL_EXTERNAL, 0},
};
#define BUILTIN_MECHS (sizeof mech_defs / sizeof mech_defs[0])

static const char *mech_name(const pop3_session *s)
{
    if (s->mech == M_HOST)
        return s->scratch;              /* NUL-terminated copy */
    return mech_defs[s->mech].name;
}

static int mech_usable(const pop3_session *s, unsigned m)
{
    return (s->cfg.sasl_mechs & mech_defs[m].bit) &&
           (!mech_defs[m].cleartext || plaintext_allowed(s));
}

static int same_name(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'a' && x <= 'z')
            x = (unsigned char)(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z')
            y = (unsigned char)(y - 'a' + 'A');
        if (x != y)
            return 0;
    }
    return 1;
}

/* Next name in the host's space-separated list, from *pos. */
static int next_host_mech(const pop3_session *s, size_t *pos, const char **name,
                          size_t *len)
{
    const char *h = s->cfg.host_mechs;
    size_t i = *pos;
    if (!h || !(s->cfg.sasl_mechs & POP3_SASL_HOST))
        return 0;
    while (h[i] == ' ')
        i++;
    if (!h[i])
        return 0;
    *name = h + i;
    while (h[i] && h[i] != ' ')
        i++;
    *len = (size_t)(h + i - *name);
    *pos = i;
    return 1;
}

/* The names offered now, separated by sep, into b; returns the length. */
static size_t list_mechs(const pop3_session *s, char *b, const char *sep)
{
    size_t n = 0, k = strlen(sep), pos = 0, len;
    const char *name;
    for (unsigned m = 1; m < BUILTIN_MECHS; m++) {
        if (!mech_usable(s, m))
            continue;
        memcpy(b + n, sep, k);
        n += k;
        memcpy(b + n, mech_defs[m].name, strlen(mech_defs[m].name));
        n += strlen(mech_defs[m].name);
    }
    while (next_host_mech(s, &pos, &name, &len)) {
        memcpy(b + n, sep, k);
        n += k;
        memcpy(b + n, name, len);
        n += len;
    }
    return n;
}

static void send_challenge(pop3_session *s, const void *data, size_t len)
{
    uint32_t m = s->out_tail;
    put(s, "+ ", 2);
    s->out_tail += (uint32_t)pop3__base64_encode(data, len,
                                                 (char *)s->out + s->out_tail);
    line_end(s, m);
    s->phase = PH_SASL_WAIT;
}

static void end_sasl(pop3_session *s)
{
    if (!s->mech && !s->authzid_len && !s->cfb_len && !s->chal_len)
        return;
    s->mech = M_NONE;
    s->mech_step = 0;
    s->scram_fake = 0;
    s->bearer_failed = 0;
    s->host_step = 0;
    s->cfb_len = s->gs2_len = s->sf_len = s->chal_len = 0;
    s->cnonce_off = s->cnonce_len = 0;
    pop3__wipe(s->scratch, sizeof s->scratch);
    pop3__wipe(s->stored_key, sizeof s->stored_key);
    pop3__wipe(s->server_key, sizeof s->server_key);
    pop3__wipe(s->authzid, sizeof s->authzid);
    s->authzid_len = 0;
}

/* A failed exchange counts as a failed login (delay, limit). */
static void sasl_fail(pop3_session *s)
{
    wipe_password(s);
    end_sasl(s);
    auth_failed(s);
}

/* The client answered a bearer error challenge: the refusal, already
 * counted, is now answered. */
static void bearer_refused(pop3_session *s)
{
    wipe_password(s);
    end_sasl(s);
    answer_auth_failure(s);
}

/* Decide who logged in: the host's word, else the authorization identity,
 * else the authentication identity.  0 when there is nobody. */
static int login_identity(pop3_session *s, const char *login_user)
{
    if (login_user) {
        size_t n = strlen(login_user);
        if (n == 0 || n > MAX_USER_OCTETS)
            return 0;
        copy_user(s, login_user, n);
    } else if (s->authzid_len) {
        copy_user(s, s->authzid, s->authzid_len);
    }
    return s->have_user && s->user_len > 0;
}

static int authzid_allowed(const pop3_session *s, const char *z, size_t zn,
                           const char *c, size_t cn)
{
    return zn == 0 || (zn == cn && memcmp(z, c, zn) == 0) ||
           (s->cfg.flags & POP3_CFG_ALLOW_AUTHZID);
}

static int no_controls(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7F)
            return 0;
    return 1;
}

static int get_random(pop3_session *s, void *buf, size_t n)
{
    int r;
    s->in_cb++;
    r = s->cb.random(s->user_data, buf, n);
    s->in_cb--;
    if (r != 0) {
        fail(s, POP3_E_CALLBACK, "random callback failed");
        return -1;
    }
    return 0;
}

static pop3__hash_kind scram_hash(const pop3_session *s)
{
    return s->mech == M_SCRAM_SHA_1 ? POP3__HASH_SHA1 : POP3__HASH_SHA256;
}

static void put_dec(char *b, size_t *n, uint32_t v)
{
    char t[10];
    size_t k = sizeof t;
    do {
        t[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(b + *n, t + k, sizeof t - k);
    *n += sizeof t - k;
}

/* The host's SCRAM answer: keys (given or derived), then server-first. */
static void scram_credentials(pop3_session *s, const pop3_auth_answer *a)
{
    pop3__hash_kind k = scram_hash(s);
    size_t h = pop3__hash_len(k), n;
    unsigned char salt[MAX_SALT], rnd[SNONCE_LEN];
    size_t salt_len = 16;
    uint32_t iter = 4096;
    char *sf;

    if (a->result == POP3_R_SCRAM || a->result == POP3_R_SECRET) {
        if (!a->salt || a->salt_len == 0 || a->salt_len > MAX_SALT ||
            a->iterations == 0 || a->iterations > MAX_ITERATIONS ||
            (a->result == POP3_R_SCRAM && (!a->stored_key || !a->server_key)) ||
            (a->result == POP3_R_SECRET && !a->secret && a->secret_len)) {
            fail(s, POP3_E_CALLBACK, "authenticate gave invalid SCRAM credentials");
            return;
        }
        salt_len = a->salt_len;
        memcpy(salt, a->salt, salt_len);
        iter = a->iterations;
        if (a->result == POP3_R_SCRAM) {
            memcpy(s->stored_key, a->stored_key, h);
            memcpy(s->server_key, a->server_key, h);
        } else if (pop3__scram_keys(k, a->secret, a->secret_len, salt, salt_len,
                                    iter, s->stored_key, s->server_key) != 0) {
            fail(s, POP3_E_INTERNAL, "SCRAM key derivation failed");
            return;
        }
        if (a->login_user && !login_identity(s, a->login_user))
            s->scram_fake = 1;
    } else {
        /* Unknown user: carry on with made-up values, fail at the end.  A
         * salt and count from the host (stable per name) hide even that
         * the user is unknown; else they are random. */
        if (a->salt && a->salt_len > 0 && a->salt_len <= MAX_SALT &&
            a->iterations > 0 && a->iterations <= MAX_ITERATIONS) {
            salt_len = a->salt_len;
            memcpy(salt, a->salt, salt_len);
            iter = a->iterations;
        } else if (get_random(s, salt, salt_len) != 0) {
            return;
        }
        if (get_random(s, s->stored_key, h) != 0 ||
            get_random(s, s->server_key, h) != 0)
            return;
        s->scram_fake = 1;
    }
    if (get_random(s, rnd, sizeof rnd) != 0)
        return;

    sf = s->scratch + s->cfb_len + s->gs2_len;
    {
        char snonce[SNONCE_LEN];
        pop3__span c = {s->scratch + s->cnonce_off, s->cnonce_len};
        pop3__span r = {snonce, sizeof snonce};
        pop3__nonce_chars(rnd, sizeof rnd, snonce);
        n = pop3__scram_server_first(c, r, salt, salt_len, iter, sf);
    }
    s->sf_len = (uint16_t)n;
    pop3__wipe(salt, sizeof salt);
    s->mech_step = 2;
    send_challenge(s, sf, n);
}

/* Client data for the current mechanism and step.  data may be written
 * (it lives in the input buffer); has = 0 when no initial response. */
static void sasl_input(pop3_session *s, int has, unsigned char *data, size_t n)
{
    switch (s->mech) {
    case M_PLAIN: {
        pop3__span z, c, p;
        if (!has) {
            send_challenge(s, NULL, 0);
            return;
        }
        if (pop3__sasl_plain_parse((const char *)data, n, &z, &c, &p) != 0 ||
            c.n > MAX_USER_OCTETS || z.n > MAX_USER_OCTETS ||
            !authzid_allowed(s, z.p, z.n, c.p, c.n)) {
            sasl_fail(s);
            return;
        }
        copy_user(s, c.p, c.n);
        memcpy(s->authzid, z.p, z.n);
        s->authzid[z.n] = '\0';
        s->authzid_len = z.n;
        s->pass = (char *)p.p;
        s->pass_len = p.n;
        s->pass[p.n] = '\0';            /* inside the encoded span */
        s->pinned = 1;
        s->auth_kind = POP3_AUTH_PASS;
        s->phase = PH_AUTH;
        return;
    }
    case M_LOGIN:
        if (s->mech_step == 0) {
            if (!has) {
                send_challenge(s, "Username:", 9);
                return;
            }
            if (n == 0 || n > MAX_USER_OCTETS || !no_controls(data, n)) {
                sasl_fail(s);
                return;
            }
            copy_user(s, (const char *)data, n);
            s->mech_step = 1;
            send_challenge(s, "Password:", 9);
            return;
        }
        if (n == 0 || memchr(data, 0, n)) {
            sasl_fail(s);
            return;
        }
        s->pass = (char *)data;
        s->pass_len = n;
        s->pass[n] = '\0';
        s->pinned = 1;
        s->auth_kind = POP3_AUTH_PASS;
        s->phase = PH_AUTH;
        return;

    case M_CRAM_MD5:
        if (s->mech_step == 0) {
            unsigned char rnd[20];
            size_t k = 0;
            if (has) {                  /* server-first: no initial response */
                sasl_fail(s);
                return;
            }
            if (get_random(s, rnd, sizeof rnd) != 0)
                return;
            s->scratch[k++] = '<';
            pop3__nonce_chars(rnd, sizeof rnd, s->scratch + k);
            k += sizeof rnd;
            s->scratch[k++] = '.';
            put_dec(s->scratch, &k, (uint32_t)(s->now % 1000000000u));
            s->scratch[k++] = '@';
            memcpy(s->scratch + k, s->cfg.hostname, strlen(s->cfg.hostname));
            k += strlen(s->cfg.hostname);
            s->scratch[k++] = '>';
            s->scratch[k] = '\0';
            s->chal_len = (uint16_t)k;
            s->mech_step = 1;
            send_challenge(s, s->scratch, k);
            return;
        } else {
            const unsigned char *sp = NULL;
            for (size_t i = n; i > 0; i--)
                if (data[i - 1] == ' ') {
                    sp = data + i - 1;
                    break;
                }
            if (!sp || sp == data || (size_t)(data + n - sp - 1) != 32 ||
                (size_t)(sp - data) > MAX_USER_OCTETS ||
                !no_controls(data, (size_t)(sp - data))) {
                sasl_fail(s);
                return;
            }
            for (size_t i = 0; i < 32; i++) {
                unsigned char h = sp[1 + i];
                if (!is_hex(h)) {
                    sasl_fail(s);
                    return;
                }
                s->digest[i] = (char)((h >= 'A' && h <= 'F') ? h - 'A' + 'a' : h);
            }
            s->digest[32] = '\0';
            copy_user(s, (const char *)data, (size_t)(sp - data));
            s->auth_kind = POP3_AUTH_CRAM_MD5;
            s->phase = PH_AUTH;
            return;
        }

    case M_SCRAM_SHA_1:
    case M_SCRAM_SHA_256:
        if (s->mech_step == 0) {
            pop3__scram_first f;
            char user[MAX_USER_OCTETS];
            long un, zn;
            if (!has) {
                send_challenge(s, NULL, 0);
                return;
            }
            if (pop3__scram_parse_first((const char *)data, n, &f) != 0 ||
                f.bare.n > MAX_CFB || f.gs2.n > MAX_GS2 || f.cnonce.n > 128 ||
                (un = pop3__saslname_decode(f.user.p, f.user.n, user, sizeof user)) <= 0 ||
                (zn = pop3__saslname_decode(f.authzid.p, f.authzid.n, s->authzid,
                                            MAX_USER_OCTETS)) < 0 ||
                !authzid_allowed(s, s->authzid, (size_t)zn, user, (size_t)un)) {
                pop3__wipe(s->authzid, sizeof s->authzid);
                sasl_fail(s);
                return;
            }
            s->authzid[zn] = '\0';
            s->authzid_len = (size_t)zn;
            copy_user(s, user, (size_t)un);
            memcpy(s->scratch, f.bare.p, f.bare.n);
            s->cfb_len = (uint16_t)f.bare.n;
            memcpy(s->scratch + f.bare.n, f.gs2.p, f.gs2.n);
            s->gs2_len = (uint16_t)f.gs2.n;
            s->cnonce_off = (uint16_t)(f.cnonce.p - f.bare.p);
            s->cnonce_len = (uint16_t)f.cnonce.n;
            s->mech_step = 1;
            s->auth_kind = POP3_AUTH_SCRAM;
            s->phase = PH_AUTH;
            return;
        }
        if (s->mech_step == 2) {
            pop3__scram_final f;
            unsigned char proof[POP3__HASH_MAX_LEN + 3], gs2[MAX_GS2],
                sig[POP3__HASH_MAX_LEN];
            char v[2 + 44];
            size_t pl = 0, gl = 0, h = pop3__hash_len(scram_hash(s));
            const char *sf = s->scratch + s->cfb_len + s->gs2_len;
            pop3__span bare = {s->scratch, s->cfb_len};
            pop3__span server = {sf, s->sf_len};
            size_t nonce_len = (size_t)(strchr(sf, ',') - sf) - 2;
            int ok;
            if (pop3__scram_parse_final((const char *)data, n, &f) != 0 ||
                pop3__base64_decode(f.cbind.p, f.cbind.n, gs2, sizeof gs2, &gl) != 0 ||
                gl != s->gs2_len ||
                memcmp(gs2, s->scratch + s->cfb_len, gl) != 0 ||
                f.nonce.n != nonce_len || memcmp(f.nonce.p, sf + 2, nonce_len) != 0 ||
                pop3__base64_decode(f.proof.p, f.proof.n, proof, sizeof proof, &pl) != 0) {
                sasl_fail(s);
                return;
            }
            ok = pop3__scram_verify(scram_hash(s), s->stored_key, s->server_key,
                                    bare, server, f.without_proof, proof, pl, sig);
            pop3__wipe(proof, sizeof proof);
            if (!ok || s->scram_fake) {
                sasl_fail(s);
                return;
            }
            memcpy(v, "v=", 2);
            pl = 2 + pop3__base64_encode(sig, h, v + 2);
            s->mech_step = 3;
            send_challenge(s, v, pl);
            return;
        }
        /* step 3: the client's empty acknowledgement of v= */
        if (n != 0) {
            sasl_fail(s);
            return;
        }
        end_sasl(s);
        credentials_accepted(s);
        return;

    case M_OAUTHBEARER:
    case M_XOAUTH2: {
        pop3__span who, token;
        int r;
        if (!has) {
            send_challenge(s, NULL, 0);
            return;
        }
        r = s->mech == M_OAUTHBEARER
                ? pop3__oauthbearer_parse((const char *)data, n, &who, &token)
                : pop3__xoauth2_parse((const char *)data, n, &who, &token);
        if (r != 0 || who.n > MAX_USER_OCTETS) {
            sasl_fail(s);
            return;
        }
        if (s->mech == M_OAUTHBEARER) {
            char user[MAX_USER_OCTETS];
            long un = pop3__saslname_decode(who.p, who.n, user, sizeof user);
            if (un < 0) {
                sasl_fail(s);
                return;
            }
            if (un)
                copy_user(s, user, (size_t)un);
        } else if (who.n) {
            if (!no_controls((const unsigned char *)who.p, who.n)) {
                sasl_fail(s);
                return;
            }
            copy_user(s, who.p, who.n);
        }
        s->pass = (char *)token.p;
        s->pass_len = token.n;
        s->pass[token.n] = '\0';        /* was the 0x01 after it */
        s->pinned = 1;
        s->auth_kind = POP3_AUTH_BEARER;
        s->phase = PH_AUTH;
        return;
    }

    case M_EXTERNAL:
        if (!has) {
            send_challenge(s, NULL, 0);
            return;
        }
        if (n > MAX_USER_OCTETS || !no_controls(data, n)) {
            sasl_fail(s);
            return;
        }
        memcpy(s->authzid, data, n);
        s->authzid[n] = '\0';
        s->authzid_len = n;
        s->auth_kind = POP3_AUTH_EXTERNAL;
        s->phase = PH_AUTH;
        return;

    case M_HOST:
        s->pass = (char *)data;
        s->pass_len = n;
        s->host_has = (unsigned char)has;
        s->pinned = 1;
        s->phase = PH_SASL_STEP;
        return;

    default:
        fail(s, POP3_E_INTERNAL, "AUTH without a mechanism");
        return;
    }
}

/* A line answering a "+ " challenge. */
static void sasl_response(pop3_session *s, char *line, size_t len)
{
    size_t n = 0;
    if (s->bearer_failed) {             /* the dummy reply to our error:
                                           the refusal stands, even as "*" */
        pop3__wipe(line, len);
        bearer_refused(s);
        return;
    }
    if (len == 1 && line[0] == '*') {   /* RFC 5034 §4: the client cancels */
        end_sasl(s);
        forget_user(s);
        command_done(s);
        reply(s, 0, NULL, "authentication cancelled");
        return;
    }
    if (!(len == 1 && line[0] == '=') &&
        pop3__base64_decode(line, len, line, len, &n) != POP3__B64_OK) {
        pop3__wipe(line, len);
        end_sasl(s);
        forget_user(s);
        command_done(s);
        bad_command(s, "invalid base64", NULL);
        return;
    }
    sasl_input(s, 1, (unsigned char *)line, n);
    if (!s->pinned)
        pop3__wipe(line, len);
}

static void dispatch_auth(pop3_session *s, const pop3__command *c)
{
    unsigned m = M_NONE;
    size_t n = 0;
    unsigned char *data = NULL;

    command_done(s);
    if (c->argc == 0) {
        char b[ROOM_STATUS];
        size_t k, start;
        if (!(s->cfg.flags & POP3_CFG_AUTH_LIST)) {
            bad_command(s, "usage: ", c->def->usage);
            return;
        }
        reply(s, 1, NULL, "SASL mechanisms follow");
        k = list_mechs(s, b, "\r\n");
        /* list_mechs starts each name with the separator: drop the first. */
        start = k ? 2 : 0;
        put(s, b + start, k - start);
        if (k)
            put(s, "\r\n", 2);
        s->body_octets += k ? k - start + 2 : 0;
        body_end(s);
        return;
    }
    for (unsigned i = 1; i < BUILTIN_MECHS; i++)
        if ((s->cfg.sasl_mechs & mech_defs[i].bit) &&
            same_name(c->argv[0], c->argl[0], mech_defs[i].name,
                      strlen(mech_defs[i].name)))
            m = i;
    if (!m) {
        size_t pos = 0, len;
        const char *name;
        while (next_host_mech(s, &pos, &name, &len))
            if (len < 64 && same_name(c->argv[0], c->argl[0], name, len)) {
                m = M_HOST;
                memcpy(s->scratch, name, len);
                s->scratch[len] = '\0';
                break;
            }
    }
    if (!m) {
        bad_command(s, "unrecognized authentication mechanism", NULL);
        return;
    }
    if (m != M_HOST && mech_defs[m].cleartext && !plaintext_allowed(s)) {
        reply(s, 0, NULL, "plaintext login not allowed on this channel");
        return;
    }
    if (c->argc == 2) {
        char *ir = (char *)c->argv[1];
        if (!(c->argl[1] == 1 && ir[0] == '=') &&
            pop3__base64_decode(ir, c->argl[1], ir, c->argl[1], &n) != POP3__B64_OK) {
            pop3__wipe(ir, c->argl[1]);
            bad_command(s, "invalid base64", NULL);
            return;
        }
        data = (unsigned char *)ir;
    }
    s->cmd = c->def;
    s->mech = (unsigned char)m;
    s->mech_step = 0;
    set_auth_mech(s, mech_name(s));
    sasl_input(s, c->argc == 2, data, n);
    if (data && !s->pinned)
        pop3__wipe(data, c->argl[1]);
}

static int on_sasl(pop3_session *s, const pop3_sasl_answer *a)
{
    wipe_password(s);
    switch (a->result) {
    case POP3_R_CONTINUE:
        if ((!a->data && a->len) || 4 + pop3__base64_encoded_len(a->len) > out_room(s))
            return fail(s, POP3_E_CALLBACK, "sasl_step challenge too large");
        s->host_step++;
        send_challenge(s, a->data, a->len);
        return 0;
    case POP3_R_OK:
        end_sasl(s);
        if (!login_identity(s, a->login_user)) {
            auth_failed(s);
            return 0;
        }
        credentials_accepted(s);
        return 0;
    case POP3_R_DENIED:
        sasl_fail(s);
        return 0;
    default:
        end_sasl(s);
        forget_user(s);
        sys_error(s, a->result, "authentication temporarily unavailable",
                  "authentication unavailable");
        command_done(s);
        return 0;
    }
}

static int ask_sasl(pop3_session *s)
{
    pop3_sasl_request rq;
    pop3_sasl_answer a;
    int r;
    rq.mechanism = s->scratch;
    rq.step = s->host_step;
    rq.data = (const unsigned char *)s->pass;
    rq.len = s->pass_len;
    rq.has_data = s->host_has;
    memset(&a, 0, sizeof a);
    s->in_cb++;
    r = s->cb.sasl_step(s->user_data, s, &rq, &a);
    s->in_cb--;
    r = answered(s, r, REQ_SASL, "sasl_step");
    if (r == 1) {
        if (!valid_sasl_result(a.result))
            return fail(s, POP3_E_CALLBACK, "sasl_step answered an invalid result");
        r = on_sasl(s, &a);
        return r < 0 ? r : 1;
    }
    return r;
}


/* ------------------------------------------------------------------------
 * Input framing
 * ---------------------------------------------------------------------- */

static int sasl_waiting(const pop3_session *s)
{
    return s->cmd && s->phase == PH_SASL_WAIT;
}

/* The longest line allowed next: AUTH lines (the command with an initial
 * response, and the responses to challenges) have their own limit. */
static size_t line_limit(const pop3_session *s, const unsigned char *p,
                         size_t avail)
{
    if (sasl_waiting(s) ||
        (avail >= 5 && same_name((const char *)p, 4, "AUTH", 4) && p[4] == ' '))
        return s->cfg.max_auth_line;
    return s->cfg.max_line;
}

/* An overlong line: never split, never echoed, answered once. */
/* A malformed line ends an AUTH exchange in progress.  Returns 1 when
 * that already answered the line: a refused bearer token stays a failed
 * login, whatever the client sends after the error challenge. */
static int abandon_sasl(pop3_session *s)
{
    if (!sasl_waiting(s))
        return 0;
    if (s->bearer_failed) {
        bearer_refused(s);
        return 1;
    }
    end_sasl(s);
    forget_user(s);
    command_done(s);
    return 0;
}

static void overlong(pop3_session *s, int at_end)
{
    if (abandon_sasl(s))
        return;
    if (s->cfg.flags & POP3_CFG_CLOSE_ON_LONG_LINE) {
        s->bad_commands++;
        s->stats.bad_commands++;
        reply(s, 0, NULL, "line too long");
        set_error(s, "line too long", NULL);
        close_session(s, POP3_CLOSE_LIMIT);
        return;
    }
    if (at_end)
        bad_command(s, "line too long", NULL);
    else
        s->discarding = 1;              /* answered when its end arrives */
}

/* Take the next complete line and execute it.  Returns 1 if a line was
 * handled (or discarded), 0 if more input is needed. */
static int next_line(pop3_session *s)
{
    unsigned char *start = s->in + s->in_start;
    size_t avail = s->in_end - s->in_start, len, content;
    unsigned char *lf;

    if (avail == 0)
        return 0;
    lf = memchr(start, '\n', avail);

    if (s->discarding) {
        /* The rest of an overlong line: drop it, answer at its end. */
        if (!lf) {
            s->in_start = s->in_end;
            return 0;
        }
        s->in_start += (uint32_t)(lf - start) + 1;
        s->discarding = 0;
        s->stats.commands++;
        s->last_activity = s->now;
        bad_command(s, "line too long", NULL);
        return 1;
    }

    if (!lf) {
        if (avail < line_limit(s, start, avail))
            return 0;
        pop3__wipe(start, avail);       /* may be a long secret */
        s->in_start = s->in_end;
        trace_simple(s, POP3_EV_LIMIT, POP3_LIMIT_LINE_LENGTH, 0, 0);
        overlong(s, 0);
        return !s->discarding;
    }

    len = (size_t)(lf - start) + 1;
    s->in_start += (uint32_t)len;
    s->stats.commands++;
    s->last_activity = s->now;

    if (len > line_limit(s, start, len)) {
        pop3__wipe(start, len);
        trace_simple(s, POP3_EV_LIMIT, POP3_LIMIT_LINE_LENGTH, 0, 0);
        overlong(s, 1);
        return 1;
    }

    content = len - 1;
    if (content && start[content - 1] == '\r') {
        content--;
    } else if (s->cfg.flags & POP3_CFG_STRICT_CRLF) {
        if (!abandon_sasl(s))
            bad_command(s, "line must end with CRLF", NULL);
        return 1;
    }
    start[content] = '\0';              /* arguments become C strings */
    if (sasl_waiting(s))
        sasl_response(s, (char *)start, content);
    else
        dispatch(s, (char *)start, content);
    return 1;
}

/* ------------------------------------------------------------------------
 * The engine loop
 * ---------------------------------------------------------------------- */

static int run(pop3_session *s)
{
    for (;;) {
        if (s->fatal)
            return s->fatal;
        if (s->state == POP3_STATE_CLOSED || s->pending || s->tls_wait)
            return 0;
        if (s->cmd && s->phase != PH_SASL_WAIT) {
            int r = step(s);
            if (r < 0)
                return r;
            if (r == 0)
                return s->fatal;
            continue;
        }
        if (out_room(s) < ROOM_STATUS)
            return 0;
        if (!next_line(s)) {
            if (s->eof) {
                uint32_t left = s->in_end - s->in_start;
                if (left) {
                    s->stats.discarded_octets += left;
                    trace_simple(s, POP3_EV_DISCARD, 0, 0, left);
                }
                s->in_start = s->in_end;
                close_session(s, POP3_CLOSE_EOF);
            }
            return s->fatal;
        }
    }
}

/* ------------------------------------------------------------------------
 * Lifecycle
 * ---------------------------------------------------------------------- */

static void *libc_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void libc_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static int set_err(int *err, int code)
{
    if (err)
        *err = code;
    return code;
}

pop3_session *pop3_session_init(void *mem, size_t mem_size,
                                const pop3_config *cfg,
                                const pop3_callbacks *cb, void *user_data,
                                const pop3_allocator *alloc, int *err)
{
    pop3_session *s;
    pop3_config c;
    pop3_callbacks k;
    struct layout l;

    if (!mem || !cb || ((uintptr_t)mem & (sizeof(void *) - 1)) != 0 ||
        resolve_config(cfg, &c) != 0) {
        set_err(err, POP3_E_INVALID);
        return NULL;
    }
    pop3_callbacks_init(&k);
    if (cb->struct_size < sizeof(size_t)) {
        set_err(err, POP3_E_INVALID);
        return NULL;
    }
    memcpy(&k, cb, cb->struct_size < sizeof k ? cb->struct_size : sizeof k);
    k.struct_size = sizeof k;
    if (!k.authenticate || !k.open_maildrop || !k.msg_info || !k.msg_read ||
        !k.commit || (alloc && (!alloc->alloc || !alloc->free)) ||
        (!k.random && (c.sasl_mechs & (POP3_SASL_CRAM_MD5 | POP3_SASL_SCRAM_SHA_1 |
                                       POP3_SASL_SCRAM_SHA_256))) ||
        (!k.sasl_step && (c.sasl_mechs & POP3_SASL_HOST))) {
        set_err(err, POP3_E_INVALID);
        return NULL;
    }
    compute_layout(&c, &l);
    if (mem_size < l.total) {
        set_err(err, POP3_E_TOO_SMALL);
        return NULL;
    }

    s = mem;
    memset(s, 0, sizeof *s);
    s->cfg = c;
    s->cb = k;
    s->user_data = user_data;
    if (alloc) {
        s->alloc = *alloc;
    } else {
        s->alloc.alloc = libc_alloc;
        s->alloc.free = libc_free;
    }
    s->in = (unsigned char *)mem + l.in;
    s->in_cap = c.in_buf_size;
    s->out = (unsigned char *)mem + l.out;
    s->out_cap = c.out_buf_size;
    memcpy((char *)mem + l.greeting, c.greeting, strlen(c.greeting) + 1);
    s->cfg.greeting = (char *)mem + l.greeting;
    if (c.implementation) {
        memcpy((char *)mem + l.impl, c.implementation,
               strlen(c.implementation) + 1);
        s->cfg.implementation = (char *)mem + l.impl;
    }
    if (c.host_mechs) {
        memcpy((char *)mem + l.host_mechs, c.host_mechs, strlen(c.host_mechs) + 1);
        s->cfg.host_mechs = (char *)mem + l.host_mechs;
    }
    memcpy((char *)mem + l.hostname, c.hostname, strlen(c.hostname) + 1);
    s->cfg.hostname = (char *)mem + l.hostname;
    s->state = POP3_STATE_INIT;
    s->user_login_delay = POP3_NOT_ADVERTISED;
    s->user_expire = POP3_NOT_ADVERTISED;
    s->stats.struct_size = sizeof s->stats;
    set_err(err, POP3_OK);
    return s;
}

pop3_session *pop3_session_new(const pop3_config *cfg, const pop3_callbacks *cb,
                               void *user_data, const pop3_allocator *alloc,
                               int *err)
{
    pop3_allocator a;
    size_t n = pop3_session_mem_size(cfg);
    void *mem;
    pop3_session *s;

    if (n == 0 || !cb || (alloc && (!alloc->alloc || !alloc->free))) {
        set_err(err, POP3_E_INVALID);
        return NULL;
    }
    if (alloc) {
        a = *alloc;
    } else {
        a.alloc = libc_alloc;
        a.free = libc_free;
        a.ctx = NULL;
    }
    mem = a.alloc(a.ctx, n);
    if (!mem) {
        set_err(err, POP3_E_NOMEM);
        return NULL;
    }
    s = pop3_session_init(mem, n, cfg, cb, user_data, &a, err);
    if (!s) {
        a.free(a.ctx, mem, n);
        return NULL;
    }
    s->owned = 1;
    s->mem_total = n;
    return s;
}

static int valid_timestamp(const char *t)
{
    size_t n = strlen(t);
    if (n < 3 || n > MAX_TIMESTAMP || t[0] != '<' || t[n - 1] != '>')
        return 0;
    return valid_text(t, MAX_TIMESTAMP, 0);
}

int pop3_session_start(pop3_session *s, const pop3_connection *conn)
{
    uint32_t m;
    if (!s || !conn)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    if (s->fatal)
        return s->fatal;
    if (s->started)
        return POP3_E_STATE;
    if (conn->apop_timestamp && !valid_timestamp(conn->apop_timestamp))
        return POP3_E_INVALID;
    s->started = 1;
    s->now = conn->now_ms;
    s->last_activity = conn->now_ms;
    s->conn_flags = conn->flags;
    if (conn->apop_timestamp)
        memcpy(s->timestamp, conn->apop_timestamp,
               strlen(conn->apop_timestamp) + 1);
    if (set_state(s, POP3_STATE_AUTHORIZATION) != 0)
        return fail(s, POP3_E_INTERNAL, "illegal transition at start");
    m = line_begin(s, 1, NULL);
    put_str(s, s->cfg.greeting);
    if (s->timestamp[0]) {
        put(s, " ", 1);
        put_str(s, s->timestamp);
    }
    line_end(s, m);
    return s->fatal;
}

int pop3_session_deinit(pop3_session *s)
{
    if (!s)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    end_read(s);
    close_maildrop(s, 0);
    free_marks(s);
    wipe_password(s);
    forget_user(s);
    pop3__wipe(s->in, s->in_cap);
    pop3__wipe(s->timestamp, sizeof s->timestamp);
    s->state = POP3_STATE_CLOSED;
    return POP3_OK;
}

void pop3_session_free(pop3_session *s)
{
    pop3_allocator a;
    size_t n;
    if (!s || s->in_cb)
        return;
    pop3_session_deinit(s);
    if (!s->owned)
        return;
    a = s->alloc;
    n = s->mem_total;
    a.free(a.ctx, s, n);
}

int pop3_session_abort(pop3_session *s)
{
    if (!s)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    if (s->state != POP3_STATE_CLOSED)
        close_session(s, POP3_CLOSE_ABORT);
    s->out_head = s->out_tail = 0;
    return POP3_OK;
}

/* ------------------------------------------------------------------------
 * Bytes in
 * ---------------------------------------------------------------------- */

static int accepting_input(const pop3_session *s)
{
    return s->started && !s->fatal && !s->eof && !s->tls_wait &&
           (s->state == POP3_STATE_AUTHORIZATION ||
            s->state == POP3_STATE_TRANSACTION);
}

unsigned char *pop3_session_in_buf(pop3_session *s, size_t *cap)
{
    if (cap)
        *cap = 0;
    if (!s || !cap || s->in_cb || !accepting_input(s))
        return NULL;
    if (!s->pinned && s->in_start > 0) {
        size_t n = s->in_end - s->in_start;
        memmove(s->in, s->in + s->in_start, n);
        /* Leave no stale copy of a partial line (a password) behind. */
        memset(s->in + n, 0, s->in_end - n);
        s->in_start = 0;
        s->in_end = (uint32_t)n;
    }
    *cap = s->in_cap - s->in_end;
    return *cap ? s->in + s->in_end : NULL;
}

static int api_guard(pop3_session *s)
{
    if (!s)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    if (s->fatal)
        return s->fatal;
    if (!s->started)
        return POP3_E_STATE;
    return POP3_OK;
}

int pop3_session_in_ack(pop3_session *s, size_t n)
{
    int r = api_guard(s);
    if (r)
        return r;
    if (s->state == POP3_STATE_CLOSED)
        return n ? POP3_E_CLOSED : POP3_OK;
    if (s->eof || s->tls_wait)
        return n ? POP3_E_STATE : POP3_OK;
    if (n > (size_t)(s->in_cap - s->in_end))
        return POP3_E_INVALID;
    s->in_end += (uint32_t)n;
    s->stats.bytes_in += n;
    return run(s);
}

long pop3_session_recv(pop3_session *s, const void *data, size_t len)
{
    size_t cap = 0, take;
    unsigned char *p;
    int r = api_guard(s);
    if (r)
        return r;
    if (!data && len)
        return POP3_E_INVALID;
    if (s->state == POP3_STATE_CLOSED)
        return len ? POP3_E_CLOSED : 0;
    if (s->eof || s->tls_wait)
        return len ? POP3_E_STATE : 0;
    p = pop3_session_in_buf(s, &cap);
    take = len < cap ? len : cap;
    if (take > (size_t)0x7FFFFFFF)
        take = 0x7FFFFFFF;
    if (take)
        memcpy(p, data, take);
    r = pop3_session_in_ack(s, take);
    return r ? r : (long)take;
}

int pop3_session_in_eof(pop3_session *s)
{
    int r = api_guard(s);
    if (r)
        return r;
    if (s->state == POP3_STATE_CLOSED)
        return POP3_OK;
    s->eof = 1;
    return run(s);
}

/* ------------------------------------------------------------------------
 * Bytes out
 * ---------------------------------------------------------------------- */

const unsigned char *pop3_session_out_buf(pop3_session *s, size_t *len)
{
    if (len)
        *len = 0;
    if (!s || !len || s->out_tail == s->out_head)
        return NULL;
    *len = s->out_tail - s->out_head;
    return s->out + s->out_head;
}

int pop3_session_out_ack(pop3_session *s, size_t n)
{
    int r;
    if (!s)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    if (s->fatal)
        return s->fatal;
    if (n > (size_t)(s->out_tail - s->out_head))
        return POP3_E_INVALID;
    if (n == 0)
        return POP3_OK;
    s->out_head += (uint32_t)n;
    s->stats.bytes_out += n;
    s->last_activity = s->now;
    /* Compact only here: the host's pointer is invalid after an ack. */
    if (s->out_head == s->out_tail) {
        s->out_head = s->out_tail = 0;
    } else if (s->out_cap - s->out_tail < ROOM_STATUS ||
               s->out_head >= s->out_cap / 2) {
        memmove(s->out, s->out + s->out_head, s->out_tail - s->out_head);
        s->out_tail -= s->out_head;
        s->out_head = 0;
    }
    r = api_guard(s);
    if (r)
        return r;
    return run(s);
}

/* ------------------------------------------------------------------------
 * Status and time
 * ---------------------------------------------------------------------- */

static int idle_deadline(const pop3_session *s, uint64_t *at)
{
    uint32_t t = 0;
    if (s->pending)
        return 0;                       /* the host, not the client, is slow */
    if (s->state == POP3_STATE_AUTHORIZATION)
        t = s->cfg.auth_timeout_ms;
    else if (s->state == POP3_STATE_TRANSACTION)
        t = s->cfg.idle_timeout_ms;
    if (!t)
        return 0;
    *at = s->last_activity + t;
    return 1;
}

int pop3_session_deadline(const pop3_session *s, uint64_t *at_ms)
{
    uint64_t best = UINT64_MAX, t;
    int any = 0;
    if (!s || !s->started || s->fatal || s->state == POP3_STATE_CLOSED)
        return 0;
    if (s->phase == PH_HELD) {
        best = s->held_until;
        any = 1;
    }
    if (idle_deadline(s, &t)) {
        if (t < best)
            best = t;
        any = 1;
    }
    if (any && at_ms)
        *at_ms = best;
    return any;
}

unsigned pop3_session_status(const pop3_session *s)
{
    unsigned st = 0;
    if (!s || !s->started)
        return 0;
    if (s->fatal)
        return POP3_STATUS_CLOSED;
    if (s->state == POP3_STATE_CLOSED)
        return s->out_tail > s->out_head ? POP3_STATUS_WRITE : POP3_STATUS_CLOSED;
    if (s->out_tail > s->out_head)
        st |= POP3_STATUS_WRITE;
    if (s->pending)
        st |= POP3_STATUS_PENDING;
    if (s->tls_wait && !(st & POP3_STATUS_WRITE))
        st |= POP3_STATUS_START_TLS;
    if (accepting_input(s) &&
        (s->in_end < s->in_cap || (!s->pinned && s->in_start > 0)))
        st |= POP3_STATUS_READ;
    if (pop3_session_deadline(s, NULL))
        st |= POP3_STATUS_DEADLINE;
    return st;
}

int pop3_session_tick(pop3_session *s, uint64_t now_ms)
{
    uint64_t at;
    int r = api_guard(s);
    if (r)
        return r;
    if (now_ms > s->now)
        s->now = now_ms;
    if (s->state == POP3_STATE_CLOSED)
        return POP3_OK;
    if (s->phase == PH_HELD && s->now >= s->held_until) {
        s->phase = PH_NONE;
        send_auth_failure(s);
    }
    if (idle_deadline(s, &at) && s->now >= at && s->state != POP3_STATE_CLOSED) {
        set_error(s, "idle timeout", NULL);
        trace_simple(s, POP3_EV_LIMIT, POP3_LIMIT_IDLE_TIMEOUT, 0, 0);
        if (s->cfg.flags & POP3_CFG_AUTOLOGOUT_REPLY) {
            /* Room is not guaranteed mid-reply; the line is optional. */
            if (!s->cmd && !s->tls_wait && out_room(s) >= ROOM_STATUS)
                reply(s, 0, NULL, "idle timeout, closing");
        }
        close_session(s, POP3_CLOSE_TIMEOUT);
        return s->fatal;
    }
    return run(s);
}

/* ------------------------------------------------------------------------
 * STLS
 * ---------------------------------------------------------------------- */

int pop3_session_tls_done(pop3_session *s, int ok)
{
    int r = api_guard(s);
    if (r)
        return r;
    if (!s->tls_wait || s->state == POP3_STATE_CLOSED ||
        s->out_tail != s->out_head)
        return POP3_E_STATE;
    s->tls_wait = 0;
    if (!ok) {
        set_error(s, "TLS handshake failed", NULL);
        close_session(s, POP3_CLOSE_TLS_FAILED);
        return POP3_OK;
    }
    /* A fresh AUTHORIZATION state on a protected channel (RFC 2595 §4). */
    s->conn_flags |= POP3_CONN_TLS_ACTIVE;
    s->conn_flags &= ~(unsigned)POP3_CONN_TLS_AVAILABLE;
    forget_user(s);
    s->utf8 = 0;
    s->last_activity = s->now;
    return run(s);
}

int pop3_session_set_sasl(pop3_session *s, unsigned sasl_mechs)
{
    int r = api_guard(s);
    if (r)
        return r;
    if (sasl_mechs & ~(unsigned)(POP3_SASL_HOST * 2 - 1))
        return POP3_E_INVALID;
    if ((!s->cb.random && (sasl_mechs & (POP3_SASL_CRAM_MD5 | POP3_SASL_SCRAM_SHA_1 |
                                         POP3_SASL_SCRAM_SHA_256))) ||
        ((sasl_mechs & POP3_SASL_HOST) && (!s->cb.sasl_step || !s->cfg.host_mechs)))
        return POP3_E_INVALID;
    if (s->state != POP3_STATE_AUTHORIZATION || s->mech)
        return POP3_E_STATE;
    s->cfg.sasl_mechs = sasl_mechs;
    return POP3_OK;
}

/* ------------------------------------------------------------------------
 * Completions
 * ---------------------------------------------------------------------- */

static int completion_guard(pop3_session *s, const void *ans, int req)
{
    if (!s || !ans)
        return POP3_E_INVALID;
    if (s->in_cb)
        return POP3_E_REENTRANT;
    if (s->fatal)
        return s->fatal;
    if (s->state == POP3_STATE_CLOSED)
        return POP3_E_CLOSED;
    if (s->pending != req)
        return POP3_E_NOT_PENDING;
    return POP3_OK;
}

int pop3_session_auth_done(pop3_session *s, const pop3_auth_answer *ans)
{
    int r = completion_guard(s, ans, REQ_AUTH);
    if (r)
        return r;
    if (!valid_auth_result(s, ans->result))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    on_auth(s, ans);
    return run(s);
}

int pop3_session_open_done(pop3_session *s, const pop3_maildrop *ans)
{
    int r = completion_guard(s, ans, REQ_OPEN);
    if (r)
        return r;
    if (!valid_open_result(ans->result))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    on_open(s, ans);
    return run(s);
}

int pop3_session_info_done(pop3_session *s, const pop3_msg_info *ans)
{
    int r = completion_guard(s, ans, REQ_INFO);
    if (r)
        return r;
    if (!valid_msg_result(ans->result))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    on_info(s, ans);
    return run(s);
}

int pop3_session_read_done(pop3_session *s, const pop3_chunk *ans)
{
    int r = completion_guard(s, ans, REQ_READ);
    if (r)
        return r;
    if (!valid_chunk(ans))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    r = on_read(s, ans);
    if (r < 0)
        return r;
    return run(s);
}

int pop3_session_sasl_done(pop3_session *s, const pop3_sasl_answer *ans)
{
    int r = completion_guard(s, ans, REQ_SASL);
    if (r)
        return r;
    if (!valid_sasl_result(ans->result))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    r = on_sasl(s, ans);
    if (r < 0)
        return r;
    return run(s);
}

int pop3_session_commit_done(pop3_session *s, int result)
{
    int dummy = 0;
    int r = completion_guard(s, &dummy, REQ_COMMIT);
    if (r)
        return r;
    if (!valid_commit_result(result))
        return POP3_E_INVALID;
    s->pending = REQ_NONE;
    on_commit(s, result);
    return run(s);
}

/* ------------------------------------------------------------------------
 * Queries
 * ---------------------------------------------------------------------- */

int pop3_session_state(const pop3_session *s)
{
    return s ? s->state : POP3_STATE_CLOSED;
}

int pop3_session_utf8(const pop3_session *s)
{
    return s ? s->utf8 : 0;
}

const char *pop3_session_user(const pop3_session *s)
{
    /* Inside an AUTH exchange the name is not established yet. */
    return s && s->have_user && !s->mech ? s->user : NULL;
}

void *pop3_session_user_data(const pop3_session *s)
{
    return s ? s->user_data : NULL;
}

const char *pop3_session_last_error(const pop3_session *s)
{
    return s ? s->last_error : "";
}

int pop3_session_is_deleted(const pop3_session *s, uint32_t msgno)
{
    if (!s || !s->marks || msgno == 0 || msgno > s->count)
        return 0;
    return marked(s, msgno);
}

uint32_t pop3_session_next_deleted(const pop3_session *s, uint32_t after)
{
    uint32_t n;
    if (!s || !s->marks)
        return 0;
    for (n = after + 1; n <= s->count;) {
        uint32_t i = (n - 1) >> 3;
        if (((n - 1) & 7) == 0 && s->marks[i] == 0) {
            n += 8;
            continue;
        }
        if (marked(s, n))
            return n;
        n++;
    }
    return 0;
}

int pop3_session_stats(const pop3_session *s, pop3_stats *st)
{
    size_t n;
    if (!s || !st || st->struct_size < sizeof(size_t))
        return POP3_E_INVALID;
    n = st->struct_size < sizeof *st ? st->struct_size : sizeof *st;
    memcpy((char *)st + sizeof(size_t), (const char *)&s->stats + sizeof(size_t),
           n - sizeof(size_t));
    return POP3_OK;
}
