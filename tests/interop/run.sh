#!/bin/sh
# tests/interop/run.sh POP3D - interoperability tests of pop3d (make
# check-interop): curl, Python's poplib, mpop, fetchmail and the test's own SASL clients
# (SCRAM, OAUTHBEARER, EXTERNAL, the STLS injection probe) against pop3d on
# loopback, over a temporary copy of tests/maildir-sample.  Installs curl,
# mpop, fetchmail, python3 and openssl through tests/need.sh when missing (as
# root with apt-get).
# The last line is "interop: N passed, N failed".
set -u

pop3d=$1
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pop3d-interop.XXXXXX")
pidfile="$tmp/pids"
: > "$pidfile"
cleanup() {
    # Whatever happened: no pop3d started by the tests survives them.
    while read -r pid; do
        kill -KILL "$pid" 2>/dev/null || true
    done < "$pidfile"
    [ -n "${INTEROP_KEEP:-}" ] && { echo "interop: kept $tmp"; return; }
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary() {  # summary PASSED FAILED: the line the CI reads
    echo "interop: $1 passed, $2 failed"
}

if ! tests/need.sh python3 'interop: python3 is required for the interop tests' \
        python3 -c 'import poplib, ssl'; then
    summary 0 1
    exit 1
fi
curl_opt=
if ! tests/need.sh curl 'interop: curl is missing: its tests are skipped' \
        curl --version; then
    curl_opt=--no-curl
fi
if ! tests/need.sh mpop 'interop: mpop is missing: its tests are skipped' \
        mpop --version; then
    curl_opt="$curl_opt --no-mpop"
fi
if ! tests/need.sh fetchmail 'interop: fetchmail is missing: its tests are skipped' \
        fetchmail --version; then
    curl_opt="$curl_opt --no-fetchmail"
fi
tls_opt=
if "$pop3d" --version | grep -q 'TLS: OpenSSL'; then
    if tests/need.sh openssl 'interop: the openssl command is missing: TLS tests skipped' \
            openssl version; then
        tls_opt=--tls
    fi
else
    echo "interop: pop3d was built without TLS: TLS tests skipped"
fi

# A watchdog on top of the per-client timeouts.
timeout -k 5 120 python3 tests/interop/interop.py --pop3d "$pop3d" \
    --tmp "$tmp" --pidfile "$pidfile" $curl_opt $tls_opt > "$tmp/out" 2>&1
status=$?
cat "$tmp/out"
if ! tail -n 1 "$tmp/out" | grep -q '^interop: [0-9]* passed, [0-9]* failed$'; then
    echo "interop: the test driver stopped early (exit $status)"
    summary 0 1
    exit 1
fi
exit $status
