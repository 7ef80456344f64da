/*
 * trace2svg.c - draw a libpop3 protocol trace as an SVG sequence diagram.
 *
 *   trace2svg [-t TITLE] [-s SESSION] [TRACE] > session.svg
 *
 * Reads the trace written by examples/pop3d (--trace FILE) or by
 * examples/trace_demo.c (standard input when TRACE is absent or "-") and
 * draws one session: a client and a server lifeline, an arrow for each
 * command and each reply, multi-line replies summarised on one arrow
 * ("+OK 2 messages (188 octets)" and "... 2 lines, 15 octets"), state
 * changes, the TLS handshake and the end of the session as notes.
 *
 * Lines of the trace (one event each; docs/diagrams/README.md has the
 * details):
 *
 *   [TIMESTAMP] [#ID] connect TEXT
 *   [TIMESTAMP] [#ID] C: COMMAND
 *   [TIMESTAMP] [#ID] S: STATUS-LINE          (also "+ " SASL challenges)
 *   [TIMESTAMP] [#ID] S: (body of N octets[, message M][, L lines])
 *   [TIMESTAMP] [#ID] state FROM -> TO
 *   [TIMESTAMP] [#ID] limit NAME | discarded N octets | close REASON
 *   [TIMESTAMP] [#ID] tls ok | tls failed
 *
 * A trace from pop3d interleaves sessions; the #ID picks one (-s ID; by
 * default the first one in the file).  Other lines are skipped.
 *
 * Secrets: the engine never puts PASS arguments, APOP digests or SASL
 * payloads into its events (they arrive here as "***"), and SASL
 * continuation lines from the client are not events at all; this tool
 * draws them as a dashed arrow without content.  It adds nothing that is
 * not in its input.
 *
 * Output is deterministic: the same trace gives the same bytes.  No
 * libpop3 call is needed; this is plain C11 and stdio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parsed session -------------------------------------------------- */

enum item_kind {
    IT_CLIENT,      /* a command: client -> server */
    IT_INFERRED,    /* a SASL response the trace cannot show */
    IT_REPLY,       /* a status line: server -> client */
    IT_STATE,       /* a state change (note on the server) */
    IT_NOTE,        /* a note on the server: limit, discard */
    IT_BAND,        /* a note across both lifelines: connect, TLS, close */
};

typedef struct item {
    int kind;
    char text[256];
    char sub[128];  /* second line: body summary */
    int tone;       /* IT_REPLY: 1 +OK, 0 -ERR, 2 challenge */
} item;

static item *items;
static size_t nitems, capitems;
static unsigned long skipped;

static item *add(int kind, const char *text)
{
    if (nitems == capitems) {
        capitems = capitems ? capitems * 2 : 64;
        items = realloc(items, capitems * sizeof *items);
        if (!items) {
            fprintf(stderr, "trace2svg: out of memory\n");
            exit(1);
        }
    }
    item *it = &items[nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->text, sizeof it->text, "%s", text);
    return it;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "(body of N octets[, message M][, L lines])" -> "... L lines and "."
 * (N octets)".  Lenient: anything else inside the parentheses is ignored. */
static int body_summary(const char *p, char *out, size_t cap)
{
    unsigned long long octets, lines = 0;
    int have_lines = 0;
    const char *close = strrchr(p, ')'), *q;
    char *end;
    if (!starts(p, "(body of ") || !close || close[1] != '\0')
        return 0;
    octets = strtoull(p + 9, &end, 10);
    if (end == p + 9 || !starts(end, " octets"))
        return 0;
    for (q = end; (q = strstr(q, ", ")) != NULL && q < close; q += 2) {
        unsigned long long v = strtoull(q + 2, &end, 10);
        if (end != q + 2 && starts(end, " line")) {
            lines = v;
            have_lines = 1;
        }
    }
    if (have_lines)
        snprintf(out, cap, "\xe2\x80\xa6 %llu line%s and \".\" (%llu octets)",
                 lines, lines == 1 ? "" : "s", octets);
    else
        snprintf(out, cap, "\xe2\x80\xa6 body and \".\" (%llu octets)", octets);
    return 1;
}

/* After a "+ " challenge the client's answer is not in the trace; the next
 * event of the server shows that it came. */
static void response_came(int *awaiting_response)
{
    if (*awaiting_response)
        add(IT_INFERRED, "(SASL response: not in the trace)");
    *awaiting_response = 0;
}

static void parse_line(char *line, const char *want_id, char *first_id,
                       int *awaiting_response)
{
    char *p = line, *id = NULL;

    line[strcspn(line, "\r\n")] = '\0';
    /* Optional "2026-01-01T00:00:00.000Z " and "#N " prefixes. */
    if (p[0] >= '0' && p[0] <= '9' && strchr(p, ' ') &&
        memchr(p, 'T', (size_t)(strchr(p, ' ') - p)))
        p = strchr(p, ' ') + 1;
    if (p[0] == '#') {
        id = p + 1;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
    if (id) {
        if (want_id && strcmp(id, want_id) != 0)
            return;
        if (!want_id) {
            if (!first_id[0])
                snprintf(first_id, 32, "%s", id);
            else if (strcmp(id, first_id) != 0)
                return;
        }
    }

    if (starts(p, "C: ")) {
        add(IT_CLIENT, p + 3);
        *awaiting_response = 0;
    } else if (starts(p, "S: ")) {
        const char *s = p + 3;
        char sub[128];
        if (body_summary(s, sub, sizeof sub)) {
            if (nitems && items[nitems - 1].kind == IT_REPLY)
                snprintf(items[nitems - 1].sub, sizeof items[nitems - 1].sub,
                         "%s", sub);
            return;
        }
        response_came(awaiting_response);
        item *it = add(IT_REPLY, s);
        it->tone = starts(s, "+OK") ? 1 : s[0] == '+' ? 2 : 0;
        if (it->tone == 2 && s[1 + strspn(s + 1, " ")] == '\0')
            snprintf(it->text, sizeof it->text, "+  (empty challenge)");
        *awaiting_response = it->tone == 2;
    } else if (starts(p, "state ")) {
        char buf[256];
        const char *arrow = strstr(p + 6, " -> ");
        if (!arrow)
            return;
        if (starts(p + 6, "INIT "))
            return;                 /* the greeting is the start */
        response_came(awaiting_response);
        snprintf(buf, sizeof buf, "%.*s \xe2\x86\x92 %s", (int)(arrow - (p + 6)),
                 p + 6, arrow + 4);
        add(IT_STATE, buf);
    } else if (starts(p, "connect ")) {
        char buf[256];
        snprintf(buf, sizeof buf, "connection: %s", p + 8);
        add(IT_BAND, buf);
    } else if (strcmp(p, "tls ok") == 0) {
        add(IT_BAND, "TLS handshake (done by the host), succeeded");
        *awaiting_response = 0;
    } else if (strcmp(p, "tls failed") == 0) {
        add(IT_BAND, "TLS handshake (done by the host), failed");
    } else if (starts(p, "close ")) {
        char buf[256];
        snprintf(buf, sizeof buf, "session closed: %s", p + 6);
        add(IT_BAND, buf);
        *awaiting_response = 0;
    } else if (starts(p, "limit ")) {
        char buf[256];
        response_came(awaiting_response);
        snprintf(buf, sizeof buf, "limit reached: %s", p + 6);
        add(IT_NOTE, buf);
    } else if (starts(p, "discarded ")) {
        add(IT_NOTE, p);
    } else if (*p) {
        skipped++;
    }
}

/* ---- SVG output ---------------------------------------------------------- */

#define WIDTH       820
#define X_CLIENT    130
#define X_SERVER    690
#define CHAR_W      7.3         /* 12px monospace advance, rounded up */
#define LABEL_MAX   72          /* characters on an arrow */

/* Length in characters of valid UTF-8 text (each sequence counts 1). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Write text as XML character data: escape markup, keep well-formed UTF-8,
 * show other bytes as \xNN, and cut it to max characters with an ellipsis. */
static void put_text(FILE *out, const char *s, size_t max)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = 1;
        if (n == max) {
            fputs("\xe2\x80\xa6", out);
            return;
        }
        if (*p >= 0x80) {
            len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                : (*p & 0xF8) == 0xF0 ? 4 : 0;
            for (size_t i = 1; i < len; i++)
                if ((p[i] & 0xC0) != 0x80)
                    len = 0;
            if (len == 2 && *p < 0xC2)
                len = 0;
            if (len)
                fwrite(p, 1, len, out);
            else
                fprintf(out, "\\x%02X", *p), len = 1;
        } else if (*p == '<') {
            fputs("&lt;", out);
        } else if (*p == '>') {
            fputs("&gt;", out);
        } else if (*p == '&') {
            fputs("&amp;", out);
        } else if (*p < 0x20 || *p == 0x7F) {
            fprintf(out, "\\x%02X", *p);
        } else {
            fputc(*p, out);
        }
        p += len;
        n++;
    }
}

static int row_height(const item *it)
{
    switch (it->kind) {
    case IT_REPLY: return it->sub[0] ? 46 : 32;
    case IT_BAND: return 34;
    default: return 32;
    }
}

static void box(FILE *out, double x, double y, double w, double h,
                const char *cls)
{
    fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" rx=\"4\"/>\n", cls, x, y, w, h);
}

static void draw(FILE *out, const char *title)
{
    int top = title ? 48 : 16;
    int head_h = 30;
    int y = top + head_h + 18;
    int height;

    for (size_t i = 0; i < nitems; i++)
        y += row_height(&items[i]);
    height = y + 12 + head_h + 16;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\">\n", WIDTH, height, WIDTH, height);
    fprintf(out, "<!-- generated by examples/trace2svg.c from a libpop3 trace -->\n");
    fputs("<style>\n"
          "text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; "
          "font-size: 12px; fill: #1b1f23; }\n"
          ".title { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; "
          "font-size: 15px; font-weight: bold; }\n"
          ".head { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; "
          "font-size: 13px; font-weight: bold; }\n"
          ".sub { fill: #57606a; font-style: italic; }\n"
          ".small { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; "
          "font-size: 11.5px; }\n"
          ".life { stroke: #8c959f; stroke-width: 1; stroke-dasharray: 4 3; }\n"
          ".headbox { fill: #eaeef2; stroke: #57606a; stroke-width: 1.2; }\n"
          ".state { fill: #fff8c5; stroke: #9a6700; stroke-width: 1; }\n"
          ".note { fill: #ffebe9; stroke: #cf222e; stroke-width: 1; }\n"
          ".band { fill: #ddf4ff; stroke: #54aeff; stroke-width: 1; }\n"
          ".c { stroke: #0969da; stroke-width: 1.5; }\n"
          ".ok { stroke: #1a7f37; stroke-width: 1.5; }\n"
          ".err { stroke: #cf222e; stroke-width: 1.5; }\n"
          ".chal { stroke: #8250df; stroke-width: 1.5; }\n"
          ".inf { stroke: #8c959f; stroke-width: 1.5; stroke-dasharray: 6 4; }\n"
          "</style>\n", out);
    fputs("<defs>\n", out);
    {
        static const char *const marks[][2] = {
            {"c", "#0969da"}, {"ok", "#1a7f37"}, {"err", "#cf222e"},
            {"chal", "#8250df"}, {"inf", "#8c959f"},
        };
        for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
            fprintf(out, "<marker id=\"a-%s\" viewBox=\"0 0 10 10\" refX=\"10\" "
                    "refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" "
                    "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
                    "fill=\"%s\"/></marker>\n", marks[i][0], marks[i][1]);
    }
    fputs("</defs>\n", out);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            WIDTH, height);

    if (title) {
        fprintf(out, "<text class=\"title\" x=\"%d\" y=\"28\" text-anchor=\"middle\">",
                WIDTH / 2);
        put_text(out, title, 90);
        fputs("</text>\n", out);
    }

    /* Lifelines and their heads, top and bottom. */
    {
        int bottom = height - 16 - head_h;
        static const struct { int x; const char *name; } heads[] = {
            {X_CLIENT, "client"}, {X_SERVER, "server (libpop3 session)"},
        };
        for (int i = 0; i < 2; i++) {
            double w = i ? 200 : 110;
            fprintf(out, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                    heads[i].x, top + head_h, heads[i].x, bottom);
            for (int k = 0; k < 2; k++) {
                int yy = k ? bottom : top;
                box(out, heads[i].x - w / 2, yy, w, head_h, "headbox");
                fprintf(out, "<text class=\"head\" x=\"%d\" y=\"%d\" "
                        "text-anchor=\"middle\">%s</text>\n",
                        heads[i].x, yy + 20, heads[i].name);
            }
        }
    }

    y = top + head_h + 18;
    for (size_t i = 0; i < nitems; i++) {
        const item *it = &items[i];
        int h = row_height(it);
        int mid = (X_CLIENT + X_SERVER) / 2;
        switch (it->kind) {
        case IT_CLIENT:
        case IT_INFERRED:
        case IT_REPLY: {
            const char *cls = it->kind == IT_CLIENT ? "c"
                            : it->kind == IT_INFERRED ? "inf"
                            : it->tone == 1 ? "ok" : it->tone == 2 ? "chal" : "err";
            int right = it->kind != IT_REPLY;
            int ay = y + 20;
            fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\"%s>", mid,
                    ay - 6, it->kind == IT_INFERRED ? " class=\"sub\"" : "");
            put_text(out, it->text, LABEL_MAX);
            fputs("</text>\n", out);
            fprintf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                    "marker-end=\"url(#a-%s)\"/>\n", cls,
                    right ? X_CLIENT : X_SERVER, ay, right ? X_SERVER - 2 : X_CLIENT + 2,
                    ay, cls);
            if (it->sub[0]) {
                fprintf(out, "<text class=\"sub\" x=\"%d\" y=\"%d\" "
                        "text-anchor=\"middle\">", mid, ay + 16);
                put_text(out, it->sub, LABEL_MAX);
                fputs("</text>\n", out);
            }
            break;
        }
        case IT_STATE:
        case IT_NOTE: {
            double w = (double)chars(it->text) * 6.9 + 20;
            if (w > 2.0 * (WIDTH - X_SERVER) - 12)
                w = 2.0 * (WIDTH - X_SERVER) - 12;
            box(out, X_SERVER - w / 2, y + 5, w, 22,
                it->kind == IT_STATE ? "state" : "note");
            fprintf(out, "<text class=\"small\" x=\"%d\" y=\"%d\" "
                    "text-anchor=\"middle\">", X_SERVER, y + 20);
            put_text(out, it->text, 40);
            fputs("</text>\n", out);
            break;
        }
        case IT_BAND:
            box(out, X_CLIENT - 60, y + 5, X_SERVER - X_CLIENT + 120, 24, "band");
            fprintf(out, "<text class=\"small\" x=\"%d\" y=\"%d\" "
                    "text-anchor=\"middle\">", mid, y + 21);
            put_text(out, it->text, 90);
            fputs("</text>\n", out);
            break;
        }
        y += h;
    }
    fputs("</svg>\n", out);
}

static int usage(void)
{
    fprintf(stderr, "usage: trace2svg [-t TITLE] [-s SESSION] [TRACE] > OUT.svg\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *title = NULL, *want = NULL, *path = NULL;
    char line[8192], first[32] = "";
    int awaiting = 0;
    FILE *in;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            title = argv[++i];
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            want = argv[++i][0] == '#' ? argv[i] + 1 : argv[i];
        else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    in = !path || strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        perror(path);
        return 1;
    }
    while (fgets(line, sizeof line, in)) {
        if (!strchr(line, '\n') && !feof(in)) {
            int c;                      /* an absurdly long line: cut it */
            while ((c = fgetc(in)) != EOF && c != '\n')
                ;
        }
        parse_line(line, want, first, &awaiting);
    }
    if (ferror(in)) {
        perror(path ? path : "stdin");
        return 1;
    }
    if (in != stdin)
        fclose(in);
    if (nitems == 0) {
        fprintf(stderr, "trace2svg: no session events found%s%s\n",
                want ? " for #" : "", want ? want : "");
        return 1;
    }
    if (skipped)
        fprintf(stderr, "trace2svg: %lu unrecognised line%s skipped\n", skipped,
                skipped == 1 ? "" : "s");
    draw(stdout, title);
    free(items);
    return fflush(stdout) == 0 ? 0 : 1;
}
