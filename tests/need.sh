#!/bin/sh
# tests/need.sh PACKAGE MESSAGE CHECK-COMMAND [ARG...]
#
# Make sure a tool or library the tests need is usable.  Runs CHECK-COMMAND
# (quietly); if it fails and we are root on a system with apt-get, installs
# the Debian package PACKAGE and checks again.  Otherwise prints MESSAGE (one
# line) and exits 1.
set -eu

if [ $# -lt 3 ]; then
    echo "usage: $0 PACKAGE MESSAGE CHECK-COMMAND [ARG...]" >&2
    exit 2
fi
package=$1
message=$2
shift 2

check() { "$@" >/dev/null 2>&1; }

if check "$@"; then
    exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "libpop3: $package is missing: running apt-get update && apt-get install -y $package"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -q >/dev/null && \
       apt-get install -y -q --no-install-recommends "$package" >/dev/null; then
        if check "$@"; then
            echo "libpop3: installed $package"
            exit 0
        fi
    fi
    echo "libpop3: installing $package with apt-get did not help" >&2
fi

echo "$message" >&2
exit 1
