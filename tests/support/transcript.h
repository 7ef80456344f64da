/*
 * transcript.h - parse POP3 conversation fixtures (the .t files in
 * tests/transcripts, format in tests/transcripts/README.md) and replay them
 * against the engine under many I/O variants, each of which must produce
 * the same bytes.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct transcript transcript;

/* Parse a fixture.  name is used in messages (usually the file name).
 * Returns NULL on a syntax error, with the reason ("line N: ...") in err. */
transcript *transcript_parse(const char *text, size_t len, const char *name,
                             char *err, size_t errlen);
/* Read and parse a file (same error convention). */
transcript *transcript_load(const char *path, char *err, size_t errlen);
void transcript_free(transcript *t);
const char *transcript_name(const transcript *t);

/* Decode a C-escaped string body (\r \n \t \\ \" \xHH \0; no quotes) into
 * out (at least len bytes).  Returns the decoded length, or -1 on a bad
 * escape. */
long transcript_unescape(const char *in, size_t len, unsigned char *out);
/* Escape bytes for a readable message (\r \n \t \\ \" \xHH). */
void transcript_escape(const void *in, size_t len, char *out, size_t outcap);

enum tr_in_mode {
    TR_IN_WHOLE = 0,    /* each segment's client bytes offered at once */
    TR_IN_BYTE,         /* one byte at a time */
    TR_IN_SPLIT,        /* the client stream cut in two at split_at */
    TR_IN_RANDOM        /* pieces of random size */
};
enum tr_out_mode {
    TR_OUT_WHOLE = 0,   /* ack everything out_buf offers */
    TR_OUT_BYTE,        /* ack 1 byte at a time */
    TR_OUT_RANDOM       /* ack 1..97 bytes */
};

typedef struct tr_variant {
    const char *name;
    int in_mode;        /* tr_in_mode */
    int out_mode;       /* tr_out_mode */
    size_t split_at;    /* TR_IN_SPLIT: offset in the whole client stream */
    int pending;        /* every request callback answers POP3_PENDING */
    int use_recv;       /* pop3_session_recv instead of in_buf/in_ack */
    int caller_mem;     /* pop3_session_init in an exact-size block */
    int random_order;   /* pick the next host action at random */
    int output_first;   /* drain output and deliver answers before giving
                           more input (else input first, as a pipelining
                           client) */
    uint32_t seed;      /* for the random modes */
} tr_variant;

/* Run one variant.  Returns 0 when every expectation held, else 1 with a
 * description (fixture, variant, escaped expected and actual bytes) in
 * report. */
int transcript_run(const transcript *t, const tr_variant *v,
                   char *report, size_t reportlen);

/* Run every variant (only "whole", "out-byte" and "pending" when quick).
 * Stops at the first failing variant and writes its report.  Returns the
 * number of variants run, or -1 on failure. */
long transcript_run_all(const transcript *t, int quick,
                        char *report, size_t reportlen);

#endif
