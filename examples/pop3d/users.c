/*
 * users.c - the users file and password checks.
 *
 * File format (docs/pop3d.md): one "user:secret" per line; '#' comments and
 * blank lines.  The secret is everything after the first ':' (so a plain
 * password may contain ':'):
 *     text                 a plain secret (every mechanism but EXTERNAL
 *                          and the bearer tokens)
 *     {PLAIN}text          the same, explicitly
 *     {CRYPT}hash          a crypt(3) hash of any kind this system knows
 *     {SHA512-CRYPT}$6$... {SHA256-CRYPT}$5$...  {MD5-CRYPT}$1$...
 *     {BLF-CRYPT}$2y$...   {YESCRYPT}$y$...
 *     {SCRAM-SHA-256}iterations$salt$StoredKey$ServerKey   (base64)
 *     {SCRAM-SHA-1}...     the same for SCRAM-SHA-1
 *     {NONE}               no password: client certificate or token only
 * Hashes work for the mechanisms that send the password (USER/PASS, AUTH
 * PLAIN, AUTH LOGIN); SCRAM keys for those and their own SCRAM mechanism.
 *
 * The OAuth tokens file (--oauth-tokens) is read here too: "token user"
 * lines, a stand-in for a real token introspection endpoint.
 *
 * Hashing is slow on purpose, so it runs on a small pool of worker threads;
 * the event loop hears about finished jobs through a pipe.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "pop3d.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if POP3D_HAVE_CRYPT
#  include <crypt.h>
#endif

/* ------------------------------------------------------------------------
 * User names
 * ---------------------------------------------------------------------- */

/* A user name is also a directory name under the mail root and a POP3
 * argument: 1-40 printable ASCII characters, no '/', not starting with '.'
 * (which also rules out "." and ".."). */
int user_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > 40 || name[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x21 || ch > 0x7E || ch == '/' || ch == ':')
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * The table
 * ---------------------------------------------------------------------- */

static size_t hash_name(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

const struct user *userdb_find(const struct userdb *db, const char *name)
{
    const struct user *u;
    if (!db->nbucket || !name)
        return NULL;
    for (u = db->bucket[hash_name(name) % db->nbucket]; u; u = u->next)
        if (strcmp(u->name, name) == 0)
            return u;
    return NULL;
}

static void free_user(struct user *u)
{
    if (!u)
        return;
    if (u->secret)
        wipe(u->secret, u->secret_len);
    free(u->secret);
    free(u->name);
    wipe(u, sizeof *u);
    free(u);
}

void userdb_free(struct userdb *db)
{
    for (size_t i = 0; i < db->nbucket; i++) {
        struct user *u = db->bucket[i], *next;
        for (; u; u = next) {
            next = u->next;
            free_user(u);
        }
    }
    free(db->bucket);
    free_user(db->dummy);
    wipe(db, sizeof *db);
}

static int rehash(struct userdb *db)
{
    size_t n = db->nbucket ? db->nbucket * 2 : 64;
    struct user **b = calloc(n, sizeof *b);
    if (!b)
        return -1;
    for (size_t i = 0; i < db->nbucket; i++) {
        struct user *u = db->bucket[i], *next;
        for (; u; u = next) {
            size_t h = hash_name(u->name) % n;
            next = u->next;
            u->next = b[h];
            b[h] = u;
        }
    }
    free(db->bucket);
    db->bucket = b;
    db->nbucket = n;
    return 0;
}

struct scheme {
    const char *name;
    const char *prefix;         /* the hash must start with it ("" any) */
};
static const struct scheme schemes[] = {
    {"CRYPT", ""},
    {"SHA512-CRYPT", "$6$"},
    {"SHA256-CRYPT", "$5$"},
    {"MD5-CRYPT", "$1$"},
    {"BLF-CRYPT", "$2"},
    {"YESCRYPT", "$y$"},
};

/* base64 of up to n octets, then the separator (or the end). */
static int scram_field(const char **p, const char *end, char sep,
                       unsigned char *out, size_t cap, size_t *len)
{
    const char *q = *p;
    while (q < end && *q != sep)
        q++;
    if (b64_decode(*p, (size_t)(q - *p), out, cap, len) != 0)
        return -1;
    *p = q < end ? q + 1 : q;
    return 0;
}

int scram_parse(const char *s, size_t n, int alg, struct user *u,
                const char **why)
{
    const char *p = s, *end = s + n;
    char sep;
    unsigned long iter = 0;
    size_t k, h = hash_len(alg);

    while (p < end && *p >= '0' && *p <= '9') {
        iter = iter * 10 + (unsigned long)(*p++ - '0');
        if (iter > SCRAM_ITER_MAX)
            break;
    }
    if (p == s || p == end || (*p != '$' && *p != ',')) {
        *why = "SCRAM credentials are iterations$salt$StoredKey$ServerKey "
               "(base64; ',' may separate them too)";
        return -1;
    }
    if (iter < 1 || iter > SCRAM_ITER_MAX) {
        *why = "SCRAM iteration count out of range (1 to 1000000)";
        return -1;
    }
    sep = *p++;
    if (scram_field(&p, end, sep, u->salt, sizeof u->salt, &u->salt_len) != 0 ||
        u->salt_len == 0) {
        *why = "bad SCRAM salt (base64 of 1 to 64 octets)";
        return -1;
    }
    if (scram_field(&p, end, sep, u->stored_key, sizeof u->stored_key, &k) != 0 ||
        k != h) {
        *why = alg == HASH_SHA1 ? "bad SCRAM StoredKey (base64 of 20 octets)"
                                : "bad SCRAM StoredKey (base64 of 32 octets)";
        return -1;
    }
    if (p == end || memchr(p, sep, (size_t)(end - p)) ||
        scram_field(&p, end, sep, u->server_key, sizeof u->server_key, &k) != 0 ||
        k != h) {
        *why = alg == HASH_SHA1 ? "bad SCRAM ServerKey (base64 of 20 octets)"
                                : "bad SCRAM ServerKey (base64 of 32 octets)";
        return -1;
    }
    u->kind = SECRET_SCRAM;
    u->scram_alg = alg;
    u->iterations = (uint32_t)iter;
    return 0;
}

void userdb_derived_salt(const struct userdb *db, const char *name,
                         unsigned char out[16])
{
    unsigned char mac[32];
    hmac(HASH_SHA256, db->salt_key, sizeof db->salt_key, name, strlen(name), mac);
    memcpy(out, mac, 16);
    wipe(mac, sizeof mac);
}

/* Parse one line into *u.  Returns 0, or -1 with a reason in why. */
static int parse_line(char *line, size_t len, struct user *u, const char **why)
{
    char *colon = memchr(line, ':', len), *sec;
    size_t slen;

    if (memchr(line, '\0', len)) {
        *why = "NUL byte in the line";
        return -1;
    }
    if (!colon) {
        *why = "expected user:secret";
        return -1;
    }
    if (!user_name_ok(line, (size_t)(colon - line))) {
        *why = "bad user name (1-40 printable ASCII characters, no '/' or "
               "':', not starting with '.')";
        return -1;
    }
    *colon = '\0';
    sec = colon + 1;
    slen = len - (size_t)(sec - line);
    u->kind = SECRET_PLAIN;

    if (sec[0] == '{') {
        char *close = memchr(sec, '}', slen);
        size_t nlen = close ? (size_t)(close - sec - 1) : 0;
        size_t i;
        int scheme_like = close && nlen > 0;
        for (i = 1; scheme_like && i <= nlen; i++) {
            char ch = sec[i];
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '-'))
                scheme_like = 0;
        }
        if (scheme_like) {
            const struct scheme *sc = NULL;
            char *body = close + 1;
            size_t blen = slen - (size_t)(body - sec);
            if (nlen == 5 && memcmp(sec + 1, "PLAIN", 5) == 0) {
                sec = body;
                slen = blen;
            } else if ((nlen == 11 && memcmp(sec + 1, "SCRAM-SHA-1", 11) == 0) ||
                       (nlen == 13 && memcmp(sec + 1, "SCRAM-SHA-256", 13) == 0)) {
                if (scram_parse(body, blen, nlen == 11 ? HASH_SHA1 : HASH_SHA256,
                                u, why) != 0)
                    return -1;
                u->name = strdup(line);
                if (!u->name) {
                    *why = "out of memory";
                    return -1;
                }
                return 0;
            } else if (nlen == 4 && memcmp(sec + 1, "NONE", 4) == 0) {
                if (blen) {
                    *why = "{NONE} takes nothing after it";
                    return -1;
                }
                u->kind = SECRET_NONE;
                u->name = strdup(line);
                if (!u->name) {
                    *why = "out of memory";
                    return -1;
                }
                return 0;
            } else {
                for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
                    if (strlen(schemes[i].name) == nlen &&
                        memcmp(schemes[i].name, sec + 1, nlen) == 0)
                        sc = &schemes[i];
                if (!sc) {
                    *why = "unknown scheme (known: {PLAIN}, {CRYPT}, "
                           "{SHA512-CRYPT}, {SHA256-CRYPT}, {MD5-CRYPT}, "
                           "{BLF-CRYPT}, {YESCRYPT}, {SCRAM-SHA-1}, "
                           "{SCRAM-SHA-256}, {NONE})";
                    return -1;
                }
                if (blen == 0 || strncmp(body, sc->prefix, strlen(sc->prefix)) != 0) {
                    *why = "the hash does not match its {scheme}";
                    return -1;
                }
                for (i = 0; i < blen; i++)
                    if ((unsigned char)body[i] <= 0x20 || (unsigned char)body[i] > 0x7E) {
                        *why = "a crypt hash cannot contain spaces or control characters";
                        return -1;
                    }
                if (!crypt_supported(body)) {
                    *why = POP3D_HAVE_CRYPT
                        ? "this system's crypt(3) does not support this hash"
                        : "pop3d was built without crypt(3): hashed secrets are not available";
                    return -1;
                }
                u->kind = SECRET_CRYPT;
                sec = body;
                slen = blen;
            }
        }
    }
    if (slen == 0) {
        *why = "empty secret";
        return -1;
    }
    for (size_t i = 0; i < slen; i++)
        if ((unsigned char)sec[i] < 0x20 || (unsigned char)sec[i] == 0x7F) {
            /* The engine refuses control characters in a command line, so
             * such a password could never be typed. */
            *why = "control character in the secret";
            return -1;
        }
    if (slen > 200) {
        *why = "secret longer than 200 octets";
        return -1;
    }
    u->name = strdup(line);
    u->secret = malloc(slen + 1);
    if (!u->name || !u->secret) {
        *why = "out of memory";
        return -1;
    }
    memcpy(u->secret, sec, slen);
    u->secret[slen] = '\0';
    u->secret_len = slen;
    return 0;
}

int userdb_load(struct userdb *db, const char *path)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int bad = 0;
    struct stat st;
    struct hash_ctx file_hash;

    memset(db, 0, sizeof *db);
    hash_init(&file_hash, HASH_SHA256);
    hash_update(&file_hash, "pop3d SCRAM salt key v1\n", 24);
    f = fopen(path, "r");
    if (!f) {
        log_error("--users %s: %s", path, strerror(errno));
        return -1;
    }
    if (rehash(db) != 0) {
        fclose(f);
        log_error("out of memory");
        return -1;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n, i = 0;
        struct user *u;
        const char *why = NULL;
        const struct user *dup;
        lineno++;
        hash_update(&file_hash, line, len);
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        line[len] = '\0';
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len || line[i] == '#')
            continue;
        u = calloc(1, sizeof *u);
        if (!u || parse_line(line, len, u, &why) != 0) {
            log_error("%s:%lu: %s", path, lineno, u ? why : "out of memory");
            bad++;
            if (u)
                free_user(u);
            continue;
        }
        dup = userdb_find(db, u->name);
        if (dup) {
            log_error("%s:%lu: duplicate user %s", path, lineno, u->name);
            bad++;
            free_user(u);
            continue;
        }
        if (db->count + 1 > db->nbucket && rehash(db) != 0) {
            log_error("out of memory");
            bad++;
            free_user(u);
            break;
        }
        {
            size_t h = hash_name(u->name) % db->nbucket;
            u->next = db->bucket[h];
            db->bucket[h] = u;
        }
        db->count++;
        switch (u->kind) {
        case SECRET_PLAIN: db->plain++; break;
        case SECRET_CRYPT: db->hashed++; break;
        case SECRET_NONE: db->nologin++; break;
        default:
            if (u->scram_alg == HASH_SHA1)
                db->scram1++;
            else
                db->scram256++;
            break;
        }
        /* The dummy: a crypt hash if there is one (the costlier check),
         * else SCRAM keys. */
        if ((u->kind == SECRET_CRYPT &&
             (!db->dummy || db->dummy->kind != SECRET_CRYPT)) ||
            (u->kind == SECRET_SCRAM && !db->dummy)) {
            struct user *d = calloc(1, sizeof *d);
            if (!d || (u->secret && !(d->secret = strdup(u->secret)))) {
                free(d);
                log_error("out of memory");
                bad++;
                break;
            }
            d->kind = u->kind;
            d->secret_len = u->secret_len;
            d->scram_alg = u->scram_alg;
            d->iterations = u->iterations;
            memcpy(d->salt, u->salt, sizeof d->salt);
            d->salt_len = u->salt_len;
            memcpy(d->stored_key, u->stored_key, sizeof d->stored_key);
            free_user(db->dummy);
            db->dummy = d;
        }
    }
    hash_final(&file_hash, db->salt_key);
    if (ferror(f)) {
        log_error("--users %s: %s", path, strerror(errno));
        bad++;
    }
    if (line) {
        wipe(line, cap);
        free(line);
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH) && db->plain)
        log_info("warning: %s is readable by everyone and holds plain secrets", path);
    else if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH) &&
             (db->scram1 || db->scram256))
        log_info("warning: %s is readable by everyone and holds SCRAM keys "
                 "(a StoredKey and ServerKey let anyone impersonate the server)", path);
    fclose(f);
    if (bad) {
        log_error("%s: %d bad line%s", path, bad, bad == 1 ? "" : "s");
        userdb_free(db);
        return -1;
    }
    if (db->count == 0)
        log_info("warning: %s defines no users", path);
    return 0;
}

/* ------------------------------------------------------------------------
 * crypt(3)
 * ---------------------------------------------------------------------- */

#if POP3D_HAVE_CRYPT && !POP3D_HAVE_CRYPT_R
static pthread_mutex_t crypt_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

/* Hash password with the settings in hash; compare in constant time. */
static int crypt_check(const char *password, const char *hash, void *scratch)
{
#if POP3D_HAVE_CRYPT
    const char *out;
    size_t hl = strlen(hash);
    int ok;
#  if POP3D_HAVE_CRYPT_R
    out = crypt_r(password, hash, scratch);
    ok = out && out[0] != '*' && strlen(out) == hl && pop3_ct_equal(out, hash, hl);
#  else
    (void)scratch;
    pthread_mutex_lock(&crypt_lock);
    out = crypt(password, hash);
    ok = out && out[0] != '*' && strlen(out) == hl && pop3_ct_equal(out, hash, hl);
    pthread_mutex_unlock(&crypt_lock);
#  endif
    return ok;
#else
    (void)password; (void)hash; (void)scratch;
    return 0;
#endif
}

static size_t scratch_size(void)
{
#if POP3D_HAVE_CRYPT && POP3D_HAVE_CRYPT_R
    return sizeof(struct crypt_data);
#else
    return 1;
#endif
}

/* Hashing at load time costs as much as a login, so each kind of hash
 * ("$6$", "$2y$", ... up to the second '$') is tried once. */
#if POP3D_HAVE_CRYPT
static char tried_kind[16][8];
static unsigned char tried_ok[16];
static int tried_n;
#endif

int crypt_supported(const char *hash)
{
#if POP3D_HAVE_CRYPT
    void *scratch;
    const char *out;
    char kind[8] = "";
    int ok;
    if (hash[0] == '$') {
        const char *end = strchr(hash + 1, '$');
        size_t n = end ? (size_t)(end - hash) + 1 : 0;
        if (n && n < sizeof kind) {
            memcpy(kind, hash, n);
            kind[n] = '\0';
        }
    }
    for (int i = 0; i < tried_n; i++)
        if (kind[0] && strcmp(tried_kind[i], kind) == 0)
            return tried_ok[i];
    scratch = calloc(1, scratch_size());
    if (!scratch)
        return 0;
    /* Hashing anything with these settings must give a hash of the same
     * form; "*0"/"*1" or NULL mean "unsupported". */
#  if POP3D_HAVE_CRYPT_R
    out = crypt_r("probe", hash, scratch);
#  else
    out = crypt("probe", hash);
#  endif
    ok = out && out[0] != '*' && strlen(out) == strlen(hash);
    free(scratch);
    if (kind[0] && tried_n < 16) {
        memcpy(tried_kind[tried_n], kind, sizeof kind);
        tried_ok[tried_n++] = (unsigned char)ok;
    }
    return ok;
#else
    (void)hash;
    return 0;
#endif
}

/* ------------------------------------------------------------------------
 * The worker pool
 * ---------------------------------------------------------------------- */

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cv = PTHREAD_COND_INITIALIZER;
static struct crypt_job *todo_head, *todo_tail, *done_head;
static int pool_stopping;
static int wake_pipe[2] = {-1, -1};
static pthread_t pool_threads[8];
static int pool_n;

static void *worker(void *arg)
{
    void *scratch = calloc(1, scratch_size());
    (void)arg;
    for (;;) {
        struct crypt_job *j;
        pthread_mutex_lock(&pool_mu);
        while (!todo_head && !pool_stopping)
            pthread_cond_wait(&pool_cv, &pool_mu);
        if (pool_stopping) {
            pthread_mutex_unlock(&pool_mu);
            break;
        }
        j = todo_head;
        todo_head = j->next;
        if (!todo_head)
            todo_tail = NULL;
        pthread_mutex_unlock(&pool_mu);

        if (j->scram_alg) {
            /* SCRAM keys: derive StoredKey from the password and compare. */
            unsigned char sk[HASH_MAX], vk[HASH_MAX];
            scram_keys(j->scram_alg, j->password, j->password_len, j->salt,
                       j->salt_len, j->iterations, sk, vk);
            j->ok = pop3_ct_equal(sk, j->stored_key, hash_len(j->scram_alg));
            wipe(sk, sizeof sk);
            wipe(vk, sizeof vk);
        } else {
            j->ok = scratch ? crypt_check(j->password, j->hash, scratch) : 0;
        }
        if (j->force_fail)
            j->ok = 0;
        wipe(j->password, j->password_len);

        pthread_mutex_lock(&pool_mu);
        j->next = done_head;
        done_head = j;
        pthread_mutex_unlock(&pool_mu);
        /* Wake the loop; a full pipe already means "look". */
        if (write(wake_pipe[1], "", 1) < 0)
            (void)0;
    }
    if (scratch) {
        wipe(scratch, scratch_size());
        free(scratch);
    }
    return NULL;
}

int cryptpool_start(int threads)
{
    if (pool_n)
        return 0;
    if (pipe(wake_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    if (threads < 1)
        threads = 1;
    if (threads > (int)(sizeof pool_threads / sizeof pool_threads[0]))
        threads = (int)(sizeof pool_threads / sizeof pool_threads[0]);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&pool_threads[i], NULL, worker, NULL) != 0)
            break;
        pool_n++;
    }
    return pool_n ? 0 : -1;
}

int cryptpool_fd(void)
{
    return wake_pipe[0];
}

struct crypt_job *cryptpool_submit(void *owner, const struct user *u,
                                   const char *password, size_t password_len,
                                   int force_fail)
{
    struct crypt_job *j;
    if (!pool_n || (u->kind != SECRET_CRYPT && u->kind != SECRET_SCRAM))
        return NULL;
    j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->owner = owner;
    j->force_fail = force_fail;
    if (u->kind == SECRET_SCRAM) {
        j->scram_alg = u->scram_alg;
        j->iterations = u->iterations;
        memcpy(j->salt, u->salt, sizeof j->salt);
        j->salt_len = u->salt_len;
        memcpy(j->stored_key, u->stored_key, sizeof j->stored_key);
    } else {
        j->hash = strdup(u->secret);
    }
    j->password = malloc(password_len + 1);
    if ((!j->scram_alg && !j->hash) || !j->password) {
        cryptpool_free(j);
        return NULL;
    }
    memcpy(j->password, password, password_len);
    j->password[password_len] = '\0';
    j->password_len = password_len;
    pthread_mutex_lock(&pool_mu);
    if (todo_tail)
        todo_tail->next = j;
    else
        todo_head = j;
    todo_tail = j;
    pthread_cond_signal(&pool_cv);
    pthread_mutex_unlock(&pool_mu);
    return j;
}

struct crypt_job *cryptpool_done(void)
{
    struct crypt_job *list;
    char buf[64];
    while (read(wake_pipe[0], buf, sizeof buf) > 0)
        ;
    pthread_mutex_lock(&pool_mu);
    list = done_head;
    done_head = NULL;
    pthread_mutex_unlock(&pool_mu);
    return list;
}

void cryptpool_free(struct crypt_job *j)
{
    if (!j)
        return;
    if (j->password) {
        wipe(j->password, j->password_len);
        free(j->password);
    }
    free(j->hash);
    wipe(j, sizeof *j);
    free(j);
}

void cryptpool_stop(void)
{
    struct crypt_job *j, *next;
    if (!pool_n)
        return;
    pthread_mutex_lock(&pool_mu);
    pool_stopping = 1;
    pthread_cond_broadcast(&pool_cv);
    pthread_mutex_unlock(&pool_mu);
    for (int i = 0; i < pool_n; i++)
        pthread_join(pool_threads[i], NULL);
    pool_n = 0;
    for (j = todo_head; j; j = next) {
        next = j->next;
        cryptpool_free(j);
    }
    for (j = done_head; j; j = next) {
        next = j->next;
        cryptpool_free(j);
    }
    todo_head = todo_tail = done_head = NULL;
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    wake_pipe[0] = wake_pipe[1] = -1;
}

/* ------------------------------------------------------------------------
 * The OAuth tokens file: "token user" per line.  A stand-in for a real
 * authorization server's introspection endpoint (RFC 7662): it says which
 * user a token belongs to, nothing about scopes or expiry.
 * ---------------------------------------------------------------------- */

struct token {
    unsigned char digest[32];   /* SHA-256 of the token: no token in memory */
    char *user;
};

void tokendb_free(struct tokendb *db)
{
    for (size_t i = 0; i < db->n; i++)
        free(db->v[i].user);
    if (db->v)
        wipe(db->v, db->n * sizeof *db->v);
    free(db->v);
    memset(db, 0, sizeof *db);
}

/* RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/",
 * then "=" padding. */
static int token_ok(const char *t, size_t n)
{
    size_t i = 0;
    if (n == 0 || n > 4096)
        return 0;
    for (; i < n && t[i] != '='; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
              ch == '~' || ch == '+' || ch == '/'))
            return 0;
    }
    if (i == 0)
        return 0;
    for (; i < n; i++)
        if (t[i] != '=')
            return 0;
    return 1;
}

int tokendb_load(struct tokendb *db, const char *path)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    ssize_t got;
    unsigned long lineno = 0;
    int bad = 0;
    struct stat st;

    memset(db, 0, sizeof *db);
    f = fopen(path, "r");
    if (!f) {
        log_error("--oauth-tokens %s: %s", path, strerror(errno));
        return -1;
    }
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got, i = 0, tb, te, ub, ue;
        struct token t;
        const char *why = NULL;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len || line[i] == '#')
            continue;
        tb = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        te = i;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        ub = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        ue = i;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (ub == ue || i != len)
            why = "expected: token user";
        else if (!token_ok(line + tb, te - tb))
            why = "bad token (RFC 6750 characters: A-Z a-z 0-9 - . _ ~ + / "
                  "and = at the end)";
        else if (!user_name_ok(line + ub, ue - ub))
            why = "bad user name";
        if (why) {
            log_error("%s:%lu: %s", path, lineno, why);
            bad++;
            continue;
        }
        hash_buf(HASH_SHA256, line + tb, te - tb, t.digest);
        for (size_t k = 0; k < db->n; k++)
            if (memcmp(db->v[k].digest, t.digest, sizeof t.digest) == 0)
                why = "duplicate token";
        if (why) {
            log_error("%s:%lu: %s", path, lineno, why);
            bad++;
            continue;
        }
        t.user = strndup(line + ub, ue - ub);
        if (db->n == alloc) {
            size_t na = alloc ? alloc * 2 : 16;
            struct token *nv = realloc(db->v, na * sizeof *nv);
            if (!nv) {
                free(t.user);
                t.user = NULL;
            } else {
                db->v = nv;
                alloc = na;
            }
        }
        if (!t.user) {
            log_error("out of memory");
            bad++;
            break;
        }
        db->v[db->n++] = t;
    }
    if (ferror(f)) {
        log_error("--oauth-tokens %s: %s", path, strerror(errno));
        bad++;
    }
    if (line) {
        wipe(line, cap);
        free(line);
    }
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH) && db->n)
        log_info("warning: %s is readable by everyone and holds bearer tokens", path);
    fclose(f);
    if (bad) {
        log_error("%s: %d bad line%s", path, bad, bad == 1 ? "" : "s");
        tokendb_free(db);
        return -1;
    }
    if (db->n == 0)
        log_info("warning: %s defines no tokens", path);
    return 0;
}

const char *tokendb_find(const struct tokendb *db, const char *token, size_t len)
{
    unsigned char d[32];
    const char *found = NULL;
    hash_buf(HASH_SHA256, token, len, d);
    for (size_t i = 0; i < db->n; i++)
        if (pop3_ct_equal(db->v[i].digest, d, sizeof d))
            found = db->v[i].user;
    wipe(d, sizeof d);
    return found;
}
