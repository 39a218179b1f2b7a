#!/usr/bin/env bash
# Drives the packaged launcher's shell in a real terminal (tmux): prompt, Tab completion, Ctrl-C
# cancelling a running statement, Ctrl-C clearing the line, exit. Exits 0 when all of it works,
# else prints what the terminal showed and exits 1.
#
#   DATABASE_URL=postgresql://... src/test/tmux/shell-in-tmux.sh
#
# Without DATABASE_URL the shell starts its embedded PostgreSQL in a temporary folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
command -v tmux >/dev/null || { echo "shell-in-tmux: tmux is needed (apt-get install tmux)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pgshift-tmux.XXXXXX")"
session="pgshift-test-$$"
socket="$work/tmux.sock" # a server of our own: the user's tmux sessions are not touched
tm() { tmux -S "$socket" "$@"; }
cleanup() {
  tm kill-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$root/migrations" "$work/migrations"
screen() { tm capture-pane -p -J -t "$session" -S -200; }
fail() {
  echo "shell-in-tmux: FAILED: $*" >&2
  echo "----- the terminal showed:" >&2
  screen >&2 || true
  exit 1
}
# Waits up to $2 seconds (default 60) until the terminal shows the extended regex $1.
wait_for() {
  local pattern="$1" limit="${2:-60}" start=$SECONDS
  until screen | grep -Eq -- "$pattern"; do
    ((SECONDS - start < limit)) || fail "no '$pattern' within ${limit}s"
    sleep 0.1
  done
}
keys() { tm send-keys -t "$session" "$@"; }

# A 160x50 terminal running the launcher exactly as a user would; the pane stays after exit so
# its exit status can be read.
tm new-session -d -s "$session" -x 160 -y 50 -c "$work" \
  "env DATABASE_URL='${DATABASE_URL:-}' HOME='$work' '$root/pgshift'; echo \"[exit \$?]\"; sleep 600"

wait_for 'pending> $' 180
echo "ok: prompt: $(screen | grep -E 'pending> $' | tail -1)"
screen | grep -Eq ' (local|REMOTE) [0-9]+ pending> $' || fail "the prompt does not name local/REMOTE and the pending count"

# Tab completes a command in place, then lists the versions apply takes (the pending ones).
keys 'sta' Tab
wait_for 'pending> status $' 10
keys C-u 'apply ' Tab Tab
wait_for '20251112000001' 10
echo "ok: Tab completes commands and lists pending versions"
keys C-u 'status' Enter
wait_for 'migration\(s\): 0 applied, 5 pending' 30
echo "ok: status ran"

# Ctrl-C while a statement runs cancels it on the server; the shell goes on.
keys 'sql select pg_sleep(30)' Enter
sleep 1 # let the statement start on the server
started=$(date +%s%N)
keys C-c
wait_for 'canceling statement due to user request' 10
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
wait_for 'pending> $' 10
echo "ok: Ctrl-C cancelled the running statement in ${elapsed_ms} ms (as seen through tmux polling every 100 ms)"
((elapsed_ms < 5000)) || fail "cancelling took ${elapsed_ms} ms"

# Ctrl-C at the prompt clears the line; exit leaves with status 0.
keys 'this line is dropped' C-c
sleep 0.3
keys 'exit' Enter
wait_for '^\[exit [0-9]+\]' 20
screen | grep -q '^\[exit 0\]' || fail "the shell did not exit with 0"
screen | grep -q "Unknown command 'this'" && fail "Ctrl-C at the prompt did not clear the line"
echo "ok: Ctrl-C at the prompt cleared the line; exit left with 0"
