#!/bin/sh
# examples/pop3d/demo.sh POP3D - run pop3d on 127.0.0.1:1110 over a copy of
# tests/maildir-sample (the bundled Maildir is never modified).  Ctrl-C
# stops it and removes the copy.  Run from the repository root: make demo.
set -eu

pop3d=$1
port=${POP3D_DEMO_PORT:-1110}
sample=tests/maildir-sample

if [ ! -x "$pop3d" ] || [ ! -d "$sample/mail" ]; then
    echo "demo: run me from the repository root as: make demo" >&2
    exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pop3d-demo.XXXXXX")
pid=
cleanup() {
    trap - EXIT INT TERM
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp -R "$sample/mail" "$dir/mail"
for u in "$dir"/mail/*/; do
    mkdir -p "$u/cur" "$u/new" "$u/tmp"
done
cp "$sample/users" "$dir/users"
chmod 600 "$dir/users"

"$pop3d" --mail-root "$dir/mail" --users "$dir/users" \
    --listen "127.0.0.1:$port" --trace "$dir/trace.log" &
pid=$!
sleep 0.3
if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" || true
    pid=
    echo "demo: pop3d did not start (is port $port busy? try POP3D_DEMO_PORT=1111 make demo)" >&2
    exit 1
fi

cat <<EOF

pop3d is serving a copy of $sample on 127.0.0.1:$port (pid $pid)
  Maildirs: $dir/mail    protocol trace: $dir/trace.log

Users: alice / wonderland  (plain secret: every password mechanism: USER/PASS,
                            APOP, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1, SCRAM-SHA-256)
       bob   / builder     (SHA512-crypt hash: USER/PASS, AUTH PLAIN/LOGIN)
       erin  / eagle-eyed  (SCRAM-SHA-256 keys: SCRAM-SHA-256, USER/PASS, PLAIN, LOGIN)
       frank / fish-finger (SCRAM-SHA-1 keys: SCRAM-SHA-1, USER/PASS, PLAIN, LOGIN)

curl:
  curl -u alice:wonderland pop3://127.0.0.1:$port/              # LIST
  curl -u alice:wonderland pop3://127.0.0.1:$port/2             # RETR 2
  curl -u alice:wonderland -X 'TOP 3 2' pop3://127.0.0.1:$port/ # TOP
  curl -u alice:wonderland -X UIDL pop3://127.0.0.1:$port/
  curl -u alice:wonderland -X DELE -I pop3://127.0.0.1:$port/1  # DELE + QUIT
  curl -u bob:builder --login-options AUTH=PLAIN pop3://127.0.0.1:$port/
  (by default curl picks CRAM-MD5 or APOP, which a hash or SCRAM keys cannot
   do: name the mechanism for bob, erin and frank)

Python:
  python3 -c 'import poplib; m = poplib.POP3("127.0.0.1", $port)
  m.user("bob"); m.pass_("builder"); print(m.stat()); print(m.list())
  print(b"\n".join(m.retr(1)[1]).decode()); m.quit()'

  python3 -c 'import poplib; m = poplib.POP3("127.0.0.1", $port)
  m.apop("alice", "wonderland"); print(m.uidl()); m.quit()'

By hand:  nc 127.0.0.1 $port   (or telnet), then USER alice / PASS wonderland / LIST / QUIT

Ctrl-C stops the server and deletes the copy.

EOF
wait "$pid"
