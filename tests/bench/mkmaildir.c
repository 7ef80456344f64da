/*
 * mkmaildir.c - make the Maildirs and user lists of the server comparison
 * (tests/bench/compare.sh).
 *
 *   mkmaildir ROOT PREFIX USERS SIZES [PASSWORD]
 *
 * Makes users PREFIX0 .. PREFIX<USERS-1>, each with the Maildir
 * ROOT/mail/USER holding one message per size in SIZES (a comma-separated
 * list of octet counts; messages of 100 KB and more are MIME with a base64
 * attachment, the others plain text, all stored with LF line ends as
 * delivery agents write them).  The message files are hard links to one
 * copy in ROOT/pool, so 10,000 users cost little disk.  File names carry
 * S= (the stored size) and W= (the POP3 size), which pop3d and Dovecot both
 * read instead of opening every file.
 *
 * Appends "USER:{PLAIN}PASSWORD" lines to ROOT/users (pop3d) and
 * ROOT/passwd (Dovecot passwd-file).  PASSWORD defaults to "secret".
 */
#define _POSIX_C_SOURCE 200809L
#include "pop3.h"
#include "msggen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
    fprintf(stderr, "mkmaildir: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void mkdir_p(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die("mkdir", path);
}

int main(int argc, char **argv)
{
    const char *root, *prefix, *pass;
    char path[4096], link_path[4096];
    unsigned long users, u, sizes[256];
    uint64_t wire[256];
    size_t nsizes = 0, i;
    char *list, *tok, *save = NULL;
    FILE *fu, *fp;

    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: mkmaildir ROOT PREFIX USERS SIZES [PASSWORD]\n");
        return 2;
    }
    root = argv[1];
    prefix = argv[2];
    users = strtoul(argv[3], NULL, 10);
    pass = argc > 5 ? argv[5] : "secret";
    list = strdup(argv[4]);
    for (tok = strtok_r(list, ",", &save); tok && nsizes < 256;
         tok = strtok_r(NULL, ",", &save))
        sizes[nsizes++] = strtoul(tok, NULL, 10);
    if (!users || !nsizes || strlen(root) > 3000) {
        fprintf(stderr, "mkmaildir: bad arguments\n");
        return 2;
    }

    snprintf(path, sizeof path, "%s/pool", root);
    mkdir_p(root);
    mkdir_p(path);
    snprintf(path, sizeof path, "%s/mail", root);
    mkdir_p(path);

    /* The pool: one file per size. */
    for (i = 0; i < nsizes; i++) {
        size_t cap = sizes[i], len;
        unsigned char *buf = malloc(cap ? cap : 1);
        int kind = sizes[i] >= 100000 ? MSG_B64 : MSG_TEXT;
        int fd;
        if (!buf)
            die("malloc", "");
        len = msggen_make(buf, cap, kind, 0, (unsigned)i + 1);
        wire[i] = pop3_wire_size(buf, len);
        sizes[i] = len;
        snprintf(path, sizeof path, "%s/pool/%s-%zu", root, prefix, i);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) != 0)
            die("write", path);
        free(buf);
    }

    snprintf(path, sizeof path, "%s/users", root);
    fu = fopen(path, "a");
    if (!fu)
        die("open", path);
    snprintf(path, sizeof path, "%s/passwd", root);
    fp = fopen(path, "a");
    if (!fp)
        die("open", path);
    for (u = 0; u < users; u++) {
        static const char *const sub[] = {"cur", "new", "tmp"};
        size_t k;
        snprintf(path, sizeof path, "%s/mail/%s%lu", root, prefix, u);
        mkdir_p(path);
        for (k = 0; k < 3; k++) {
            snprintf(path, sizeof path, "%s/mail/%s%lu/%s", root, prefix, u, sub[k]);
            mkdir_p(path);
        }
        for (i = 0; i < nsizes; i++) {
            snprintf(path, sizeof path, "%s/pool/%s-%zu", root, prefix, i);
            snprintf(link_path, sizeof link_path,
                     "%s/mail/%s%lu/cur/%lu.M%zuP%lu.bench,S=%lu,W=%llu:2,S",
                     root, prefix, u, 1700000000ul + (unsigned long)i, i, u,
                     sizes[i], (unsigned long long)wire[i]);
            if (link(path, link_path) != 0 && errno != EEXIST)
                die("link", link_path);
        }
        fprintf(fu, "%s%lu:{PLAIN}%s\n", prefix, u, pass);
        fprintf(fp, "%s%lu:{PLAIN}%s\n", prefix, u, pass);
    }
    if (fclose(fu) != 0 || fclose(fp) != 0)
        die("close", "users");
    free(list);
    return 0;
}
