#!/usr/bin/env bash
# Drives the packaged launcher's shell in a real terminal (tmux) through a watch that blocks and
# unblocks: the prompt, redrawn from the watch's thread while a line is being typed, gets shorter
# ("[watch: blocked on 3]" -> "[watching]") and must leave nothing of the old one behind. Exits 0
# when the terminal shows it right, else prints what the terminal showed and exits 1.
#
#   DATABASE_URL=postgresql://... src/test/tmux/prompt-in-tmux.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
command -v tmux >/dev/null || { echo "prompt-in-tmux: tmux is needed (apt-get install tmux)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pgshift-tmux-prompt.XXXXXX")"
session="pgshift-prompt-$$"
socket="$work/tmux.sock" # a server of our own: the user's tmux sessions are not touched
tm() { tmux -S "$socket" "$@"; }
cleanup() {
  tm kill-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/migrations"
echo "create table accounts (id int);" >"$work/migrations/1_accounts.sql"
screen() { tm capture-pane -p -J -t "$session" -S -200; }
last_line() { screen | grep -v '^$' | tail -1; }
fail() {
  echo "prompt-in-tmux: FAILED: $*" >&2
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

tm new-session -d -s "$session" -x 160 -y 50 -c "$work" \
  "env DATABASE_URL='${DATABASE_URL:-}' HOME='$work' NO_COLOR=1 '$root/pgshift'; echo \"[exit \$?]\"; sleep 600"
wait_for 'pending>' 180

keys 'watch on --settle 50' Enter
wait_for 'applied 1_accounts.sql' 30
echo "alter table nosuchtable add column x int;" >"$work/migrations/3_broken.sql"
wait_for '\[watch: blocked on 3\]> ?$' 30
keys 'hist'
wait_for 'blocked on 3\]> hist$' 10
echo "ok: blocked: $(last_line)"

echo "alter table accounts add column phone text;" >"$work/migrations/3_broken.sql"
wait_for 'applied 3_broken.sql' 30
# The watch prints the message and redraws the prompt, in either order: wait for the line to settle.
wait_for ' 0 pending \[watching\]> hist$' 10
line="$(last_line)"
[[ "$line" =~ ^pgshift\ .*\ local\ 0\ pending\ \[watching\]\>\ hist$ ]] || fail "the prompt line is '$line'"
[[ "$line" == *blocked* || "$line" == *"on 3]"* ]] && fail "the old prompt's tail is left: '$line'"
echo "ok: unblocked: $line"

keys C-u 'exit' Enter
wait_for '^\[exit [0-9]+\]' 20
screen | grep -q '^\[exit 0\]' || fail "the shell did not exit with 0"
echo "ok: exit left with 0"
