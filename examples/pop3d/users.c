/*
 * users.c - the users file and password checks.
 *
 * File format (docs/pop3d.md): one "user:secret" per line; '#' comments and
 * blank lines.  The secret is everything after the first ':' (so a plain
 * password may contain ':'):
 *     text                 a plain secret (USER/PASS and APOP)
 *     {PLAIN}text          the same, explicitly
 *     {CRYPT}hash          a crypt(3) hash of any kind this system knows
 *     {SHA512-CRYPT}$6$... {SHA256-CRYPT}$5$...  {MD5-CRYPT}$1$...
 *     {BLF-CRYPT}$2y$...   {YESCRYPT}$y$...
 * Hashes work for USER/PASS only; APOP needs the plain secret.
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
    if (u->secret)
        wipe(u->secret, u->secret_len);
    free(u->secret);
    free(u->name);
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
    free(db->dummy_hash);
    memset(db, 0, sizeof *db);
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
            } else {
                for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
                    if (strlen(schemes[i].name) == nlen &&
                        memcmp(schemes[i].name, sec + 1, nlen) == 0)
                        sc = &schemes[i];
                if (!sc) {
                    *why = "unknown scheme (known: {PLAIN}, {CRYPT}, "
                           "{SHA512-CRYPT}, {SHA256-CRYPT}, {MD5-CRYPT}, "
                           "{BLF-CRYPT}, {YESCRYPT})";
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

    memset(db, 0, sizeof *db);
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
        if (u->kind == SECRET_PLAIN) {
            db->plain++;
        } else {
            db->hashed++;
            if (!db->dummy_hash)
                db->dummy_hash = strdup(u->secret);
        }
    }
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

        j->ok = scratch ? crypt_check(j->password, j->hash, scratch) : 0;
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

struct crypt_job *cryptpool_submit(void *owner, const char *hash,
                                   const char *password, size_t password_len,
                                   int force_fail)
{
    struct crypt_job *j;
    if (!pool_n)
        return NULL;
    j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->owner = owner;
    j->force_fail = force_fail;
    j->hash = strdup(hash);
    j->password = malloc(password_len + 1);
    if (!j->hash || !j->password) {
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
