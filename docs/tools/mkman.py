#!/usr/bin/env python3
"""mkman.py - generate libpop3's man pages from include/pop3.h.

    python3 docs/tools/mkman.py [HEADER [OUTDIR]]    (make docs runs this)

The header is the manual: every function's contract, the struct fields
and the conventions are taken from its comments and declarations.  This
script adds only what a man page needs around them: the NAME line, a
short introduction to each group and the cross references.

One page per function group (pop3(3) is the overview) and one small
".so" page per function and per public type that points at its group, so
that `man pop3_session_in_ack` works.  OUTDIR (default docs/man) gets
exactly these files: any other *.3 file in it is removed.

Deterministic: no dates, no environment; the same header gives the same
bytes.  The script fails if a header section or a function has no page,
or a function has no text, so a new API cannot go undocumented.
Python 3 standard library only.
"""

import os
import re
import sys

# ---------------------------------------------------------------------------
# Header parsing


class Item:
    """One declaration of the header with the comments around it."""

    def __init__(self, kind, name, code, section):
        self.kind = kind            # 'func', 'type', 'enum', 'define'
        self.name = name
        self.code = code            # list of source lines
        self.section = section
        self.subsection = None
        self.pre = []               # comment lines before (no blank between)
        self.post = []              # comment lines right after, then a blank


class Section:
    def __init__(self, title, text):
        self.title = title
        self.text = text            # comment lines after the title
        self.notes = []             # (index, lines) free-standing comments


def comment_lines(block):
    """Text of a /* ... */ block, without the comment markers, indentation
    relative to the comment kept (one space after '*' removed)."""
    out = []
    for i, line in enumerate(block):
        s = line.strip()
        if i == 0:
            s = s[2:]
        if s.endswith('*/'):
            s = s[:-2]
        if i > 0:
            raw = line.lstrip()
            if raw.startswith('*') and not raw.startswith('*/'):
                raw = raw[1:]
                if raw.startswith(' '):
                    raw = raw[1:]
                s = raw
                if s.rstrip().endswith('*/'):
                    s = s.rstrip()[:-2]
            elif raw.startswith('*/'):
                s = ''
        out.append(s.rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


def parse_header(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')

    # Blocks: ('comment', lines), ('code', lines), ('blank',), ('skip',)
    blocks = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        s = line.strip()
        if not s:
            blocks.append(('blank', []))
            i += 1
        elif s.startswith('/*') and not line.startswith(' '):
            j = i
            while '*/' not in lines[j]:
                j += 1
            blocks.append(('comment', lines[i:j + 1]))
            i = j + 1
        elif s.startswith('#if'):
            # Conditional blocks are plumbing (export macro, C++ guard),
            # except the include guard, which encloses everything.
            if s.startswith('#ifndef POP3_H'):
                i += 1
                continue
            depth = 0
            while i < n:
                t = lines[i].strip()
                if t.startswith('#if'):
                    depth += 1
                elif t.startswith('#endif'):
                    depth -= 1
                i += 1
                if depth == 0:
                    break
            blocks.append(('skip', []))
        elif s.startswith('#define'):
            j = i
            while lines[j].rstrip().endswith('\\'):
                j += 1
            name = re.match(r'#\s*define\s+(\w+)', s).group(1)
            if name == 'POP3_H':
                blocks.append(('skip', []))
            else:
                blocks.append(('code', lines[i:j + 1]))
            i = j + 1
        elif s.startswith('#'):
            blocks.append(('skip', []))
            i += 1
        else:
            j = i
            depth = 0
            while True:
                t = re.sub(r'/\*.*?\*/', '', lines[j])
                depth += t.count('{') - t.count('}')
                if depth == 0 and t.rstrip().endswith(';'):
                    break
                j += 1
            blocks.append(('code', lines[i:j + 1]))
            i = j + 1

    preamble = None
    sections = []
    items = []
    section = None
    subsection = None
    for k, (kind, blk) in enumerate(blocks):
        prev = blocks[k - 1][0] if k > 0 else None
        nxt = blocks[k + 1][0] if k + 1 < len(blocks) else None
        if kind == 'comment':
            first = blk[0].strip()
            text = comment_lines(blk)
            if preamble is None and not sections and not items:
                preamble = text
            elif re.match(r'/\* -{8,}\s*$', first):
                text = [t for t in text if not re.match(r'^-{8,}$', t.strip())]
                title = text[0].strip()
                rest = text[1:]
                while rest and not rest[0].strip():
                    rest.pop(0)
                section = Section(title, rest)
                sections.append(section)
                subsection = None
            elif re.match(r'/\* --- ', first):
                subsection = re.sub(r'\s*-+\s*\*/\s*$', '', first[len('/* --- '):]).strip()
            elif nxt == 'code':
                pass                        # attached below as .pre
            elif prev == 'code':
                items[-1].post = text
            else:
                section.notes.append((len(items), text))
        elif kind == 'code':
            code = blk
            joined = ' '.join(x.strip() for x in code)
            if joined.startswith('POP3_API'):
                name = re.search(r'(\w+)\s*\(', joined.replace('POP3_API', '', 1)).group(1)
                ik = 'func'
            elif joined.startswith('#define'):
                name = re.match(r'#\s*define\s+(\w+)', joined).group(1)
                ik = 'define'
            elif joined.startswith('typedef'):
                m = re.search(r'(\w+)\s*;\s*$', re.sub(r'/\*.*?\*/', '', joined))
                name = m.group(1)
                ik = 'type'
            elif joined.startswith('enum'):
                name = re.match(r'enum\s+(\w+)', joined).group(1)
                ik = 'enum'
            else:
                raise SystemExit('mkman: cannot classify: ' + joined[:60])
            it = Item(ik, name, code, section)
            it.subsection = subsection
            if prev == 'comment':
                pblk = blocks[k - 1][1]
                if not re.match(r'/\* -', pblk[0].strip()):
                    it.pre = comment_lines(pblk)
            items.append(it)
    return preamble, sections, items


# ---------------------------------------------------------------------------
# roff output helpers

def esc(s):
    """Escape text for roff (no font changes)."""
    out = []
    for ch in s:
        if ch == '\\':
            out.append('\\e')
        elif ch == '-':
            out.append('\\-')
        elif ord(ch) > 126:
            out.append('\\[u%04X]' % ord(ch))
        else:
            out.append(ch)
    r = ''.join(out)
    if r.startswith('.') or r.startswith("'"):
        r = '\\&' + r
    return r


IDENT = re.compile(r'\b((?:pop3|POP3)_\w+(?:\(\))?)')


def prose(s):
    """Escape a line of prose and set library identifiers in bold."""
    parts = IDENT.split(s)
    out = []
    for i, p in enumerate(parts):
        if i % 2:
            if p.endswith('()'):
                out.append('\\fB\\%' + esc(p[:-2]) + '\\fP()')
            else:
                out.append('\\fB\\%' + esc(p) + '\\fP')
        else:
            out.append(esc(p))
    r = ''.join(out)
    if r.startswith('\\&'):
        return r
    if r.startswith('.') or r.startswith("'"):
        r = '\\&' + r
    return r


ITEM_RE = re.compile(r'^(\s{2,})(POP3_[A-Z0-9_]+|a fatal code|NULL)\s{2,}(\S.*)$')
BULLET_RE = re.compile(r'^(\s*)- (.*)$')


def comment_to_roff(lines, lead=False):
    """Header comment text to roff: paragraphs, error lists (.TP) and
    bullet lists (.IP).  lead: set a paragraph's first sentence in bold
    when it is a short heading ("Threading.  A session ...")."""
    out = []
    para = []
    mode = None                     # None, 'item', 'bullet'

    def flush():
        nonlocal para
        if para:
            out.extend(para)
        para = []

    for line in lines + ['']:
        if not line.strip():
            flush()
            if mode == 'item':
                out.append('.PD')
            mode = None
            continue
        m = ITEM_RE.match(line)
        b = BULLET_RE.match(line)
        if m:
            flush()
            if mode != 'item':
                out.append('.PD 0')
            out.append('.TP 20')
            out.append('\\fB' + esc(m.group(2)) + '\\fP'
                       if m.group(2).startswith('POP3') else prose(m.group(2)))
            out.append(prose(m.group(3).strip()))
            mode = 'item'
            continue
        if b and len(b.group(1)) <= 4:
            flush()
            out.append('.IP \\(bu 2')
            out.append(prose(b.group(2).strip()))
            mode = 'bullet'
            continue
        if mode in ('item', 'bullet') and line.startswith('   '):
            out.append(prose(line.strip()))
            continue
        if mode in ('item', 'bullet'):
            flush()
            if mode == 'item':
                out.append('.PD')
            mode = None
            out.append('.PP')
        if not para:
            if out and out[-1] not in ('.PP', '.IP'):
                para.append('.PP')
            elif not out:
                para.append('.PP')
            text = line.strip()
            m2 = re.match(r'^([A-Z][^.]{0,40}\.)(  |$)(.*)$', text) if lead else None
            if m2:
                para.append('\\fB' + esc(m2.group(1)) + '\\fP')
                if m2.group(3):
                    para.append(prose(m2.group(3)))
                continue
            para.append(prose(text))
        else:
            para.append(prose(line.strip()))
    flush()
    return out


def code_block(lines):
    """Source lines as an example block: POP3_API dropped, shifted left."""
    cleaned = []
    for l in lines:
        l = l.replace('POP3_API ', '')
        cleaned.append(l.rstrip())
    indent = min((len(l) - len(l.lstrip()) for l in cleaned if l.strip()), default=0)
    out = ['.PP', '.in +4n', '.EX']
    for l in cleaned:
        out.append(esc(l[indent:]) if l.strip() else '')
    out += ['.EE', '.in']
    return out


def prototype(item):
    """One function declaration for the SYNOPSIS, re-wrapped."""
    s = ' '.join(x.strip() for x in item.code)
    s = s.replace('POP3_API ', '')
    s = re.sub(r'\s+', ' ', s).replace('( ', '(').replace(' )', ')')
    m = re.match(r'^(.*?\b' + re.escape(item.name) + r')\((.*)\);$', s)
    head, args = m.group(1), m.group(2)
    ret = head[:-len(item.name)]
    args = [a.strip() for a in args.split(',')]
    line = '.BI "' + esc(ret) + item.name + '('
    pieces = []
    for k, a in enumerate(args):
        sep = ', ' if k + 1 < len(args) else ');'
        m2 = re.match(r'^(.*?)(\w+)(\[\d*\])?$', a)
        if a == 'void' or not m2:
            pieces.append((esc(a) + sep, None))
        else:
            pieces.append((esc(m2.group(1)), esc(m2.group(2)) + (m2.group(3) or '') + sep))
    # .BI alternates bold and italic words; build a single request per line.
    out = []
    cur = line
    width = len(ret) + len(item.name) + 1
    for bold, ital in pieces:
        if ital is None:
            cur += bold + '"'
            continue
        if width + len(bold) + len(ital) > 72 and not cur.endswith('('):
            out.append(cur + '"')
            cur = '.BI "' + ' ' * (len(ret) + len(item.name) + 1)
            width = len(ret) + len(item.name) + 1
        cur += bold + '" "' + ital.rstrip(' ')
        if ital.endswith(' '):
            cur += ' '
        cur += '" "'
        width += len(bold) + len(ital)
    if cur.endswith(' "'):
        cur = cur[:-2]
    if not cur.endswith('"'):
        cur += '"'
    out.append(cur)
    return out


# ---------------------------------------------------------------------------
# What the header does not say: page names, NAME lines, introductions.

SECTION_PAGE = [
    ('Export macro and versions', 'pop3_errors'),
    ('Errors', 'pop3_errors'),
    ('Allocator hooks', 'pop3_lifecycle'),
    ('Configuration', 'pop3_config'),
    ('Requests, answers and callbacks', 'pop3_config'),
    ('Session lifecycle', 'pop3_lifecycle'),
    ('Bytes in', 'pop3_io'),
    ('Bytes out', 'pop3_io'),
    ('Status word', 'pop3_status'),
    ('Time', 'pop3_status'),
    ('STLS', 'pop3_stls'),
    ('Completions', 'pop3_completions'),
    ('Queries', 'pop3_queries'),
    ('The state machine', 'pop3_queries'),
    ('Codec', 'pop3_codec'),
]

PAGES = {
    'pop3_lifecycle': (
        'create, start, abort and free a POP3 session',
        """A session is one client connection.  Its memory is one block whose
size `pop3_session_mem_size()` gives for a configuration; the host either
places it (`pop3_session_init()`, for arenas, pools and static storage) or
lets the library allocate it (`pop3_session_new()`).  `pop3_session_start()`
gives the facts about the connection (the clock, whether it is encrypted,
the APOP timestamp) and queues the greeting; from then on the host moves
bytes (pop3_io(3)) and watches the status word (pop3_status(3)).

A session ends by itself after QUIT, end of input, a timeout or a limit;
`pop3_session_abort()` ends it at once.  Either way the host then calls
`pop3_session_free()` (or `pop3_session_deinit()` for memory it placed)."""),
    'pop3_io': (
        'hand received bytes to a POP3 session and take the bytes to send',
        """The library never touches the transport.  Received bytes are
written straight into the session's input buffer (`pop3_session_in_buf()`,
then `pop3_session_in_ack()`) or copied in (`pop3_session_recv()`); the
bytes to send are read from its output window (`pop3_session_out_buf()`)
and released when sent (`pop3_session_out_ack()`).  Commands are executed
as their bytes arrive, as far as the output window and the backend allow,
so a client that pipelines without reading stalls only itself.

Call these when pop3_session_status(3) says so: `POP3_STATUS_READ` for
input, `POP3_STATUS_WRITE` for output."""),
    'pop3_status': (
        'the event-loop status word and the session timers',
        """One word, `pop3_session_status()`, tells the event loop what the
session wants: to read, to write, an answer from the backend, a TLS
handshake, a wake-up at a deadline, or the end.  The library has no clock:
the host passes its monotonic time to `pop3_session_tick()` and asks
`pop3_session_deadline()` when to wake up next.

A typical loop: tick, read the status, stop at `POP3_STATUS_CLOSED`, write
while `POP3_STATUS_WRITE`, read while `POP3_STATUS_READ`, and sleep in
poll(2) until the socket is ready or the deadline passes."""),
    'pop3_completions': (
        'deliver an answer that a request callback left pending',
        """Every request callback may answer later: it returns `POP3_PENDING`,
the session sets `POP3_STATUS_PENDING` and waits (the idle timer is
suspended), and the host delivers the answer with the matching completion
function from outside any callback, with the same answer struct the
callback would have filled:

  authenticate     pop3_session_auth_done()
  open_maildrop    pop3_session_open_done()
  msg_info         pop3_session_info_done()
  msg_read         pop3_session_read_done()
  commit           pop3_session_commit_done()
  sasl_step        pop3_session_sasl_done()

At most one request is outstanding per session.  A pending answer produces
the same bytes on the wire as the same answer given inline."""),
    'pop3_stls': (
        'upgrade a POP3 session to TLS with STLS',
        """The library does not implement TLS; it runs the STLS command
(RFC 2595) and tells the host when to start the handshake on its own
transport.  Offer STLS by passing `POP3_CONN_TLS_AVAILABLE` to
pop3_session_start(3); after the client's STLS and the +OK, the status
word carries `POP3_STATUS_START_TLS`; the host runs the handshake and
reports the outcome with `pop3_session_tls_done()`."""),
    'pop3_queries': (
        'read-only questions about a POP3 session',
        """These functions change nothing and may be called from inside
callbacks: the state, the logged-in user, the reason of a fatal error,
the deletion marks (used by the commit callback), the counters, and the
state machine's own transition table."""),
    'pop3_codec': (
        'POP3 body encoder, wire sizes and APOP helpers',
        """The functions a session uses to send a message body (RETR, TOP)
and to compute the sizes LIST and STAT report, exported so that a backend
can compute and store sizes when it delivers mail, and so that other
programs can encode a message exactly as a session would.  They need no
session and allocate nothing; an encoder or a sizer is a small struct the
caller owns."""),
    'pop3_errors': (
        'libpop3 error codes, their names and descriptions, and versions',
        """Functions that return int return `POP3_OK` (0) or a negative
code.  The codes, their names and their descriptions come from one table,
`POP3_ERROR_TABLE`.  Codes at or below `POP3_E_FATAL` are fatal and
sticky: the session is closed and every later call that would change it
returns the same code.  A client's mistakes are never API errors: they
produce -ERR replies."""),
    'pop3_config': (
        'session configuration, request callbacks and their answers',
        """A `pop3_config` holds the policy shared by many sessions (limits,
timers, options, SASL mechanisms); a `pop3_callbacks` table connects a
session to the host's credential store and mailbox storage.  Both are
copied when a session is created.  Start from `pop3_config_init()` and
`pop3_callbacks_init()` and change only what you need.

Five callbacks are required (authenticate, open_maildrop, msg_info,
msg_read, commit); the others are optional or needed only for some SASL
mechanisms.  A request callback fills its answer struct and returns
`POP3_ANSWERED`, or returns `POP3_PENDING` and answers later through
pop3_completions(3); a negative return is a fatal backend failure.  From
inside a callback only the functions marked callback-safe may be called."""),
}

# Types declared in a section of another group.
TYPE_PAGE = {'pop3_session': 'pop3_lifecycle'}

# Text for functions the header declares without a comment of their own.
EXTRA = {
    'pop3_session_auth_done': 'Answer a pending authenticate request.',
    'pop3_session_open_done': 'Answer a pending open_maildrop request.',
    'pop3_session_info_done': 'Answer a pending msg_info request.',
    'pop3_session_read_done': 'Answer a pending msg_read request.  As for an '
                              'inline answer, the chunk\'s data is read in place.',
    'pop3_session_commit_done': 'Answer a pending commit request with a '
                                'pop3_result (POP3_R_OK, POP3_R_TEMPFAIL or '
                                'POP3_R_PERMFAIL).',
    'pop3_session_sasl_done': 'Answer a pending sasl_step request.',
    'pop3_session_state': 'The session\'s pop3_state.',
    'pop3_session_user_data': 'The user_data pointer given when the session '
                              'was created.',
    'pop3_encoder_finished': '1 once pop3_encoder_finish() has written the '
                             'terminator, else 0.',
    'pop3_sizer_init': 'Start a wire-size count.',
    'pop3_sizer_update': 'Count len more raw octets of the message; the '
                         'bytes may be split anywhere.',
}

SEE_ALSO_DOCS = """The header include/pop3.h (the reference these pages are
made from), and in the source tree docs/embedding.md (a tutorial),
docs/architecture.md, docs/async.md, docs/streaming.md, docs/replies.md
(every reply line), docs/security.md and docs/conformance.md."""


def hand_text(text):
    """Hand-written prose: paragraphs; lines indented by two spaces are
    kept as they are; `code` is bold."""
    out = []
    for para in text.strip().split('\n\n'):
        lines = para.split('\n')
        if all(l.startswith('  ') for l in lines):
            out += ['.PP', '.in +4n', '.EX']
            out += [esc(l[2:]) for l in lines]
            out += ['.EE', '.in']
            continue
        out.append('.PP')
        for l in lines:
            parts = re.split(r'`([^`]*)`', l)
            s = ''
            for i, p in enumerate(parts):
                if i % 2:
                    s += '\\fB' + esc(p) + '\\fP'
                else:
                    s += refs(esc(p))
            if s.startswith('.') or s.startswith("'"):
                s = '\\&' + s
            out.append(s)
    return out


def refs(s):
    """name(3) cross references in bold."""
    return re.sub(r'\b([a-z0-9_]+)\((\d)\)', r'\\fB\1\\fP(\2)', s)


# ---------------------------------------------------------------------------
# Pages


def th(name, version):
    return ['.\\" Generated by docs/tools/mkman.py from include/pop3.h; do not edit.',
            '.TH %s 3 "" "libpop3 %s" "libpop3 Manual"' % (name.upper().replace('_', '\\_'), version),
            '.nh']


def page_of(section):
    for prefix, page in SECTION_PAGE:
        if section.title.startswith(prefix):
            return page
    raise SystemExit('mkman: no man page for header section "%s": '
                     'add it to SECTION_PAGE' % section.title)


def group_page(page, version, sections, items, all_pages):
    summary, intro = PAGES[page]
    funcs = [it for it in items if it.kind == 'func' and page_of(it.section) == page]
    out = th(page, version)
    out += ['.SH NAME',
            ', '.join('\\%' + esc(f.name) for f in funcs) + ' \\- ' + esc(summary),
            '.SH LIBRARY',
            'libpop3 (\\fI\\-lpop3\\fP; \\fBpkg\\-config \\-\\-cflags \\-\\-libs pop3\\fP)',
            '.SH SYNOPSIS',
            '.nf',
            '.B #include <pop3.h>']
    cur = None
    for f in funcs:
        if f.section is not cur:
            cur = f.section
            out.append('.PP')
        out += prototype(f)
    out += ['.fi', '.SH DESCRIPTION']
    out += hand_text(intro)
    for sec in sections:
        if page_of(sec) != page:
            continue
        out += ['.SS ' + esc(sec.title)]
        if sec.text:
            out += comment_to_roff(sec.text)
        sec_items = [it for it in items if it.section is sec]
        notes = dict(sec.notes)
        subsection = None
        for idx, it in enumerate(sec_items):
            gidx = items.index(it)
            if gidx in notes:
                out += comment_to_roff(notes[gidx])
            if it.subsection != subsection and it.subsection:
                subsection = it.subsection
                out += ['.PP', '\\fI' + esc(subsection) + '\\fP']
            if it.kind == 'func':
                text = it.pre + ([''] if it.pre and it.post else []) + it.post
                if not text:
                    if it.name not in EXTRA:
                        raise SystemExit('mkman: %s has no comment in the header '
                                         'and no text in EXTRA' % it.name)
                    text = [EXTRA[it.name]]
                out += ['.PP', '\\fB\\%' + esc(it.name) + '\\fP()', '.RS 4']
                body = comment_to_roff(text)
                if body and body[0] == '.PP':
                    body = body[1:]
                out += body + ['.RE']
            else:
                if it.pre:
                    out += comment_to_roff(it.pre)
                block = code_block(it.code)
                if (it.kind == 'define' and not it.pre and idx > 0 and
                        sec_items[idx - 1].kind == 'define' and
                        not sec_items[idx - 1].post and out[-2:] == ['.EE', '.in']):
                    out = out[:-2] + block[3:]      # one block for a run of macros
                else:
                    out += block
                if it.post:
                    out += comment_to_roff(it.post)
    out += ['.SH RETURN VALUE',
            'Each function above ends with what it returns; codes are '
            'described in',
            '.BR pop3_errors (3).',
            'Functions marked callback-safe may be called from inside a '
            'callback; every other session function called there returns',
            '.BR POP3_E_REENTRANT .',
            '.SH SEE ALSO']
    others = ['pop3'] + sorted(p for p in all_pages if p != page)
    for k, p in enumerate(others):
        out.append('.BR %s (3)%s' % (esc(p), ',' if k + 1 < len(others) else ''))
    out += ['.PP'] + [refs(esc(l)) for l in SEE_ALSO_DOCS.split('\n')]
    return out


OVERVIEW = """libpop3 is the protocol half of a POP3 server (RFC 1939 with CAPA,
RESP-CODES, PIPELINING, STLS, SASL AUTH, UTF8 and LANG) as a C library that
performs no I/O.  The host program owns the socket or TLS stream, the clock,
the credential store and the mailbox storage; the library owns the command
parser, the session state machine, every reply line, dot-stuffing, sizes,
limits and timers.

A host does four things.  It fills a `pop3_callbacks` table
(authenticate, open_maildrop, msg_info, msg_read, commit) and usually a
`pop3_config`.  It creates a session per connection and starts it.  It
moves bytes between the transport and the session as the status word asks.
And it answers the requests the session makes through the callbacks,
at once or later.

  pop3_config cfg;
  pop3_callbacks cb;
  int err;

  pop3_config_init(&cfg);
  pop3_callbacks_init(&cb);
  cb.authenticate = my_authenticate;
  cb.open_maildrop = my_open;
  cb.msg_info = my_info;
  cb.msg_read = my_read;
  cb.commit = my_commit;

  pop3_session *s = pop3_session_new(&cfg, &cb, my_conn, NULL, &err);
  pop3_connection conn = { now_ms(), POP3_CONN_TLS_ACTIVE, NULL };
  pop3_session_start(s, &conn);
  /* then, in the event loop: pop3_session_tick(), pop3_session_status(),
     pop3_session_out_buf()/out_ack(), pop3_session_in_buf()/in_ack() */

The complete program is examples/minimal.c in the source tree."""

GROUPS_TEXT = [
    ('pop3_lifecycle', 'memory, creation, start, abort, free'),
    ('pop3_io', 'bytes in and bytes out'),
    ('pop3_status', 'the status word, the clock and deadlines'),
    ('pop3_completions', 'answers given after a callback returned POP3_PENDING'),
    ('pop3_stls', 'the STLS upgrade'),
    ('pop3_queries', 'state, user, deletion marks, counters, transition table'),
    ('pop3_config', 'configuration, callbacks, requests and answers, trace events'),
    ('pop3_codec', 'body encoder, wire sizes, APOP digest, constant-time compare'),
    ('pop3_errors', 'error codes and versions'),
]


def overview(version, preamble, items, all_pages):
    # The conventions: the header's preamble after its CONVENTIONS banner.
    conv = []
    seen = False
    for l in preamble:
        if l.strip() == 'CONVENTIONS':
            seen = True
            continue
        if seen and not re.match(r'^=+$', l.strip()):
            conv.append(l)
    while conv and not conv[0].strip():
        conv.pop(0)
    out = th('pop3', version)
    out += ['.SH NAME',
            'pop3 \\- libpop3, an embeddable sans\\-I/O POP3 server engine',
            '.SH LIBRARY',
            'libpop3 (\\fI\\-lpop3\\fP; \\fBpkg\\-config \\-\\-cflags \\-\\-libs pop3\\fP)',
            '.SH SYNOPSIS',
            '.nf',
            '.B #include <pop3.h>',
            '.PP',
            '.B cc \\-o server server.c $(pkg\\-config \\-\\-cflags \\-\\-libs pop3)',
            '.fi',
            '.SH DESCRIPTION']
    out += hand_text(OVERVIEW)
    out += ['.SH CONVENTIONS']
    out += comment_to_roff(conv, lead=True)
    out += ['.SH FUNCTION GROUPS',
            'Each group has its own page; every function and public type also '
            'has a page of its own name that shows its group.']
    for page, what in GROUPS_TEXT:
        funcs = [it.name for it in items if it.kind == 'func'
                 and page_of(it.section) == page]
        out += ['.TP', '.BR %s (3)' % esc(page), esc(what) + ': ' +
                ', '.join('\\fB\\%' + esc(f) + '\\fP()' for f in funcs) + '.']
    out += ['.SH FILES',
            '.TP', '.I include/pop3.h',
            'the public header, which is the reference: these pages are '
            'generated from its comments.',
            '.TP', '.I examples/minimal.c',
            'the smallest complete host: one session on standard input and output.',
            '.TP', '.I examples/pop3d/',
            'a Maildir POP3 server with TLS built on the library.',
            '.SH STANDARDS',
            'RFC 1939, RFC 2449, RFC 2595, RFC 3206, RFC 5034, RFC 6856; SASL '
            'mechanisms of RFC 4616, RFC 2195, RFC 5802, RFC 7677, RFC 7628 and '
            'RFC 4422.',
            '.SH SEE ALSO']
    pages = sorted(all_pages)
    for k, p in enumerate(pages):
        out.append('.BR %s (3)%s' % (esc(p), ',' if k + 1 < len(pages) else ''))
    out += ['.PP'] + [refs(esc(l)) for l in SEE_ALSO_DOCS.split('\n')]
    return out


def main():
    header = sys.argv[1] if len(sys.argv) > 1 else 'include/pop3.h'
    outdir = sys.argv[2] if len(sys.argv) > 2 else 'docs/man'
    preamble, sections, items = parse_header(header)
    version = None
    for it in items:
        if it.name == 'POP3_VERSION_STRING':
            version = re.search(r'"([^"]*)"', ' '.join(it.code)).group(1)
    if not version:
        raise SystemExit('mkman: no POP3_VERSION_STRING in ' + header)

    all_pages = sorted(PAGES)
    for sec in sections:
        page_of(sec)                # fails on an unknown section
    files = {}
    files['pop3.3'] = overview(version, preamble, items, all_pages)
    for page in all_pages:
        files[page + '.3'] = group_page(page, version, sections, items, all_pages)

    # A page per function and per public type, pointing at its group.
    for it in items:
        if it.kind == 'func' or (it.kind == 'type' and it.name.startswith('pop3_')):
            name = it.name + '.3'
            if name in files:
                continue
            files[name] = ['.so man3/%s.3' % TYPE_PAGE.get(it.name, page_of(it.section))]

    os.makedirs(outdir, exist_ok=True)
    for old in sorted(os.listdir(outdir)):
        if old.endswith('.3') and old not in files:
            os.remove(os.path.join(outdir, old))
    for name in sorted(files):
        text = '\n'.join(files[name]) + '\n'
        path = os.path.join(outdir, name)
        try:
            with open(path, encoding='utf-8') as f:
                if f.read() == text:
                    continue
        except FileNotFoundError:
            pass
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)


if __name__ == '__main__':
    main()
