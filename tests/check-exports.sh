#!/bin/sh
# tests/check-exports.sh LIBRARY.so [HEADER]
#
# Checks the dynamic symbol table of the shared library: every exported
# (defined) symbol must start with pop3_, and no pop3__ internal may be
# exported.  Also notes, without failing, functions declared POP3_API in the
# public header (default include/pop3.h) that the library does not export,
# and exports the header does not declare.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 LIBRARY.so [HEADER]" >&2
    exit 2
fi
lib=$1
header=${2:-$(dirname "$0")/../include/pop3.h}
NM=${NM:-nm}

if [ ! -f "$lib" ]; then
    echo "check-exports: $lib: no such file" >&2
    exit 1
fi

# "ADDRESS TYPE NAME" -> NAME (drop any @VERSION suffix).
exports=$("$NM" -D --defined-only "$lib" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u)
count=$(printf '%s\n' "$exports" | grep -c . || true)

bad=$(printf '%s\n' "$exports" | grep -v '^pop3_' | grep . || true)
internal=$(printf '%s\n' "$exports" | grep '^pop3__' || true)

status=0
echo "check-exports: $lib exports $count symbols; checking all start with pop3_ and none with pop3__"
if [ -n "$bad" ]; then
    echo "check-exports: FAIL: exported symbols without the pop3_ prefix:"
    printf '%s\n' "$bad" | sed 's/^/    /'
    status=1
fi
if [ -n "$internal" ]; then
    echo "check-exports: FAIL: pop3__ internal symbols are exported:"
    printf '%s\n' "$internal" | sed 's/^/    /'
    status=1
fi

if [ -f "$header" ]; then
    # Every "POP3_API ... name(" in the header, joined into one line first so
    # declarations split over lines are found too.
    declared=$(tr '\n' ' ' < "$header" | grep -o 'POP3_API[^;{}#()]*(' |
               sed 's/[[:space:]]*($//; s/.*[^A-Za-z0-9_]//' | grep '^pop3_' | sort -u || true)
    ndecl=$(printf '%s\n' "$declared" | grep -c . || true)
    missing=$(printf '%s\n' "$declared" | grep . | while read -r f; do
                  printf '%s\n' "$exports" | grep -qx "$f" || echo "$f"; done)
    extra=$(printf '%s\n' "$exports" | grep . | while read -r f; do
                printf '%s\n' "$declared" | grep -qx "$f" || echo "$f"; done)
    echo "check-exports: $header declares $ndecl POP3_API functions"
    if [ -n "$missing" ]; then
        echo "check-exports: note: declared in the header but not exported (not defined yet?):"
        printf '%s\n' "$missing" | sed 's/^/    /'
    fi
    if [ -n "$extra" ]; then
        echo "check-exports: note: exported but not declared POP3_API in the header:"
        printf '%s\n' "$extra" | sed 's/^/    /'
    fi
fi

if [ "$status" = 0 ]; then
    echo "check-exports: ok"
fi
exit "$status"
