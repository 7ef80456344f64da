/*
 * mock_backend.c - the in-memory host.  See mock_backend.h.
 */
#include "mock_backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[MOCK_OP_COUNT] = {
    "auth", "open", "info", "read", "commit", "sasl"
};

static const char *const result_names[] = {
    "OK", "DENIED", "SECRET", "IN_USE", "LOGIN_DELAY", "NO_MESSAGE",
    "TEMPFAIL", "PERMFAIL", "SCRAM", "CONTINUE", "NEEDS_UTF8"
};
#define NRESULTS (sizeof result_names / sizeof result_names[0])

const char *mock_op_name(int op)
{
    return op >= 0 && op < MOCK_OP_COUNT ? op_names[op] : "?";
}

const char *mock_result_name(int result)
{
    if (result == MOCK_FATAL)
        return "FATAL";
    if (result >= 0 && (size_t)result < NRESULTS)
        return result_names[result];
    return "?";
}

int mock_result_parse(const char *name)
{
    if (name == NULL)
        return -2;
    if (strcmp(name, "FATAL") == 0)
        return MOCK_FATAL;
    for (size_t i = 0; i < NRESULTS; i++)
        if (strcmp(name, result_names[i]) == 0)
            return (int)i;
    return -2;
}

void mock_violation(mock_backend *mb, const char *fmt, ...)
{
    if (mb->nviolations < MOCK_MAX_VIOLATIONS) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(mb->violation[mb->nviolations], MOCK_VIOLATION_LEN, fmt, ap);
        va_end(ap);
    }
    mb->nviolations++;
}

/* ------------------------------------------------------------------------
 * Setup
 * ---------------------------------------------------------------------- */

void mock_init(mock_backend *mb)
{
    memset(mb, 0, sizeof *mb);
    mb->fail_alloc_after = -1;
}

static void drop_chunk_copy(mock_backend *mb)
{
    free(mb->chunk_copy);
    mb->chunk_copy = NULL;
}

void mock_reset(mock_backend *mb)
{
    drop_chunk_copy(mb);
    mb->pending_op = 0;
    mb->pend_open_user = NULL;
    mb->authed = NULL;
    mb->open_user = NULL;
    mb->reading = 0;
    memset(mb->calls, 0, sizeof mb->calls);
    mb->opens = mb->maildrop_closes = 0;
    mb->last_committed = 0;
    mb->commits = 0;
    mb->commit_result = 0;
    mb->commit_ndeleted = 0;
    mb->msg_reads = mb->msg_closes = 0;
    mb->sasl_steps = 0;
    mb->random_count = 0;
    mb->sasl_next_step = 0;
    mb->sasl_have_name = 0;
    memset(mb->sasl_name, 0, sizeof mb->sasl_name);
    mb->events = 0;
    mb->limit_mask = 0;
    mb->auth_ok_events = mb->auth_fail_events = 0;
    mb->close_event = 0;
    mb->nviolations = 0;
    mb->nlive = 0;
    mb->allocs = mb->frees = 0;
    for (unsigned i = 0; i < mb->nfails; i++)
        mb->fails[i].calls = mb->fails[i].fired = 0;
}

mock_user *mock_add_user(mock_backend *mb, const char *name,
                         const void *secret, size_t secret_len,
                         int host_verifies)
{
    if (mb->nusers >= MOCK_MAX_USERS)
        return NULL;
    mock_user *u = &mb->users[mb->nusers++];
    memset(u, 0, sizeof *u);
    u->name = name;
    u->secret = secret;
    u->secret_len = secret_len;
    u->host_verifies = host_verifies;
    u->login_delay = POP3_NOT_ADVERTISED;
    u->expire = POP3_NOT_ADVERTISED;
    return u;
}

void mock_msg_set(mock_msg *m, const void *raw, size_t raw_len,
                  const char *uid, size_t uid_len)
{
    m->raw = raw;
    m->raw_len = raw_len;
    m->uid = uid;
    m->uid_len = uid_len;
    m->size = pop3_wire_size(raw, raw_len);
}

int mock_add_fail(mock_backend *mb, int op, int result, uint32_t msgno,
                  uint32_t at, uint32_t times)
{
    if (mb->nfails >= MOCK_MAX_FAILS)
        return -1;
    mock_fail *f = &mb->fails[mb->nfails++];
    memset(f, 0, sizeof *f);
    f->op = op;
    f->result = result;
    f->msgno = msgno;
    f->at = at ? at : 1;
    f->times = times;
    return 0;
}

int mock_add_token(mock_backend *mb, const void *token, size_t len,
                   const char *user)
{
    if (mb->ntokens >= MOCK_MAX_TOKENS)
        return -1;
    mock_token *t = &mb->tokens[mb->ntokens++];
    t->token = token;
    t->len = len;
    t->user = user;
    return mock_add_secret(mb, token, len, 1);
}

int mock_add_secret(mock_backend *mb, const void *p, size_t len,
                    int must_wipe)
{
    if (mb->nsecrets >= MOCK_MAX_SECRETS)
        return -1;
    mb->secrets[mb->nsecrets] = p;
    mb->secret_lens[mb->nsecrets] = len;
    mb->secret_wipe[mb->nsecrets] = must_wipe != 0;
    mb->nsecrets++;
    return 0;
}

int mock_has_pending(const mock_backend *mb)
{
    return mb->pending_op != 0;
}

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/* The failure rule deciding this call, or NULL. */
static const mock_fail *match_fail(mock_backend *mb, int op, uint32_t msgno)
{
    const mock_fail *hit = NULL;
    for (unsigned i = 0; i < mb->nfails; i++) {
        mock_fail *f = &mb->fails[i];
        if (f->op != op || (f->msgno != 0 && f->msgno != msgno))
            continue;
        f->calls++;
        if (hit == NULL && f->calls >= f->at &&
            (f->times == 0 || f->fired < f->times)) {
            f->fired++;
            hit = f;
        }
    }
    return hit;
}

static mock_user *find_user(mock_backend *mb, const char *name)
{
    if (name == NULL)
        return NULL;
    for (unsigned i = 0; i < mb->nusers; i++)
        if (strcmp(mb->users[i].name, name) == 0)
            return &mb->users[i];
    return NULL;
}

/* Common entry checks for every callback; returns the mock. */
static mock_backend *enter(void *user_data, pop3_session *s, const char *what)
{
    mock_backend *mb = user_data;
    if (pop3_session_user_data(s) != user_data)
        mock_violation(mb, "%s: pop3_session_user_data() is not the user_data "
                       "passed to the callback", what);
    if (mb->probe_reentrancy) {
        int rc = pop3_session_out_ack(s, 0);
        if (rc != POP3_E_REENTRANT)
            mock_violation(mb, "%s: pop3_session_out_ack from a callback "
                           "returned %d, not POP3_E_REENTRANT", what, rc);
    }
    return mb;
}

/* Request callbacks: one at a time. */
static mock_backend *enter_request(void *user_data, pop3_session *s, int op)
{
    mock_backend *mb = enter(user_data, s, op_names[op]);
    mb->calls[op]++;
    if (mb->pending_op != 0)
        mock_violation(mb, "%s request while a %s answer is still pending",
                       op_names[op], op_names[mb->pending_op - 1]);
    return mb;
}

static int reply_mode(mock_backend *mb, int op)
{
    if (!mb->pending_mode)
        return POP3_ANSWERED;
    mb->pending_op = op + 1;
    return POP3_PENDING;
}

static int digest_matches(const pop3_auth_request *req, const mock_user *u)
{
    if (u->secret == NULL)
        return 0;
    if (req->kind == POP3_AUTH_PASS)
        return req->password != NULL && req->password_len == u->secret_len &&
               memcmp(req->password, u->secret, u->secret_len) == 0;
    if (req->kind == POP3_AUTH_APOP && req->timestamp && req->digest) {
        char hex[33];
        pop3_apop_digest(req->timestamp, u->secret, u->secret_len, hex);
        return strlen(req->digest) == 32 && memcmp(hex, req->digest, 32) == 0;
    }
    return 0;
}

static int is_lower_hex32(const char *d)
{
    if (d == NULL)
        return 0;
    for (int i = 0; i < 32; i++)
        if (!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f')))
            return 0;
    return d[32] == '\0';
}

/* ------------------------------------------------------------------------
 * Callbacks
 * ---------------------------------------------------------------------- */

/* Is `name` in the comma-separated list? */
static int in_list(const char *list, const char *name, size_t n)
{
    if (list == NULL || n == 0)
        return 0;
    for (const char *p = list; *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == n && memcmp(p, name, n) == 0)
            return 1;
        p += l + (c ? 1 : 0);
    }
    return 0;
}

/* The user u logs in as: itself, or the authorization identity it asked
 * for when it may act as that (registered) user.  NULL: refused. */
static mock_user *acting_user(mock_backend *mb, mock_user *u,
                              const pop3_auth_request *req)
{
    if (u == NULL)
        return NULL;
    if (req->authzid_len == 0 || strcmp(req->authzid, u->name) == 0)
        return u;
    if (!in_list(u->authz, req->authzid, req->authzid_len))
        return NULL;
    return find_user(mb, req->authzid);
}

static const mock_token *find_token(const mock_backend *mb, const char *t,
                                    size_t n)
{
    for (unsigned i = 0; i < mb->ntokens; i++)
        if (mb->tokens[i].len == n && memcmp(mb->tokens[i].token, t, n) == 0)
            return &mb->tokens[i];
    return NULL;
}

static void check_auth_request(mock_backend *mb, const pop3_auth_request *req)
{
    if (req->user == NULL || strlen(req->user) != req->user_len)
        mock_violation(mb, "authenticate: user \"%.40s\" is not NUL-terminated "
                       "at user_len %zu", req->user ? req->user : "(null)",
                       req->user_len);
    if (req->mechanism == NULL)
        mock_violation(mb, "authenticate: no mechanism name");
    if (req->authzid == NULL || strlen(req->authzid) != req->authzid_len)
        mock_violation(mb, "authenticate: authzid/authzid_len inconsistent");
    switch (req->kind) {
    case POP3_AUTH_PASS:
        if (req->password == NULL || strlen(req->password) != req->password_len)
            mock_violation(mb, "authenticate PASS: password/password_len "
                           "inconsistent");
        break;
    case POP3_AUTH_APOP:
    case POP3_AUTH_CRAM_MD5:
        if (req->timestamp == NULL || req->timestamp[0] != '<')
            mock_violation(mb, "authenticate %s: no timestamp",
                           req->kind == POP3_AUTH_APOP ? "APOP" : "CRAM-MD5");
        if (!is_lower_hex32(req->digest))
            mock_violation(mb, "authenticate %s: digest is not 32 lowercase "
                           "hex digits",
                           req->kind == POP3_AUTH_APOP ? "APOP" : "CRAM-MD5");
        break;
    case POP3_AUTH_BEARER:
        if (req->token == NULL || strlen(req->token) != req->token_len)
            mock_violation(mb, "authenticate bearer: token/token_len "
                           "inconsistent");
        break;
    case POP3_AUTH_SCRAM:
        if (req->user_len == 0)
            mock_violation(mb, "authenticate SCRAM: empty user");
        break;
    case POP3_AUTH_EXTERNAL:
        if (req->user_len != 0)
            mock_violation(mb, "authenticate EXTERNAL: user \"%.40s\" is not "
                           "empty", req->user);
        break;
    default:
        mock_violation(mb, "authenticate: unknown kind %d", req->kind);
    }
}

/* The mock's own decision (no failure rule applies). */
static void decide_auth(mock_backend *mb, const pop3_auth_request *req,
                        pop3_auth_answer *a)
{
    mock_user *u = find_user(mb, req->user);
    mock_user *as = acting_user(mb, u, req);
    a->result = POP3_R_DENIED;
    switch (req->kind) {
    case POP3_AUTH_PASS:
    case POP3_AUTH_APOP:
        if (as == NULL || u->secret == NULL)
            break;
        if (u->host_verifies) {
            if (digest_matches(req, u)) {
                a->result = POP3_R_OK;
                mb->authed = as;
            }
            break;
        }
        a->result = POP3_R_SECRET;
        a->secret = u->secret;
        a->secret_len = u->secret_len;
        if (digest_matches(req, u))
            mb->authed = as;
        break;
    case POP3_AUTH_CRAM_MD5:
        /* The library computes the HMAC: success is its decision. */
        if (as == NULL || u->secret == NULL)
            break;
        a->result = POP3_R_SECRET;
        a->secret = u->secret;
        a->secret_len = u->secret_len;
        mb->authed = as;
        break;
    case POP3_AUTH_SCRAM:
        /* DENIED (unknown user, no SCRAM credentials, authzid refused):
         * the library carries on with made-up values. */
        if (as == NULL || u->salt == NULL)
            break;
        a->salt = u->salt;
        a->salt_len = u->salt_len;
        a->iterations = u->iterations;
        if (u->stored_key && u->server_key) {
            a->result = POP3_R_SCRAM;
            a->stored_key = u->stored_key;
            a->server_key = u->server_key;
        } else if (u->secret) {
            a->result = POP3_R_SECRET;
            a->secret = u->secret;
            a->secret_len = u->secret_len;
        } else {
            break;
        }
        mb->authed = as;
        break;
    case POP3_AUTH_BEARER: {
        const mock_token *t = req->token ? find_token(mb, req->token,
                                                      req->token_len) : NULL;
        mock_user *tu = t ? find_user(mb, t->user) : NULL;
        if (tu == NULL ||
            (req->user_len && strcmp(req->user, tu->name) != 0)) {
            a->bearer_error = mb->bearer_error;
            break;
        }
        a->result = POP3_R_OK;
        a->login_user = tu->name;
        mb->authed = tu;
        break;
    }
    case POP3_AUTH_EXTERNAL: {
        mock_user *xu = find_user(mb, mb->external);
        if (xu == NULL)
            break;
        if (req->authzid_len == 0) {
            a->result = POP3_R_OK;
            a->login_user = xu->name;       /* required without authzid */
            mb->authed = xu;
        } else if ((as = acting_user(mb, xu, req)) != NULL) {
            a->result = POP3_R_OK;          /* login_user NULL: the authzid */
            mb->authed = as;
        }
        break;
    }
    default:
        break;
    }
}

static int cb_authenticate(void *ud, pop3_session *s,
                           const pop3_auth_request *req, pop3_auth_answer *ans)
{
    mock_backend *mb = enter_request(ud, s, MOCK_OP_AUTH);
    if (mb->open_user)
        mock_violation(mb, "authenticate while a maildrop is open");
    check_auth_request(mb, req);

    pop3_auth_answer a;
    memset(&a, 0, sizeof a);
    mb->authed = NULL;
    const mock_fail *f = match_fail(mb, MOCK_OP_AUTH, 0);
    if (f && f->result == MOCK_FATAL)
        return -1;
    if (f) {
        a.result = f->result;
        if (a.result == POP3_R_OK) {
            mb->authed = find_user(mb, req->user);
            if (mb->authed == NULL && req->kind == POP3_AUTH_EXTERNAL)
                mb->authed = find_user(mb, mb->external);
            if (mb->authed && req->user_len == 0)
                a.login_user = mb->authed->name;
        } else if (a.result == POP3_R_DENIED) {
            a.bearer_error = mb->bearer_error;
        }
    } else {
        decide_auth(mb, req, &a);
    }
    if (mb->pending_mode) {
        mb->pend_auth = a;
        return reply_mode(mb, MOCK_OP_AUTH);
    }
    *ans = a;
    return POP3_ANSWERED;
}

static int cb_open_maildrop(void *ud, pop3_session *s, pop3_maildrop *ans)
{
    mock_backend *mb = enter_request(ud, s, MOCK_OP_OPEN);
    const char *name = pop3_session_user(s);
    if (ans->result != 0 || ans->count != 0 || ans->octets != 0 ||
        ans->login_delay != POP3_NOT_ADVERTISED ||
        ans->expire != POP3_NOT_ADVERTISED)
        mock_violation(mb, "open_maildrop: answer not preset (0s and "
                       "POP3_NOT_ADVERTISED)");
    if (mb->open_user)
        mock_violation(mb, "open_maildrop while a maildrop is open");
    mock_user *u = mb->authed;
    if (u == NULL) {
        mock_violation(mb, "open_maildrop for '%s' without a successful "
                       "authentication", name ? name : "(null)");
        u = find_user(mb, name);
    } else if (name == NULL || strcmp(name, u->name) != 0) {
        mock_violation(mb, "open_maildrop: pop3_session_user() is '%s', "
                       "authenticated '%s'", name ? name : "(null)", u->name);
    }
    mb->authed = NULL;

    pop3_maildrop a = *ans;
    const mock_fail *f = match_fail(mb, MOCK_OP_OPEN, 0);
    if (f && f->result == MOCK_FATAL)
        return -1;
    if (f) {
        a.result = f->result;
    } else if (u == NULL) {
        a.result = POP3_R_PERMFAIL;
    } else {
        a.result = POP3_R_OK;
        a.count = u->nmsgs;
        a.octets = 0;
        for (uint32_t i = 0; i < u->nmsgs; i++)
            a.octets += u->msgs[i].size;
        a.login_delay = u->login_delay;
        a.expire = u->expire;
    }
    if (mb->pending_mode) {
        mb->pend_open = a;
        mb->pend_open_user = a.result == POP3_R_OK ? u : NULL;
        return reply_mode(mb, MOCK_OP_OPEN);
    }
    if (a.result == POP3_R_OK) {
        mb->open_user = u;
        mb->opens++;
    }
    *ans = a;
    return POP3_ANSWERED;
}

/* The open maildrop's message msgno, or NULL (violation recorded). */
static mock_msg *msg_of(mock_backend *mb, uint32_t msgno, const char *what)
{
    if (mb->open_user == NULL) {
        mock_violation(mb, "%s %u without an open maildrop", what, msgno);
        return NULL;
    }
    if (msgno < 1 || msgno > mb->open_user->nmsgs) {
        mock_violation(mb, "%s %u out of range 1..%u", what, msgno,
                       mb->open_user->nmsgs);
        return NULL;
    }
    return &mb->open_user->msgs[msgno - 1];
}

static int cb_msg_info(void *ud, pop3_session *s, uint32_t msgno,
                       unsigned want, pop3_msg_info *ans)
{
    mock_backend *mb = enter_request(ud, s, MOCK_OP_INFO);
    if (want == 0 || (want & ~(unsigned)(POP3_WANT_SIZE | POP3_WANT_UID)))
        mock_violation(mb, "msg_info %u: want = %#x", msgno, want);
    mock_msg *m = msg_of(mb, msgno, "msg_info");
    pop3_msg_info a;
    memset(&a, 0, sizeof a);
    const mock_fail *f = match_fail(mb, MOCK_OP_INFO, msgno);
    if (f && f->result == MOCK_FATAL)
        return -1;
    if (f) {
        a.result = f->result;
    } else if (m == NULL) {
        a.result = POP3_R_NO_MESSAGE;
    } else {
        a.result = POP3_R_OK;
        if (want & POP3_WANT_SIZE)
            a.size = m->size;
        if (want & POP3_WANT_UID) {
            a.uid = m->uid;
            a.uid_len = m->uid_len;
        }
    }
    if (mb->pending_mode) {
        mb->pend_info = a;
        return reply_mode(mb, MOCK_OP_INFO);
    }
    *ans = a;
    return POP3_ANSWERED;
}

static int cb_msg_read(void *ud, pop3_session *s, const pop3_read_request *req,
                       pop3_chunk *ans)
{
    mock_backend *mb = enter_request(ud, s, MOCK_OP_READ);
    mb->msg_reads++;
    drop_chunk_copy(mb);        /* the previous chunk is dead now */
    if (mb->reading == 0) {
        mb->reading = req->msgno;
    } else if (mb->reading != req->msgno) {
        mock_violation(mb, "msg_read %u while message %u was not closed",
                       req->msgno, mb->reading);
        mb->reading = req->msgno;
    }
    mock_msg *m = msg_of(mb, req->msgno, "msg_read");
    pop3_chunk a;
    memset(&a, 0, sizeof a);
    const mock_fail *f = match_fail(mb, MOCK_OP_READ, req->msgno);
    if (f && f->result == MOCK_FATAL)
        return -1;
    if (f) {
        a.result = f->result;
    } else if (m == NULL) {
        a.result = POP3_R_NO_MESSAGE;
    } else if (m->needs_utf8 && req->offset == 0 && !pop3_session_utf8(s)) {
        a.result = POP3_R_NEEDS_UTF8;   /* RFC 6856: [UTF8] */
    } else if (req->offset > m->raw_len) {
        mock_violation(mb, "msg_read %u: offset %llu past the end (%zu)",
                       req->msgno, (unsigned long long)req->offset, m->raw_len);
        a.result = POP3_R_OK;   /* end of message */
    } else {
        size_t left = m->raw_len - (size_t)req->offset;
        size_t n = mb->read_chunk && mb->read_chunk < left ? mb->read_chunk
                                                           : left;
        a.result = POP3_R_OK;
        a.len = n;
        a.data = m->raw + req->offset;
        if (mb->copy_chunks && n > 0) {
            mb->chunk_copy = malloc(n);
            if (mb->chunk_copy == NULL)
                return -1;
            memcpy(mb->chunk_copy, a.data, n);
            a.data = mb->chunk_copy;
        }
    }
    if (mb->pending_mode) {
        mb->pend_chunk = a;
        return reply_mode(mb, MOCK_OP_READ);
    }
    *ans = a;
    return POP3_ANSWERED;
}

static void cb_msg_close(void *ud, pop3_session *s, uint32_t msgno)
{
    mock_backend *mb = enter(ud, s, "msg_close");
    mb->msg_closes++;
    if (mb->reading == 0)
        mock_violation(mb, "msg_close %u without a msg_read since the last "
                       "msg_close", msgno);
    else if (mb->reading != msgno)
        mock_violation(mb, "msg_close %u but message %u is being read",
                       msgno, mb->reading);
    if (mb->pending_op == MOCK_OP_READ + 1)
        mock_violation(mb, "msg_close %u while its read is pending", msgno);
    mb->reading = 0;
    drop_chunk_copy(mb);
}

static void record_commit_set(mock_backend *mb, pop3_session *s,
                              const pop3_commit_request *req)
{
    uint32_t count = mb->open_user ? mb->open_user->nmsgs : 0;
    uint64_t octets = 0;
    uint32_t n = 0, prev = 0;
    mb->commit_ndeleted = 0;
    if (req->count != count)
        mock_violation(mb, "commit: count %u, the maildrop has %u",
                       req->count, count);
    for (uint32_t m = pop3_session_next_deleted(s, 0); m != 0;
         m = pop3_session_next_deleted(s, m)) {
        if (m <= prev || m > count) {
            mock_violation(mb, "commit: next_deleted gave %u after %u "
                           "(count %u)", m, prev, count);
            break;
        }
        if (!pop3_session_is_deleted(s, m))
            mock_violation(mb, "commit: next_deleted gave %u, is_deleted "
                           "says no", m);
        if (n < MOCK_MAX_RECORDED)
            mb->commit_deleted[n] = m;
        n++;
        octets += mb->open_user->msgs[m - 1].size;
        prev = m;
    }
    mb->commit_ndeleted = n;
    uint32_t marked = 0;
    for (uint32_t m = 1; m <= count; m++)
        marked += pop3_session_is_deleted(s, m) ? 1u : 0u;
    if (marked != n)
        mock_violation(mb, "commit: is_deleted marks %u, next_deleted "
                       "enumerates %u", marked, n);
    if (req->deleted != n)
        mock_violation(mb, "commit: req->deleted %u, enumerated %u",
                       req->deleted, n);
    if (req->deleted_octets != octets)
        mock_violation(mb, "commit: req->deleted_octets %llu, sizes add "
                       "up to %llu", (unsigned long long)req->deleted_octets,
                       (unsigned long long)octets);
}

static int cb_commit(void *ud, pop3_session *s,
                     const pop3_commit_request *req, int *result)
{
    mock_backend *mb = enter_request(ud, s, MOCK_OP_COMMIT);
    mb->commits++;
    if (mb->commits > 1)
        mock_violation(mb, "commit called %u times", mb->commits);
    if (mb->open_user == NULL)
        mock_violation(mb, "commit without an open maildrop");
    if (mb->reading)
        mock_violation(mb, "commit while message %u is still open",
                       mb->reading);
    if (pop3_session_state(s) != POP3_STATE_UPDATE)
        mock_violation(mb, "commit in state %s, not UPDATE",
                       pop3_state_name(pop3_session_state(s)));
    record_commit_set(mb, s, req);
    mb->commit_result = MOCK_FATAL;     /* not succeeded until answered */
    const mock_fail *f = match_fail(mb, MOCK_OP_COMMIT, 0);
    if (f && f->result == MOCK_FATAL)
        return -1;
    int r = f ? f->result : POP3_R_OK;
    if (mb->pending_mode) {
        mb->pend_commit = r;
        return reply_mode(mb, MOCK_OP_COMMIT);
    }
    mb->commit_result = r;
    *result = r;
    return POP3_ANSWERED;
}

static void cb_maildrop_close(void *ud, pop3_session *s, int committed)
{
    mock_backend *mb = enter(ud, s, "maildrop_close");
    mb->maildrop_closes++;
    mb->last_committed = committed;
    if (mb->open_user == NULL)
        mock_violation(mb, "maildrop_close without an open maildrop "
                       "(close #%u, opens %u)", mb->maildrop_closes, mb->opens);
    if (mb->reading)
        mock_violation(mb, "maildrop_close while message %u is not closed",
                       mb->reading);
    int should = mb->commits > 0 && mb->commit_result == POP3_R_OK &&
                 mb->pending_op != MOCK_OP_COMMIT + 1;
    if ((committed != 0) != should)
        mock_violation(mb, "maildrop_close(committed=%d) but commit %s",
                       committed,
                       mb->commits == 0 ? "was never called"
                       : should ? "succeeded" : "did not succeed");
    mb->open_user = NULL;
}

/* Does [p, p+n) contain the secret? */
static int contains(const char *p, size_t n, const void *sec, size_t len)
{
    if (p == NULL || len == 0 || len > n)
        return 0;
    for (size_t i = 0; i + len <= n; i++)
        if (memcmp(p + i, sec, len) == 0)
            return 1;
    return 0;
}

static void check_secret_free(mock_backend *mb, const char *p, size_t n,
                              const char *field)
{
    if (p == NULL)
        return;
    for (unsigned i = 0; i < mb->nsecrets; i++)
        if (contains(p, n, mb->secrets[i], mb->secret_lens[i]))
            mock_violation(mb, "trace event %s shows secret #%u", field, i);
    for (unsigned i = 0; i < mb->nusers; i++)
        if (mb->users[i].secret_len >= 4 &&
            contains(p, n, mb->users[i].secret, mb->users[i].secret_len))
            mock_violation(mb, "trace event %s shows the secret of %s",
                           field, mb->users[i].name);
}

void mock_check_wiped(mock_backend *mb, const void *mem, size_t size,
                      const char *what)
{
    const char *p = mem;
    for (unsigned i = 0; i < mb->nsecrets; i++)
        if (mb->secret_wipe[i] &&
            contains(p, size, mb->secrets[i], mb->secret_lens[i]))
            mock_violation(mb, "%s still holds the password \"%.*s\"", what,
                           (int)(mb->secret_lens[i] > 40 ? 40
                                 : mb->secret_lens[i]),
                           (const char *)mb->secrets[i]);
    for (unsigned i = 0; i < mb->nusers; i++)
        if (mb->users[i].secret_len >= 4 &&
            contains(p, size, mb->users[i].secret, mb->users[i].secret_len))
            mock_violation(mb, "%s still holds the secret of %s", what,
                           mb->users[i].name);
}

static int known_transition(int from, int to)
{
    size_t n = 0;
    const pop3_transition *t = pop3_transitions(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].from == from && t[i].to == to)
            return 1;
    return 0;
}

static void cb_trace(void *ud, pop3_session *s, const pop3_event *ev)
{
    mock_backend *mb = enter(ud, s, "trace");
    mb->events++;
    if (ev->state != pop3_session_state(s))
        mock_violation(mb, "trace event %d: state %d, session says %d",
                       ev->type, ev->state, pop3_session_state(s));
    /* No event of any type may show a password, secret, digest, token or
     * SASL response. */
    if (ev->verb)
        check_secret_free(mb, ev->verb, strlen(ev->verb), "verb");
    if (ev->args)
        check_secret_free(mb, ev->args, ev->args_len, "args");
    if (ev->line)
        check_secret_free(mb, ev->line, ev->line_len, "line");
    switch (ev->type) {
    case POP3_EV_COMMAND: {
        if (ev->verb == NULL) {
            mock_violation(mb, "COMMAND event without a verb");
            break;
        }
        /* PASS always carries a secret; APOP only when a digest follows
         * the name; AUTH when an initial response follows the
         * mechanism. */
        int secret = ev->args != NULL &&
                     (strcmp(ev->verb, "PASS") == 0 ||
                      ((strcmp(ev->verb, "APOP") == 0 ||
                        strcmp(ev->verb, "AUTH") == 0) &&
                       memchr(ev->args, ' ', ev->args_len) != NULL));
        if (secret && !ev->redacted)
            mock_violation(mb, "%s event not marked redacted", ev->verb);
        break;
    }
    case POP3_EV_REPLY:
        if (ev->line == NULL) {
            mock_violation(mb, "REPLY event without a line");
            break;
        }
        if (memchr(ev->line, '\r', ev->line_len) ||
            memchr(ev->line, '\n', ev->line_len))
            mock_violation(mb, "status line contains CR or LF");
        /* A SASL challenge ("+ " and base64, RFC 5034 s4) is traced as a
         * REPLY with ok = 1; it is not a status line (no 512 limit). */
        if (ev->ok && ev->line_len >= 2 && memcmp(ev->line, "+ ", 2) == 0) {
            for (size_t i = 2; i < ev->line_len; i++) {
                unsigned char c = (unsigned char)ev->line[i];
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                      c == '=')) {
                    mock_violation(mb, "SASL challenge is not base64");
                    break;
                }
            }
            break;
        }
        if (ev->line_len + 2 > 512)
            mock_violation(mb, "status line of %zu octets (max 512 with CRLF)",
                           ev->line_len + 2);
        if (ev->ok ? !(ev->line_len >= 4 && memcmp(ev->line, "+OK ", 4) == 0)
                   : !(ev->line_len >= 5 && memcmp(ev->line, "-ERR ", 5) == 0))
            mock_violation(mb, "status line '%.*s' (ok=%d) does not start "
                           "with \"+OK \" / \"-ERR \"",
                           (int)(ev->line_len > 60 ? 60 : ev->line_len),
                           ev->line, ev->ok);
        break;
    case POP3_EV_STATE:
        if (!known_transition(ev->old_state, ev->state))
            mock_violation(mb, "state change %s -> %s is not in "
                           "pop3_transitions()",
                           pop3_state_name(ev->old_state),
                           pop3_state_name(ev->state));
        break;
    case POP3_EV_LIMIT:
        if (ev->code > 0 && ev->code < 32)
            mb->limit_mask |= 1u << ev->code;
        break;
    case POP3_EV_CLOSE:
        if (mb->close_event)
            mock_violation(mb, "second CLOSE event");
        mb->close_event = ev->code;
        break;
    case POP3_EV_BODY:
    case POP3_EV_DISCARD:
        break;
    case POP3_EV_AUTH:
        /* A decided login attempt: a mechanism name, a verdict, and never
         * more than the user name (the secret checks above cover args). */
        if (!ev->verb || !ev->verb[0])
            mock_violation(mb, "AUTH event without a mechanism");
        if (ev->ok != 0 && ev->ok != 1)
            mock_violation(mb, "AUTH event ok=%d", ev->ok);
        if (ev->ok)
            mb->auth_ok_events++;
        else
            mb->auth_fail_events++;
        break;
    default:
        mock_violation(mb, "unknown trace event type %d", ev->type);
    }
}

/* Deterministic "randomness": the documented sequence random_start,
 * random_start + 1, ... (mod 256), so fixtures can predict nonces. */
static int cb_random(void *ud, void *buf, size_t len)
{
    mock_backend *mb = ud;
    unsigned char *p = buf;
    if (buf == NULL || len == 0)
        mock_violation(mb, "random(%p, %zu)", buf, len);
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)((mb->random_start + mb->random_count++) & 0xff);
    return 0;
}

/* The toy host mechanism (see mock_backend.sasl_*). */
static int cb_sasl_step(void *ud, pop3_session *s,
                        const pop3_sasl_request *req, pop3_sasl_answer *ans)
{
    static const char again[] = "again?";
    mock_backend *mb = enter_request(ud, s, MOCK_OP_SASL);
    mb->sasl_steps++;
    if (req->mechanism == NULL || req->mechanism[0] == '\0')
        mock_violation(mb, "sasl_step without a mechanism name");
    else
        for (const char *m = req->mechanism; *m; m++)
            if (*m >= 'a' && *m <= 'z') {
                mock_violation(mb, "sasl_step: mechanism \"%.40s\" is not "
                               "upper-case", req->mechanism);
                break;
            }
    if (req->step == 0) {
        mb->sasl_have_name = 0;
        memset(mb->sasl_name, 0, sizeof mb->sasl_name);
    } else if (req->step != mb->sasl_next_step) {
        mock_violation(mb, "sasl_step: step %u, expected %u", req->step,
                       mb->sasl_next_step);
    }
    if (!req->has_data && req->step != 0)
        mock_violation(mb, "sasl_step: step %u without client data",
                       req->step);
    if (req->len && req->data == NULL)
        mock_violation(mb, "sasl_step: %zu octets at NULL", req->len);
    mb->sasl_next_step = req->step + 1;

    pop3_sasl_answer a;
    memset(&a, 0, sizeof a);
    const mock_fail *f = match_fail(mb, MOCK_OP_SASL, 0);
    if (f && f->result == MOCK_FATAL)
        return -1;
    mb->authed = NULL;
    if (f) {
        a.result = f->result;
        if (a.result == POP3_R_CONTINUE) {
            a.data = again;
            a.len = sizeof again - 1;
        } else if (a.result == POP3_R_OK) {
            a.login_user = mb->sasl_have_name ? mb->sasl_name : NULL;
            mb->authed = find_user(mb, a.login_user);
        }
    } else if (!req->has_data) {
        a.result = POP3_R_CONTINUE;     /* empty challenge: send the name */
    } else if (!mb->sasl_have_name) {
        if (req->len == 0 || req->len >= MOCK_SASL_NAME ||
            memchr(req->data, 0, req->len)) {
            a.result = POP3_R_DENIED;
        } else {
            memcpy(mb->sasl_name, req->data, req->len);
            mb->sasl_name[req->len] = '\0';
            mb->sasl_have_name = 1;
            a.result = POP3_R_CONTINUE;
            a.data = again;
            a.len = sizeof again - 1;
        }
    } else if (req->len == strlen(mb->sasl_name) &&
               memcmp(req->data, mb->sasl_name, req->len) == 0 &&
               find_user(mb, mb->sasl_name) != NULL) {
        a.result = POP3_R_OK;
        a.login_user = mb->sasl_name;
        mb->authed = find_user(mb, mb->sasl_name);
    } else {
        a.result = POP3_R_DENIED;
    }
    if (mb->pending_mode) {
        mb->pend_sasl = a;
        return reply_mode(mb, MOCK_OP_SASL);
    }
    *ans = a;
    return POP3_ANSWERED;
}

void mock_callbacks(pop3_callbacks *cb)
{
    pop3_callbacks_init(cb);
    cb->authenticate = cb_authenticate;
    cb->open_maildrop = cb_open_maildrop;
    cb->msg_info = cb_msg_info;
    cb->msg_read = cb_msg_read;
    cb->msg_close = cb_msg_close;
    cb->commit = cb_commit;
    cb->maildrop_close = cb_maildrop_close;
    cb->trace = cb_trace;
    cb->random = cb_random;
    cb->sasl_step = cb_sasl_step;
}

/* ------------------------------------------------------------------------
 * Completion
 * ---------------------------------------------------------------------- */

int mock_deliver(mock_backend *mb, pop3_session *s)
{
    int op = mb->pending_op - 1;
    mb->pending_op = 0;
    switch (op) {
    case MOCK_OP_AUTH: {
        pop3_auth_answer a = mb->pend_auth;
        return pop3_session_auth_done(s, &a);
    }
    case MOCK_OP_OPEN: {
        pop3_maildrop a = mb->pend_open;
        if (a.result == POP3_R_OK) {
            mb->open_user = mb->pend_open_user;
            mb->opens++;
        }
        int rc = pop3_session_open_done(s, &a);
        if (rc != POP3_OK && a.result == POP3_R_OK && rc > POP3_E_FATAL &&
            mb->open_user) {
            /* The library refused the answer: the maildrop is not open. */
            mb->open_user = NULL;
            mb->opens--;
        }
        return rc;
    }
    case MOCK_OP_INFO: {
        pop3_msg_info a = mb->pend_info;
        return pop3_session_info_done(s, &a);
    }
    case MOCK_OP_READ: {
        pop3_chunk a = mb->pend_chunk;
        return pop3_session_read_done(s, &a);
    }
    case MOCK_OP_COMMIT:
        mb->commit_result = mb->pend_commit;
        return pop3_session_commit_done(s, mb->pend_commit);
    case MOCK_OP_SASL: {
        pop3_sasl_answer a = mb->pend_sasl;
        return pop3_session_sasl_done(s, &a);
    }
    default:
        return POP3_E_NOT_PENDING;
    }
}

void mock_finish(mock_backend *mb)
{
    if (mb->pending_op)
        mock_violation(mb, "session ended with a %s answer never delivered",
                       op_names[mb->pending_op - 1]);
    if (mb->open_user)
        mock_violation(mb, "session ended with the maildrop of %s open "
                       "(maildrop_close never called)", mb->open_user->name);
    if (mb->maildrop_closes != mb->opens)
        mock_violation(mb, "%u maildrop opens, %u maildrop_close calls",
                       mb->opens, mb->maildrop_closes);
    if (mb->reading)
        mock_violation(mb, "session ended with message %u read but never "
                       "closed (msg_close)", mb->reading);
    if (mb->nlive)
        mock_violation(mb, "%u allocator blocks never freed", mb->nlive);
    drop_chunk_copy(mb);
}

/* ------------------------------------------------------------------------
 * Counting allocator
 * ---------------------------------------------------------------------- */

static void *mock_alloc(void *ctx, size_t size)
{
    mock_backend *mb = ctx;
    if (mb->fail_alloc_after >= 0 &&
        mb->allocs >= (unsigned)mb->fail_alloc_after)
        return NULL;
    if (mb->nlive >= MOCK_MAX_LIVE) {
        mock_violation(mb, "more than %d live allocations", MOCK_MAX_LIVE);
        return NULL;
    }
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        return NULL;
    /* Not zeroed (the engine must not rely on that), and no stale bytes of
     * an earlier session to confuse mock_check_wiped. */
    memset(p, 0xa5, size);
    mb->allocs++;
    mb->live_ptr[mb->nlive] = p;
    mb->live_size[mb->nlive] = size;
    mb->nlive++;
    return p;
}

static void mock_free(void *ctx, void *ptr, size_t size)
{
    mock_backend *mb = ctx;
    if (ptr == NULL)
        return;
    for (unsigned i = 0; i < mb->nlive; i++) {
        if (mb->live_ptr[i] != ptr)
            continue;
        if (mb->live_size[i] != size)
            mock_violation(mb, "free of a %zu-octet block with size %zu",
                           mb->live_size[i], size);
        mock_check_wiped(mb, ptr, mb->live_size[i], "a freed session block");
        mb->nlive--;
        mb->live_ptr[i] = mb->live_ptr[mb->nlive];
        mb->live_size[i] = mb->live_size[mb->nlive];
        mb->frees++;
        free(ptr);
        return;
    }
    mock_violation(mb, "free of a block the allocator never gave out");
}

pop3_allocator mock_allocator(mock_backend *mb)
{
    pop3_allocator a;
    a.alloc = mock_alloc;
    a.free = mock_free;
    a.ctx = mb;
    return a;
}
