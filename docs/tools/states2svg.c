/*
 * states2svg.c - draw the session state machine from the engine's own
 * transition table, pop3_transitions(), as SVG on standard output.
 *
 *   states2svg > docs/diagrams/states.svg       (make docs does this)
 *
 * The engine checks every state change it makes against that table, so
 * the picture cannot drift from the code: make check-docs regenerates it
 * and compares it with the committed file byte for byte.
 *
 * Layout (no Graphviz needed): the states that can be left stand in one
 * row, in enum order, the initial pseudo-state (INIT) as a dot at its
 * left; a state that cannot be left (CLOSED) is a bar under the row.
 * An edge between neighbours in the row is a horizontal arrow, an edge to
 * the bar a vertical one, a self-transition a loop above its box, and any
 * other edge an arc above the row.  Labels are the table's event texts,
 * wrapped.  Output is deterministic.
 */
#include <pop3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STATES 16
#define CHAR_W 6.9              /* 12px sans-serif, a little generous */
#define LINE_H 15
#define BOX_H 40
#define WRAP 24                 /* characters per label line */

typedef struct edge {
    int from, to;
    char label[512];
} edge;

static edge edges[64];
static size_t nedges;

static int row[MAX_STATES], nrow;       /* states in the row, in order */
static int terminal = -1;               /* the bar, if any */
static double cx[MAX_STATES], half[MAX_STATES];

static void xml(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        default: fputc(s[i], out); break;
        }
    }
}

/* Greedy word wrap: line starts and lengths; returns the number of lines. */
static int wrap(const char *s, int width, const char **start, size_t *len, int max)
{
    int n = 0;
    while (*s && n < max) {
        const char *p = s, *brk = NULL;
        while (*p && p - s < width) {
            if (*p == ' ')
                brk = p;
            p++;
        }
        if (!*p)
            brk = p;
        else if (*p == ' ')
            brk = p;
        else if (!brk)
            brk = p;                    /* a word longer than the width */
        start[n] = s;
        len[n] = (size_t)(brk - s);
        n++;
        s = brk;
        while (*s == ' ')
            s++;
    }
    return n;
}

static int label_lines(const char *label, int width)
{
    const char *st[16];
    size_t ln[16];
    return wrap(label, width, st, ln, 16);
}

static double label_width(const char *label, int width)
{
    const char *st[16];
    size_t ln[16], most = 0;
    int n = wrap(label, width, st, ln, 16);
    for (int i = 0; i < n; i++)
        if (ln[i] > most)
            most = ln[i];
    return (double)most * CHAR_W;
}

/* Text lines with their first baseline at y, anchored as given. */
static void text_block(FILE *out, double x, double y, const char *anchor,
                       const char *label, int width)
{
    const char *st[16];
    size_t ln[16];
    int n = wrap(label, width, st, ln, 16);
    for (int i = 0; i < n; i++) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x,
                y + i * LINE_H, anchor);
        xml(out, st[i], ln[i]);
        fputs("</text>\n", out);
    }
}

static int row_index(int state)
{
    for (int i = 0; i < nrow; i++)
        if (row[i] == state)
            return i;
    return -1;
}

static const edge *find_edge(int from, int to)
{
    for (size_t i = 0; i < nedges; i++)
        if (edges[i].from == from && edges[i].to == to)
            return &edges[i];
    return NULL;
}

int main(void)
{
    size_t n = 0;
    const pop3_transition *t = pop3_transitions(&n);
    int seen[MAX_STATES] = {0}, leaves[MAX_STATES] = {0};
    FILE *out = stdout;

    /* Collect edges (merging duplicate pairs) and states. */
    for (size_t i = 0; i < n; i++) {
        edge *e = NULL;
        if (t[i].from < 0 || t[i].from >= MAX_STATES || t[i].to < 0 ||
            t[i].to >= MAX_STATES) {
            fprintf(stderr, "states2svg: state out of range in row %zu\n", i);
            return 1;
        }
        for (size_t k = 0; k < nedges; k++)
            if (edges[k].from == t[i].from && edges[k].to == t[i].to)
                e = &edges[k];
        if (e) {
            size_t used = strlen(e->label);
            snprintf(e->label + used, sizeof e->label - used, "; %s", t[i].event);
        } else {
            if (nedges == sizeof edges / sizeof edges[0]) {
                fprintf(stderr, "states2svg: too many transitions\n");
                return 1;
            }
            e = &edges[nedges++];
            e->from = t[i].from;
            e->to = t[i].to;
            snprintf(e->label, sizeof e->label, "%s", t[i].event);
        }
        seen[t[i].from] = seen[t[i].to] = 1;
        if (t[i].from != t[i].to)
            leaves[t[i].from] = 1;
    }
    for (int s = 0; s < MAX_STATES; s++) {
        if (!seen[s])
            continue;
        if (!leaves[s] && terminal < 0 && s != POP3_STATE_INIT)
            terminal = s;
        else
            row[nrow++] = s;
    }

    /* Horizontal placement: each gap fits the label of the arrow that
     * crosses it, and the label of the vertical arrow on its left. */
    {
        double x = 40;
        for (int i = 0; i < nrow; i++) {
            int s = row[i];
            double gap = 0;
            half[s] = s == POP3_STATE_INIT ? 9
                    : (double)strlen(pop3_state_name(s)) * 8.2 / 2 + 20;
            x += half[s];
            cx[s] = x;
            x += half[s];
            if (i + 1 < nrow) {
                const edge *h = find_edge(s, row[i + 1]);
                const edge *v = terminal >= 0 ? find_edge(s, terminal) : NULL;
                int nx = row[i + 1];
                double nhalf = nx == POP3_STATE_INIT ? 9
                             : (double)strlen(pop3_state_name(nx)) * 8.2 / 2 + 20;
                gap = h ? label_width(h->label, WRAP) + 28 : 60;
                if (gap < 70)
                    gap = 70;
                /* The vertical label starts 8px right of cx[s]. */
                if (v) {
                    double need = label_width(v->label, WRAP) + 24 - half[s] - nhalf;
                    if (gap < need)
                        gap = need;
                }
                x += gap;
            }
        }
    }

    /* Vertical placement. */
    double top_room = 30, row_y, bar_y = 0, width, height;
    int max_vlines = 0, max_hlines = 0;
    for (size_t i = 0; i < nedges; i++) {
        const edge *e = &edges[i];
        int lines_self = e->from == e->to ? label_lines(e->label, 34) : 0;
        int ri = row_index(e->from), rj = row_index(e->to);
        if (e->from == e->to && e->from != terminal) {
            double need = 44 + lines_self * LINE_H + 8;
            if (need > top_room)
                top_room = need;
        } else if (ri >= 0 && rj >= 0 && rj == ri + 1) {
            int l = label_lines(e->label, WRAP);
            if (l > max_hlines)
                max_hlines = l;
        } else if (ri >= 0 && e->to == terminal) {
            int l = label_lines(e->label, WRAP);
            if (l > max_vlines)
                max_vlines = l;
        } else if (ri >= 0 && rj >= 0) {
            double need = 30 + 14.0 * abs(rj - ri) + 2 * LINE_H;
            if (need > top_room)
                top_room = need;
        }
    }
    if (max_hlines * LINE_H + 10 - BOX_H / 2 > top_room)
        top_room = max_hlines * LINE_H + 10 - BOX_H / 2;
    row_y = 50 + top_room + BOX_H / 2;
    if (terminal >= 0)
        bar_y = row_y + BOX_H / 2 + 24 + max_vlines * LINE_H + 16;
    {
        int last = row[nrow - 1];
        double right = cx[last] + half[last];
        const edge *v = terminal >= 0 ? find_edge(last, terminal) : NULL;
        if (v && cx[last] + 8 + label_width(v->label, WRAP) > right)
            right = cx[last] + 8 + label_width(v->label, WRAP);
        width = right + 40 + (terminal >= 0 ? 50 : 0);
    }
    height = (terminal >= 0 ? bar_y + BOX_H : row_y + BOX_H / 2) + 56;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", width, height, width, height);
    fputs("<!-- generated by docs/tools/states2svg.c from pop3_transitions(); "
          "do not edit -->\n", out);
    fputs("<style>\n"
          "text { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; "
          "font-size: 12px; fill: #1b1f23; }\n"
          ".title { font-size: 15px; font-weight: bold; }\n"
          ".name { font-size: 13px; font-weight: bold; }\n"
          ".caption { font-size: 11px; fill: #57606a; }\n"
          ".state { fill: #ddf4ff; stroke: #0969da; stroke-width: 1.5; }\n"
          ".final { fill: #ffebe9; stroke: #cf222e; stroke-width: 1.5; }\n"
          ".edge { fill: none; stroke: #24292f; stroke-width: 1.3; }\n"
          "</style>\n"
          "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
          "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
          "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#24292f\"/></marker></defs>\n", out);
    fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
            width, height);
    fprintf(out, "<text class=\"title\" x=\"20\" y=\"28\">libpop3 session states "
            "(pop3_transitions(), %zu transitions)</text>\n", n);

    /* States. */
    for (int i = 0; i < nrow; i++) {
        int s = row[i];
        if (s == POP3_STATE_INIT) {
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"#24292f\"/>\n",
                    cx[s], row_y);
            continue;
        }
        fprintf(out, "<rect class=\"state\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%d\" rx=\"12\"/>\n", cx[s] - half[s], row_y - BOX_H / 2,
                2 * half[s], BOX_H);
        fprintf(out, "<text class=\"name\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                "%s</text>\n", cx[s], row_y + 5, pop3_state_name(s));
    }
    if (terminal >= 0) {
        double left = 20, right = width - 70;
        fprintf(out, "<rect class=\"final\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%d\" rx=\"12\"/>\n", left, bar_y, right - left, BOX_H);
        fprintf(out, "<text class=\"name\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                "%s</text>\n", (left + right) / 2, bar_y + BOX_H / 2 + 5,
                pop3_state_name(terminal));
        /* The end: a bull's eye after the final state. */
        fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f L%.1f,%.1f\" "
                "marker-end=\"url(#arrow)\"/>\n", right, bar_y + BOX_H / 2,
                right + 28, bar_y + BOX_H / 2);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\" fill=\"none\" "
                "stroke=\"#24292f\" stroke-width=\"1.5\"/>\n", right + 40, bar_y + BOX_H / 2);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#24292f\"/>\n",
                right + 40, bar_y + BOX_H / 2);
    }

    /* Edges, in table order. */
    for (size_t i = 0; i < nedges; i++) {
        const edge *e = &edges[i];
        int ri = row_index(e->from), rj = row_index(e->to);
        if (e->from == e->to && ri >= 0) {
            double x = cx[e->from], top = row_y - BOX_H / 2;
            int l = label_lines(e->label, 34);
            fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f "
                    "%.1f,%.1f\" marker-end=\"url(#arrow)\"/>\n", x - 24, top,
                    x - 44, top - 50, x + 44, top - 50, x + 24, top);
            text_block(out, x, top - 44 - (l - 1) * LINE_H, "middle", e->label, 34);
        } else if (ri >= 0 && rj == ri + 1) {
            double x1 = cx[e->from] + half[e->from], x2 = cx[e->to] - half[e->to];
            int l = label_lines(e->label, WRAP);
            fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f L%.1f,%.1f\" "
                    "marker-end=\"url(#arrow)\"/>\n", x1, row_y, x2 - 1, row_y);
            text_block(out, (x1 + x2) / 2, row_y - 8 - (l - 1) * LINE_H, "middle",
                       e->label, WRAP);
        } else if (ri >= 0 && e->to == terminal) {
            double x = cx[e->from];
            double y1 = row_y + (e->from == POP3_STATE_INIT ? 9 : BOX_H / 2);
            fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f L%.1f,%.1f\" "
                    "marker-end=\"url(#arrow)\"/>\n", x, y1, x, bar_y - 1);
            text_block(out, x + 8, row_y + BOX_H / 2 + 22, "start", e->label, WRAP);
        } else if (ri >= 0 && rj >= 0) {
            /* Any other edge between row states: an arc above the row. */
            double x1 = cx[e->from], x2 = cx[e->to], top = row_y - BOX_H / 2;
            double peak = top - 30 - 14.0 * abs(rj - ri);
            fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f "
                    "%.1f,%.1f\" marker-end=\"url(#arrow)\"/>\n", x1 + 10, top,
                    x1 + 10, peak, x2 - 10, peak, x2 - 10, top);
            text_block(out, (x1 + x2) / 2, peak + 10, "middle", e->label, 40);
        } else if (e->from == terminal && e->to == terminal) {
            double x = width - 120;
            fprintf(out, "<path class=\"edge\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f "
                    "%.1f,%.1f\" marker-end=\"url(#arrow)\"/>\n", x - 24, bar_y + BOX_H,
                    x - 44, bar_y + BOX_H + 40, x + 44, bar_y + BOX_H + 40, x + 24,
                    bar_y + BOX_H);
        } else {
            fprintf(stderr, "states2svg: cannot place %s -> %s\n",
                    pop3_state_name(e->from), pop3_state_name(e->to));
            return 1;
        }
    }

    fprintf(out, "<text class=\"caption\" x=\"20\" y=\"%.0f\">Generated by "
            "docs/tools/states2svg.c from the table the engine checks every state "
            "change against. Filled dot: before pop3_session_start.</text>\n",
            height - 16);
    fputs("</svg>\n", out);
    return fflush(out) == 0 ? 0 : 1;
}
