#!/bin/sh
# tests/test_docs.sh - the documentation check (make check-docs).
#
# Run from the repository root after the library, the examples and
# docs/tools/states2svg are built (make check-docs does that).  Checks:
#
#   generated   docs/man/*.3 and docs/diagrams/* equal what docs/tools/gen.sh
#               makes now from include/pop3.h and the engine (so the state
#               diagram is held equal to pop3_transitions())
#   man         every function the shared library exports has a page; each
#               link page points at a page that names it; the pages format
#               without warnings; make install puts them where man(1) finds
#               every function, and make uninstall removes them
#   guides      the C blocks of docs/embedding.md, async.md and streaming.md
#               compile (each document's blocks, in order, are one program)
#               and run: the tutorial host serves a real POP3 client
#   references  every test named in the docs (`name.t`, `test_x.c:function`)
#               exists; relative links in the docs and README resolve
#   diagrams    the SVGs are well-formed XML; no trace or SVG shows a secret
#
# Environment: B (build dir), CC, NM, MAKE, PYTHON, PKG_CONFIG, and the
# tool paths of docs/docs.mk.  The last line is "check-docs: N passed, N failed".
set -u

B=${B:-build}
CC=${CC:-cc}
NM=${NM:-nm}
MAKE=${MAKE:-make}
PYTHON=${PYTHON:-python3}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
W=$B/docs/check
rm -rf "$W"
mkdir -p "$W"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "FAIL - $*"; }
note() { echo "note - $*"; }

# ---------------------------------------------------------------------------
# generated files are up to date

if sh docs/tools/gen.sh "$W/gen" > "$W/gen.log" 2>&1; then
    stale=
    for f in "$W"/gen/man/*.3; do
        n=$(basename "$f")
        cmp -s "$f" "docs/man/$n" || stale="$stale man/$n"
    done
    for f in docs/man/*.3; do
        [ -f "$W/gen/man/$(basename "$f")" ] || stale="$stale man/$(basename "$f")(obsolete)"
    done
    for f in "$W"/gen/diagrams/*; do
        n=$(basename "$f")
        cmp -s "$f" "docs/diagrams/$n" || stale="$stale diagrams/$n"
    done
    if [ -z "$stale" ]; then
        ok "generated: docs/man and docs/diagrams match the header and the engine"
    else
        bad "generated: out of date (run make docs and commit):$stale"
        for f in $stale; do
            case $f in *obsolete*) continue ;; esac
            diff -u "docs/$f" "$W/gen/$f" 2>/dev/null | head -20
        done
    fi
else
    bad "generated: docs/tools/gen.sh failed"
    cat "$W/gen.log"
fi

# ---------------------------------------------------------------------------
# man pages

so=$B/libpop3.so
if [ -f "$so" ]; then
    exports=$("$NM" -D --defined-only "$so" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' |
              grep '^pop3_' | sort -u)
    missing=
    count=0
    for f in $exports; do
        count=$((count + 1))
        page=docs/man/$f.3
        if [ ! -f "$page" ]; then
            missing="$missing $f"
            continue
        fi
        target=$(sed -n 's|^\.so man3/||p' "$page")
        [ -n "$target" ] && page=docs/man/$target
        # The NAME section of the page that documents it must list it.
        if [ ! -f "$page" ] ||
           ! sed -n '/^\.SH NAME/,/^\.SH/p' "$page" | sed 's/\\%//g' | grep -q "\\b$f\\b"; then
            missing="$missing $f(not in NAME of $page)"
        fi
    done
    if [ -z "$missing" ]; then
        ok "man: all $count exported functions have a page"
    else
        bad "man: exported functions without a page:$missing"
    fi
else
    bad "man: $so not built"
fi

if command -v groff >/dev/null 2>&1; then
    mkdir -p "$W/lint/man3"
    cp docs/man/*.3 "$W/lint/man3/"
    warn=$(cd "$W/lint" && for f in man3/*.3; do
               LC_ALL=C groff -man -ww -z -Tutf8 "$f" 2>&1 | sed "s|^|$f: |"
           done)
    if [ -z "$warn" ]; then
        ok "man: every page formats without groff warnings"
    else
        bad "man: groff warnings"
        printf '%s\n' "$warn" | head -20
    fi
else
    note "man: groff not installed, pages not linted"
fi

stage=$(cd "$B" && pwd)/docs/check/stage
if "$MAKE" --no-print-directory -s install B="$B" CC="$CC" DESTDIR="$stage" PREFIX=/usr > "$W/install.log" 2>&1; then
    mandir=$stage/usr/share/man
    lost=
    for f in $exports; do
        [ -f "$mandir/man3/$f.3" ] || lost="$lost $f"
    done
    if [ -z "$lost" ]; then
        ok "man: make install puts a page for every function in MANDIR/man3"
    else
        bad "man: make install did not install:$lost"
    fi
    if command -v man >/dev/null 2>&1; then
        got=$(MANPAGER=cat MANWIDTH=80 man -M "$mandir" 3 pop3_session_in_ack 2>/dev/null | col -b 2>/dev/null || true)
        if printf '%s\n' "$got" | grep -q 'pop3_session_in_ack()'; then
            ok "man: 'man 3 pop3_session_in_ack' shows its page from the install"
        else
            bad "man: 'man -M $mandir 3 pop3_session_in_ack' does not show the function"
        fi
    else
        note "man: man(1) not installed, lookup not tried"
    fi
    "$MAKE" --no-print-directory -s uninstall B="$B" CC="$CC" DESTDIR="$stage" PREFIX=/usr >> "$W/install.log" 2>&1
    left=$(find "$stage" -name '*.3' 2>/dev/null)
    if [ -z "$left" ]; then
        ok "man: make uninstall removes every page"
    else
        bad "man: make uninstall left: $(printf '%s ' $left)"
    fi
else
    bad "man: make install DESTDIR=... failed"
    tail -20 "$W/install.log"
fi

# ---------------------------------------------------------------------------
# the guides' programs

# extract DOC LANG: the document's blocks of that language, in order.
extract() {
    awk -v lang="$2" '
        /^```/ { if (inb) { inb = 0; next } if ($0 == "```" lang) { inb = 1; next } }
        inb { print }' "$1"
}

CFLAGS_DOC="-std=c11 -Wall -Wextra -Werror -Wshadow -Iinclude"

# async.md and streaming.md: the program runs and prints the ```text block.
for doc in async streaming; do
    extract "docs/$doc.md" c > "$W/$doc.c"
    extract "docs/$doc.md" text > "$W/$doc.expected"
    # shellcheck disable=SC2086
    if $CC $CFLAGS_DOC -o "$W/$doc" "$W/$doc.c" "$B/libpop3.a" -pthread > "$W/$doc.log" 2>&1; then
        ok "guides: docs/$doc.md's C blocks compile into one program"
        # POP3 lines end in CRLF; the page shows them as text lines.
        if (cd "$W" && timeout 60 "./$doc") > "$W/$doc.raw" 2>&1 &&
           tr -d '\r' < "$W/$doc.raw" > "$W/$doc.out" &&
           cmp -s "$W/$doc.out" "$W/$doc.expected"; then
            ok "guides: docs/$doc.md's program prints exactly the output the page shows"
        else
            bad "guides: docs/$doc.md's program fails or prints something else"
            diff -u "$W/$doc.expected" "$W/$doc.out" | head -20
        fi
    else
        bad "guides: docs/$doc.md's C blocks do not compile"
        head -20 "$W/$doc.log"
    fi
done

# embedding.md: the tutorial host, with OpenSSL.
extract docs/embedding.md c > "$W/myhost.c"
if ! "$PKG_CONFIG" --exists openssl 2>/dev/null; then
    tests/need.sh libssl-dev 'check-docs: the tutorial needs OpenSSL (libssl-dev)' \
        "$PKG_CONFIG" --exists openssl || true
fi
if "$PKG_CONFIG" --exists openssl 2>/dev/null; then
    ssl_cflags=$("$PKG_CONFIG" --cflags openssl)
    ssl_libs=$("$PKG_CONFIG" --libs openssl)
    # shellcheck disable=SC2086
    if $CC $CFLAGS_DOC $ssl_cflags -o "$W/myhost" "$W/myhost.c" "$B/libpop3.a" $ssl_libs \
           > "$W/myhost.log" 2>&1; then
        ok "guides: docs/embedding.md's C blocks compile into one program"
        run_host() {  # run_host NAME [CERT KEY]: start it, talk POP3, stop it
            name=$1
            shift
            "$W/myhost" 0 "$@" > "$W/$name.log" 2>&1 &
            pid=$!
            port=
            for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
                port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/$name.log")
                [ -n "$port" ] && break
                sleep 0.1
            done
            result=1
            if [ -n "$port" ]; then
                timeout 30 "$PYTHON" - "$port" "$@" > "$W/$name.client" 2>&1 <<'EOF'
import poplib, ssl, sys
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=10)
if len(sys.argv) > 2:
    caps = p.capa()
    assert 'STLS' in caps and 'USER' not in caps, caps
    try:
        p.user('ada')
        raise SystemExit('USER accepted before STLS')
    except poplib.error_proto as e:
        assert b'plaintext login not allowed' in e.args[0], e
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    p.stls(ctx)
    assert 'USER' in p.capa()
p.user('ada')
p.pass_('lovelace')
assert p.stat() == (2, 126), p.stat()
resp, lines, octets = p.retr(2)
assert lines[-1] == b'.dots are stuffed', lines
p.dele(1)
assert p.quit().startswith(b'+OK bye, 1 message deleted')
print('client: ok')
EOF
                result=$?
            fi
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            return $result
        }
        if run_host plain; then
            ok "guides: the tutorial host serves Python's poplib on loopback"
        else
            bad "guides: the tutorial host does not work in plaintext"
            cat "$W/plain.log" "$W/plain.client" 2>/dev/null | tail -20
        fi
        if command -v openssl >/dev/null 2>&1 &&
           openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" \
               -days 2 -subj /CN=localhost > "$W/openssl.log" 2>&1; then
            if run_host tls "$W/cert.pem" "$W/key.pem"; then
                ok "guides: the tutorial host refuses USER before STLS, then serves over TLS"
            else
                bad "guides: the tutorial host's STLS does not work"
                cat "$W/tls.log" "$W/tls.client" 2>/dev/null | tail -20
            fi
        else
            note "guides: no openssl command to make a certificate: STLS not tried"
        fi
    else
        bad "guides: docs/embedding.md's C blocks do not compile"
        head -20 "$W/myhost.log"
    fi
else
    note "guides: OpenSSL development files not found: docs/embedding.md not compiled"
fi

# ---------------------------------------------------------------------------
# references

refs_bad=
refs_n=0
for doc in docs/*.md README.md; do
    for t in $(grep -o '`[a-z0-9_]*\.t`' "$doc" | tr -d '`' | sort -u); do
        refs_n=$((refs_n + 1))
        [ -f "tests/transcripts/$t" ] || refs_bad="$refs_bad $doc:$t"
    done
    for r in $(grep -o '`test_[a-z0-9_]*\.c:[a-z0-9_]*`' "$doc" | tr -d '`' | sort -u); do
        refs_n=$((refs_n + 1))
        file=tests/${r%%:*}
        fn=${r#*:}
        # Defined, and registered with cmocka (or in a table of tests).
        if [ ! -f "$file" ] || [ "$(grep -c "\\b$fn\\b" "$file")" -lt 2 ]; then
            refs_bad="$refs_bad $doc:$r"
        fi
    done
done
if [ -z "$refs_bad" ]; then
    ok "references: all $refs_n tests named in the docs exist"
else
    bad "references: tests named in the docs do not exist:$refs_bad"
fi

# Relative links [text](path) in the docs and the README.  Pages other
# engineers are still writing are tolerated with a note.
links_bad=
for doc in docs/*.md README.md docs/diagrams/README.md; do
    [ -f "$doc" ] || continue
    dir=$(dirname "$doc")
    for l in $(grep -o '\](\([^)#:]*\)\(#[^)]*\)\?)' "$doc" | sed 's/^](//; s/)$//; s/#.*//' | sort -u); do
        [ -n "$l" ] || continue
        if [ ! -e "$dir/$l" ]; then
            case $l in
                pop3d.md|fuzzing.md|performance.md|docs/pop3d.md|docs/fuzzing.md|docs/performance.md)
                    note "references: $doc links to $l, which is not written yet" ;;
                *) links_bad="$links_bad $doc:$l" ;;
            esac
        fi
    done
done
if [ -z "$links_bad" ]; then
    ok "references: relative links in the docs resolve"
else
    bad "references: broken links:$links_bad"
fi

# README's Documentation section lists every page in docs/.
unlisted=
for doc in docs/*.md; do
    grep -q "($doc)" README.md || unlisted="$unlisted $doc"
done
if [ -z "$unlisted" ]; then
    ok "references: README.md lists every docs/*.md"
else
    bad "references: README.md does not link:$unlisted"
fi

# ---------------------------------------------------------------------------
# diagrams

xml_bad=
for f in docs/diagrams/*.svg; do
    "$PYTHON" -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$f" \
        > /dev/null 2>&1 || xml_bad="$xml_bad $f"
done
if [ -z "$xml_bad" ]; then
    ok "diagrams: every SVG is well-formed XML"
else
    bad "diagrams: not well-formed:$xml_bad"
fi

# The demo account's password must never appear; PASS must show as ***.
if grep -l 'demo-secret\|AGRlbW8AZGVtby1zZWNyZXQ' docs/diagrams/* > /dev/null 2>&1; then
    bad "diagrams: a secret appears in docs/diagrams"
elif ! grep -q '^C: PASS \*\*\*$' docs/diagrams/classic.trace; then
    bad "diagrams: classic.trace does not show PASS redacted"
else
    ok "diagrams: traces and SVGs show no secret (PASS is ***)"
fi

echo "check-docs: $passed passed, $failed failed"
[ "$failed" = 0 ]
