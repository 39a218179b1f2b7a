#!/usr/bin/env bash
# pgshift benchmark: pgshift against reference clients on a throwaway PostgreSQL on 127.0.0.1.
#
#   bench/run.sh [all]          every scenario (default)
#   bench/run.sh apply [N...]   apply N files (default: 100 1000), psql vs pgshift
#   bench/run.sh big            one file with 200,000 INSERTs, one-query client vs pgshift -Xmx256m
#   bench/run.sh status         status with 10,000 applied files
#   bench/run.sh watch          pgshift watch: last write of a file -> its ledger row, over 50 files
#   bench/run.sh prompt         the shell's time to first prompt on a pseudo-terminal, psql's for context
#   bench/run.sh reset          reset of 1,000 files: the first against a plain apply, then one with nothing changed
#   bench/run.sh diff           diff of 1,000 applied files against their apply into an empty database; the
#                               database snapshot of a 300-table schema (1,500 files) (not part of "all")
#   bench/run.sh dryrun         dry-run of 500 pending files (of 1,000, half applied) on a shadow database, against
#                               apply of the same 500 (not part of "all")
#   bench/run.sh verify         verify of a pending file of 1,000 files against diff of the 998 applied
#                               (not part of "all")
#   bench/run.sh rewind         watch's rewind of the newest of 200 files over 50 MB of rows (REWIND_EDITS, default 20;
#                               not part of "all")
#   bench/run.sh startup        ./pgshift status on the example migrations: JDK 17 + CDS archive,
#                               JDK 25 without a cache, JDK 25 + AOT cache (not part of "all")
#
# Environment: RUNS (default 3), BENCH_PORT (default 55439), BENCH_PG_BIN (a PostgreSQL bin folder
# to use instead of pgshift's embedded binaries), PGSHIFT_JAVA_OPTS (extra JVM flags, default none),
# BENCH_PGSHIFT=jar (time java -jar target/pgshift.jar instead of the ./pgshift launcher users run).
# startup: STARTUP_RUNS (default 20 of each), BENCH_JDK17 / BENCH_JDK25 (JDK folders; default: found
# under /usr/lib/jvm by their release files); it always runs the launcher, without PGSHIFT_JAVA_OPTS.
# Needs JDK 17 + Maven (the launcher builds the jar), psql, python3, node + npm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$root/target/pgshift.jar"
runs="${RUNS:-3}"
port="${BENCH_PORT:-55439}"
read -r -a java_opts <<<"${PGSHIFT_JAVA_OPTS:-}"
# The same server settings for every tool: defaults, except no fsync, so the disk's flush latency
# does not hide client overhead.
pg_settings=(-c fsync=off -c listen_addresses=127.0.0.1 -c max_connections=20)

"$root/pgshift" --version >/dev/null || exit 2 # the launcher builds target/pgshift.jar when missing or stale
for tool in psql python3 node java; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/pgshift-bench.XXXXXX")"
pg_bin=""
cleanup() {
  if [ -n "$pg_bin" ] && [ -f "$work/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL refuses to run as root: run it in a user namespace then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then unshare -U "$@"; else "$@"; fi
}

url() { echo "postgresql://postgres@127.0.0.1:$port/$1"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc "$1"; }
# By default pgshift runs through the ./pgshift launcher, as users run it; BENCH_PGSHIFT=jar uses java -jar.
if [ "${BENCH_PGSHIFT:-launcher}" = launcher ]; then
  pgshift=(env "JAVA_OPTS=${PGSHIFT_JAVA_OPTS:-}" "$root/pgshift")
  pgshift_256m=(env "JAVA_OPTS=-Xmx256m ${PGSHIFT_JAVA_OPTS:-}" "$root/pgshift")
else
  pgshift=(java "${java_opts[@]}" -jar "$jar")
  pgshift_256m=(java -Xmx256m "${java_opts[@]}" -jar "$jar")
fi

# The PostgreSQL binaries pgshift itself embeds: a status with no DATABASE_URL unpacks them.
find_pg_bin() {
  if [ -n "${BENCH_PG_BIN:-}" ]; then pg_bin="$BENCH_PG_BIN"; return; fi
  mkdir -p "$work/unpack/migrations"
  local version
  version="$(cd "$work/unpack" && env -u DATABASE_URL java -jar "$jar" --dir migrations status </dev/null 2>&1 \
    | sed -n 's/.*(PostgreSQL \([0-9.]*\)).*/\1/p')"
  rm -rf "$work/unpack"
  for dir in /tmp/embedded-pg/PG-*/bin; do # java.io.tmpdir, whatever TMPDIR says
    if [ -n "$version" ] && "$dir/postgres" --version 2>/dev/null | grep -q " $version\$"; then pg_bin="$dir"; return; fi
  done
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$pg_bin/initdb" ] || { echo "run.sh: no PostgreSQL server binaries found" >&2; exit 2; }
}

start_server() {
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: something already listens on 127.0.0.1:$port; pick another port with BENCH_PORT" >&2; exit 2
  fi
  find_pg_bin
  as_pg "$pg_bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$work/initdb.log" 2>&1
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -c unix_socket_directories=$work ${pg_settings[*]}" start >/dev/null
  local from="Debian's server binaries"
  case "$pg_bin" in */embedded-pg/*) from="the binaries pgshift embeds" ;; esac
  [ -z "${BENCH_PG_BIN:-}" ] || from="BENCH_PG_BIN binaries"
  server="$(sql 'show server_version') ($from), settings: ${pg_settings[*]}"
  echo "Server: PostgreSQL $server"
}

db_seq=0
fresh_db() { db_seq=$((db_seq + 1)); db="b$db_seq"; sql "CREATE DATABASE $db"; } # sets $db
drop_db() { sql "DROP DATABASE $1"; }

# timed LOG CMD...: runs CMD with its output in LOG, stops the benchmark when it fails, sets $took
# (wall seconds) and $rss (peak resident KB of the process, when /usr/bin/time is there). With
# allow_oom=1, a run that ran out of Java heap sets oom=1 instead of stopping the benchmark.
timed() {
  local log="$1" start end
  shift
  rss="-" oom=0
  start=$EPOCHREALTIME
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$log.rss" "$@" >"$log" 2>&1 </dev/null || failed "$log" "$@"
  else
    "$@" >"$log" 2>&1 </dev/null || failed "$log" "$@"
  fi
  end=$EPOCHREALTIME
  took="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
  [ -f "$log.rss" ] && rss="$(tail -1 "$log.rss")"
  return 0
}
failed() {
  if [ -n "${allow_oom:-}" ] && grep -q OutOfMemoryError "$1"; then oom=1; else fail "$@"; fi
}
fail() { local log="$1"; shift; echo "FAILED: $*" >&2; tail -20 "$log" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

rows=()
row() { # scenario | tool | median s | note
  rows+=("$1|$2|$3|$4")
  printf '  %-28s %-44s %8s  %s\n' "$1" "$2" "$3" "$4"
}

check_ledger() {
  local n
  n="$(psql -X -h 127.0.0.1 -p "$port" -U postgres -d "$1" -Atc 'SELECT count(*) FROM supabase_migrations.schema_migrations')"
  [ "$n" = "$2" ] || { echo "run.sh: $1 has $n ledger rows, expected $2" >&2; exit 1; }
}

scenario_apply() {
  local n="$1" t_psql=() t_shift=() i db
  local files="$work/files-$n"
  python3 "$here/generate.py" files "$n" "$files"
  python3 "$here/generate.py" psql-driver "$files" >"$work/driver-$n.sql"
  for ((i = 1; i <= runs; i++)); do
    fresh_db
    timed "$work/psql.log" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" -f "$work/driver-$n.sql"
    check_ledger "$db" "$n"; drop_db "$db"; t_psql+=("$took")
    fresh_db
    timed "$work/pgshift.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
    check_ledger "$db" "$n"; drop_db "$db"; t_shift+=("$took")
  done
  local a b
  a="$(median "${t_psql[@]}")"; b="$(median "${t_shift[@]}")"
  row "apply $n files" "psql, one session, tx + ledger row per file" "$a" "runs: ${t_psql[*]}"
  row "apply $n files" "pgshift apply" "$b" "runs: ${t_shift[*]}"
  row "apply $n files" "ratio pgshift / psql" "$(ratio "$b" "$a")" "target <= 1.25 at 1,000 files"
  rm -rf "$files"
}

scenario_big() {
  local files="$work/big" file t_ref=() t_psql=() t_shift=() rss_shift=() i db ooms=0
  big_status=""
  python3 "$here/generate.py" big "$files"
  file="$(ls "$files"/*.sql)"
  [ -d "$here/node_modules/pg" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
  for ((i = 1; i <= runs; i++)); do
    fresh_db
    timed "$work/ref.log" node "$here/one-query.js" "$(url "$db")" "$file"
    drop_db "$db"; t_ref+=("$took")
    fresh_db
    timed "$work/psql.log" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" -1 -f "$file"
    drop_db "$db"; t_psql+=("$took")
    fresh_db
    allow_oom=1 timed "$work/pgshift.log" "${pgshift_256m[@]}" --database-url "$(url "$db")" --dir "$files" apply
    if [ "$oom" = 1 ]; then ooms=$((ooms + 1)); drop_db "$db"; continue; fi
    [ "$(psql -X -h 127.0.0.1 -p "$port" -U postgres -d "$db" -Atc 'SELECT count(*) FROM catalog')" = 200000 ] \
      || { echo "run.sh: pgshift did not load 200,000 rows" >&2; exit 1; }
    check_ledger "$db" 1; t_shift+=("$took"); rss_shift+=("$rss")
    if [ -z "${big_status:-}" ]; then # status has to read the 200,000-statement ledger row back
      timed "$work/status.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" status --check
      big_status="$took"
    fi
    drop_db "$db"
  done
  local a b c
  a="$(median "${t_ref[@]}")"; b="$(median "${t_psql[@]}")"; c="OOM"
  [ "${#t_shift[@]}" = 0 ] || c="$(median "${t_shift[@]}")"
  local size="$(( $(stat -c %s "$file") / 1000000 )) MB"
  row "one $size file, 200k INSERTs" "node pg, whole file as one simple query" "$a" "runs: ${t_ref[*]}"
  row "one $size file, 200k INSERTs" "psql -1 -f (context)" "$b" "runs: ${t_psql[*]}"
  row "one $size file, 200k INSERTs" "pgshift apply, -Xmx256m" "$c" "runs: ${t_shift[*]}; peak RSS KB: ${rss_shift[*]}; out of memory in $ooms of $runs runs"
  [ "$c" = OOM ] || row "one $size file, 200k INSERTs" "ratio pgshift / one query" "$(ratio "$c" "$a")" "target <= 1.2"
  row "one $size file, 200k INSERTs" "pgshift status afterwards (context)" "${big_status:--}" "one run"
  rm -rf "$files"
}

scenario_status() {
  local n=10000 files="$work/files-status" db last t=() i s v
  python3 "$here/generate.py" files "$n" "$files"
  last="$(ls "$files" | sort | tail -1 | cut -d_ -f1)"
  fresh_db
  timed "$work/mark.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" mark-applied --through "$last" --force
  check_ledger "$db" "$n"
  local mark="$took" cmd="${pgshift[*]} --database-url $(url "$db") --dir $files status"
  # --check exits 1 unless every migration is applied and unmodified.
  timed "$work/status.log" $cmd --check
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs 10 --export-json "$work/status.json" "$cmd" "${pgshift[*]} --version" >/dev/null
    read -r s v < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(x["median"] for x in r))' "$work/status.json")
    row "status, $n applied" "pgshift status (hyperfine, median of 10)" "$(printf %.3f "$s")" "target < 1 s"
    row "status, $n applied" "pgshift --version (JVM start, context)" "$(printf %.3f "$v")" ""
  else
    for ((i = 1; i <= 5; i++)); do timed "$work/status.log" $cmd; t+=("$took"); done
    row "status, $n applied" "pgshift status (median of 5)" "$(median "${t[@]}")" "runs: ${t[*]}; target < 1 s"
  fi
  # status --json has been seen to take minutes: one run, capped at 60 s.
  local json rc=0 start=$EPOCHREALTIME
  timeout 60 $cmd --json >"$work/status-json.log" 2>&1 </dev/null || rc=$?
  case "$rc" in
    0) json="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')" ;;
    124) json="> 60" ;;
    *) fail "$work/status-json.log" $cmd --json ;;
  esac
  row "status, $n applied" "pgshift status --json" "$json" "one run, capped at 60 s"
  row "status, $n applied" "pgshift mark-applied --through (setup)" "$mark" "one run"
  drop_db "$db"
  rm -rf "$files"
}

scenario_watch() {
  local n=50 settle=200 files="$work/files-watch" db pid i rc=0 ready=0 sorted median worst
  [ -d "$here/node_modules/pg" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
  mkdir -p "$files"
  fresh_db
  "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" watch --settle "$settle" >"$work/watch.log" 2>&1 </dev/null &
  pid=$!
  for ((i = 0; i < 600; i++)); do # up to 60 s for the JVM (and a first build) to start watching
    if grep -qs '^Watching ' "$work/watch.log"; then ready=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ "$ready" = 1 ] || { kill "$pid" 2>/dev/null || true; fail "$work/watch.log" pgshift watch; }
  node "$here/watch-latency.js" "$(url "$db")" "$files" "$n" >"$work/latency.txt" 2>"$work/latency.err" \
    || { kill "$pid"; cat "$work/latency.err" >&2; fail "$work/watch.log" pgshift watch; }
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  [ "$rc" = 0 ] || fail "$work/watch.log" "pgshift watch exited with $rc after SIGTERM"
  check_ledger "$db" "$n"
  drop_db "$db"
  sorted="$(sort -g "$work/latency.txt")"
  median="$(median $sorted)"; worst="$(tail -1 <<<"$sorted")"
  row "watch, $n files one by one" "pgshift watch --settle $settle, median ms" "$median" "last write -> ledger row committed; target <= $((settle + 150)) ms"
  row "watch, $n files one by one" "pgshift watch --settle $settle, worst ms" "$worst" "best $(head -1 <<<"$sorted") ms"
  rm -rf "$files"
}

scenario_prompt() {
  local n=15 db dir="$work/prompt" times_shift times_psql
  mkdir -p "$dir" && cp -r "$root/migrations" "$dir/migrations"
  fresh_db
  # The README's first command in a folder with the example migrations (all pending), on a
  # 120x40 pseudo-terminal; the time runs until the prompt with its pending count is drawn.
  times_shift="$(cd "$dir" && DATABASE_URL="$(url "$db")" HOME="$dir" \
    python3 "$here/first-prompt.py" "$n" ' pending> ' exit -- "${pgshift[@]}")" || fail /dev/null first-prompt.py pgshift
  times_psql="$(cd "$dir" && HOME="$dir" python3 "$here/first-prompt.py" "$n" '=# ' '\q' -- \
    psql -X -h 127.0.0.1 -p "$port" -U postgres -d "$db")" || fail /dev/null first-prompt.py psql
  local sorted
  sorted="$(sort -g <<<"$times_shift")"
  row "shell, first prompt" "pgshift (median of $n)" "$(median $sorted)" "worst $(tail -1 <<<"$sorted") s, best $(head -1 <<<"$sorted") s; target <= 0.8 s"
  row "shell, first prompt" "psql (context, median of $n)" "$(median $(sort -g <<<"$times_psql"))" ""
  drop_db "$db"
  rm -rf "$dir"
}

# A JDK of feature release $1 (17, 25) under /usr/lib/jvm, by its release file.
find_jdk() {
  local release
  for release in /usr/lib/jvm/*/release; do
    if grep -Eq "^JAVA_VERSION=\"$1([.\"]|$)" "$release" && [ -x "${release%/release}/bin/java" ]; then
      readlink -f "${release%/release}"; return
    fi
  done
}

# ./pgshift status against a database with the example migrations applied, as users start it, with
# the launcher's class cache: a CDS archive on JDK 17, an AOT cache on JDK 25 (-XX:AOTMode=off in
# JAVA_OPTS, which comes last, runs JDK 25 without it). The three take turns: hyperfine runs them
# in rounds of 5 runs each (a fixed order in a round), else single runs in turn.
scenario_startup() {
  local n="${STARTUP_RUNS:-20}" dir="$work/startup" db jdk17 jdk25 i label
  jdk17="${BENCH_JDK17:-$(find_jdk 17)}"; jdk25="${BENCH_JDK25:-$(find_jdk 25)}"
  [ -n "$jdk17" ] && [ -n "$jdk25" ] || { echo "run.sh: startup needs a JDK 17 and a JDK 25 (BENCH_JDK17, BENCH_JDK25)" >&2; exit 2; }
  mkdir -p "$dir" && cp -r "$root/migrations" "$dir/migrations"
  fresh_db
  local base="$root/pgshift --database-url $(url "$db") --dir migrations status"
  local v17 v25 count
  v17="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk17/release")"; v25="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk25/release")"
  count="$(ls "$dir/migrations" | wc -l)"
  local labels=("JDK $v17 + CDS archive" "JDK $v25, no cache" "JDK $v25 + AOT cache")
  local cmds=("env JAVA_HOME=$jdk17 JAVA_OPTS= $base" "env JAVA_HOME=$jdk25 JAVA_OPTS=-XX:AOTMode=off $base"
    "env JAVA_HOME=$jdk25 JAVA_OPTS= $base")
  (cd "$dir" && env JAVA_HOME="$jdk17" JAVA_OPTS= "$root/pgshift" --database-url "$(url "$db")" --dir migrations apply) \
    >"$work/startup.log" 2>&1 </dev/null || fail "$work/startup.log" pgshift apply
  check_ledger "$db" "$count"
  for i in 0 1 2; do # the caches are made (the first run after a build trains), and status is clean
    (cd "$dir" && ${cmds[$i]} --check) >"$work/startup.log" 2>&1 </dev/null || fail "$work/startup.log" "${cmds[$i]} --check"
  done
  : >"$work/startup.times"; : >"$work/startup.cpu"
  if command -v hyperfine >/dev/null; then
    for ((i = 0; i < (n + 4) / 5; i++)); do
      (cd "$dir" && hyperfine -N --warmup 1 --runs 5 --export-json "$work/startup.json" "${cmds[@]}") \
        >"$work/hyperfine.log" 2>&1 || fail "$work/hyperfine.log" hyperfine "${cmds[@]}"
      python3 -c 'import json,sys
for i, r in enumerate(json.load(open(sys.argv[1]))["results"]):
    print(i, *r["times"])
    print(i, r["user"] + r["system"], file=sys.stderr)' "$work/startup.json" >>"$work/startup.times" 2>>"$work/startup.cpu"
    done
  else
    for ((i = 0; i < n; i++)); do
      for label in 0 1 2; do
        (cd "$dir" && timed "$work/startup.log" ${cmds[$label]} && echo "$label $took" >>"$work/startup.times")
      done
    done
  fi
  for i in 0 1 2; do
    local times cpu
    times="$(awk -v i="$i" '$1 == i { for (f = 2; f <= NF; f++) print $f }' "$work/startup.times" | sort -g)"
    # CPU time (user + system, hyperfine's mean per round) moves less than wall time on a busy machine.
    cpu="$(awk -v i="$i" '$1 == i { s += $2; n++ } END { if (n) printf ", CPU %.3f s (mean)", s / n }' "$work/startup.cpu")"
    row "startup: status, $count applied" "${labels[$i]}" "$(printf %.3f "$(median $times)")" \
      "min $(printf %.3f "$(head -1 <<<"$times")"), max $(printf %.3f "$(tail -1 <<<"$times")"), $(wc -l <<<"$times") runs$cpu"
  done
  drop_db "$db"
  rm -rf "$dir"
}

# Drops the snapshots pgshift keeps beside a database (reset's cache, a watch's leftovers).
drop_snapshots() {
  local name
  for name in $(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\_%'"); do sql "DROP DATABASE $name"; done
}

scenario_reset() {
  local n=1000 files="$work/files-reset" db t_apply=() t_first=() t_second=() i
  python3 "$here/generate.py" files "$n" "$files"
  for ((i = 1; i <= runs; i++)); do
    fresh_db
    timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
    check_ledger "$db" "$n"; t_apply+=("$took")
    drop_db "$db"; fresh_db # the first reset, of an empty database: no snapshot of these files yet
    timed "$work/reset1.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" reset
    check_ledger "$db" "$n"; t_first+=("$took")
    grep -q "(0 from the snapshot, $n run)" "$work/reset1.log" || fail "$work/reset1.log" "first reset"
    timed "$work/reset2.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" reset
    check_ledger "$db" "$n"; t_second+=("$took")
    grep -q "($n from the snapshot, 0 run)" "$work/reset2.log" || fail "$work/reset2.log" "second reset"
    drop_db "$db"; drop_snapshots
  done
  local a b c
  a="$(median "${t_apply[@]}")"; b="$(median "${t_first[@]}")"; c="$(median "${t_second[@]}")"
  row "reset, $n files" "pgshift apply on an empty database" "$a" "runs: ${t_apply[*]}"
  row "reset, $n files" "pgshift reset, first (no snapshot yet)" "$b" "runs: ${t_first[*]}"
  row "reset, $n files" "ratio first reset / apply" "$(ratio "$b" "$a")" "target <= 1.3"
  row "reset, $n files" "pgshift reset, nothing changed" "$c" "runs: ${t_second[*]}; wall, JVM start included; target <= 1.0 s"
  rm -rf "$files"
}

scenario_rewind() {
  local files="$work/files-rewind" db edits="${REWIND_EDITS:-20}" last t_scratch=() i size
  python3 "$here/generate.py" files 200 "$files"
  # 50 MB of rows, written by a migration in the middle of the history, so every state after it holds them.
  cat >>"$files/$(ls "$files" | sed -n 100p)" <<'SQL'

create table public.bench_rows (id bigint primary key, payload text not null);
insert into public.bench_rows select g, repeat(md5(g::text), 5) from generate_series(1, 220000) g;
SQL
  last="$files/$(ls "$files" | tail -1)"
  for ((i = 1; i <= runs; i++)); do # the reference: the whole history re-applied from scratch
    fresh_db
    timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
    check_ledger "$db" 200; t_scratch+=("$took")
    [ "$i" = "$runs" ] || drop_db "$db"
  done
  size="$(sql "SELECT pg_size_pretty(pg_database_size('$db'))")"
  python3 "$here/rewind-latency.py" "$last" "$edits" -- "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" watch \
    >"$work/rewind.txt" 2>"$work/rewind.err" || { cat "$work/rewind.err" >&2; fail "$work/rewind.txt" rewind-latency.py; }
  check_ledger "$db" 200
  [ -z "$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\_%'")" ] || { echo "run.sh: watch left snapshots behind" >&2; exit 1; }
  drop_db "$db"
  local first steady sorted
  first="$(head -1 "$work/rewind.txt")"
  steady="$(tail -n +2 "$work/rewind.txt" | awk '{ print $1 }')"
  sorted="$(sort -g <<<"$steady")"
  grep -c "from the snapshot after" "$work/rewind.txt" >/dev/null || fail "$work/rewind.txt" "no rewind from a snapshot"
  row "rewind, 200 files + rows ($size)" "apply from scratch (reference)" "$(median "${t_scratch[@]}")" "runs: ${t_scratch[*]}"
  row "rewind, 200 files + rows ($size)" "first edit of the newest file, ms" "${first%% *}" "${first#* }"
  row "rewind, 200 files + rows ($size)" "later edits, median ms" "$(median $sorted)" "$((edits - 1)) edits, worst $(tail -1 <<<"$sorted") ms, best $(head -1 <<<"$sorted") ms; save -> ledger row; target <= 1000 ms"
  rm -rf "$files"
}

scenario_diff() {
  local n=1000 files="$work/files-diff" db t_apply=() t_diff=() t_snap=() i
  python3 "$here/generate.py" files "$n" "$files"
  for ((i = 1; i <= runs; i++)); do
    fresh_db
    timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
    check_ledger "$db" "$n"; t_apply+=("$took")
    # The same files replayed into a shadow database and both schemas compared; --check fails on any difference.
    timed "$work/diff.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" diff --check
    grep -q "^No differences" "$work/diff.log" || fail "$work/diff.log" "diff"
    t_diff+=("$took")
    drop_db "$db"
  done
  [ -z "$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\_shadow\_%'")" ] || { echo "run.sh: diff left a shadow database behind" >&2; exit 1; }
  local a b
  a="$(median "${t_apply[@]}")"; b="$(median "${t_diff[@]}")"
  row "diff, $n files" "pgshift apply on an empty database" "$a" "runs: ${t_apply[*]}"
  row "diff, $n files" "pgshift diff (nothing differs)" "$b" "runs: ${t_diff[*]}; $(grep -o 'shadow built in [0-9]* ms' "$work/diff.log")"
  row "diff, $n files" "ratio diff / apply" "$(ratio "$b" "$a")" "target <= 1.5"
  rm -rf "$files"
  # 1,500 generated files make 300 tables (with their columns, indexes, triggers, policies and comments).
  files="$work/files-snapshot"
  python3 "$here/generate.py" files 1500 "$files"
  fresh_db
  timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
  [ "$(psql -X -h 127.0.0.1 -p "$port" -U postgres -d "$db" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 300 ] \
    || { echo "run.sh: expected 300 tables" >&2; exit 1; }
  for ((i = 1; i <= runs; i++)); do
    timed "$work/diff.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" diff --check
    t_snap+=("$(sed -n 's/.*snapshot of the database \([0-9]*\) ms.*/\1/p' "$work/diff.log")")
  done
  drop_db "$db"
  row "snapshot, 300 tables" "the database's snapshot in diff, ms" "$(median "${t_snap[@]}")" "runs: ${t_snap[*]}; target <= 300 ms"
  rm -rf "$files"
}

scenario_dryrun() {
  local n=1000 files="$work/files-dryrun" db half t_dry=() t_apply=() i
  python3 "$here/generate.py" files "$n" "$files"
  half="$(ls "$files" | sort | sed -n "$((n / 2))p" | cut -d_ -f1)"
  for ((i = 1; i <= runs; i++)); do
    fresh_db
    timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply --to "$half"
    check_ledger "$db" "$((n / 2))"
    # The first half replayed into a shadow database, then the second half applied there file by file.
    timed "$work/dryrun.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" dry-run
    grep -q "^Rehearsed $((n / 2)) migration(s)" "$work/dryrun.log" || fail "$work/dryrun.log" "dry-run"
    check_ledger "$db" "$((n / 2))"; t_dry+=("$took")
    timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply
    check_ledger "$db" "$n"; t_apply+=("$took")
    drop_db "$db"
  done
  [ -z "$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\_shadow\_%'")" ] || { echo "run.sh: dry-run left a shadow database behind" >&2; exit 1; }
  local a b
  a="$(median "${t_apply[@]}")"; b="$(median "${t_dry[@]}")"
  row "dry-run, $n files, $((n / 2)) applied" "pgshift apply of the other $((n / 2))" "$a" "runs: ${t_apply[*]}"
  row "dry-run, $n files, $((n / 2)) applied" "pgshift dry-run of the other $((n / 2)) (on a shadow)" "$b" "runs: ${t_dry[*]}; $(grep -o 'Rehearsed [0-9]* migration(s) in [0-9]* ms (the shadow made and filled in [0-9]* ms)' "$work/dryrun.log")"
  row "dry-run, $n files, $((n / 2)) applied" "ratio dry-run / apply" "$(ratio "$b" "$a")" "target <= 1.5"
  rm -rf "$files"
}

# verify of a pending file of a 1,000-file history (the 999th: policies; the 1,000th only inserts
# rows) against diff of the 998 applied before it: the same replay, plus the one file and a second
# snapshot of the shadow.
scenario_verify() {
  local n=1000 files="$work/files-verify" db last before t_diff=() t_verify=() i
  python3 "$here/generate.py" files "$n" "$files"
  last="$(ls "$files" | sort | tail -2 | head -1 | cut -d_ -f1)"
  before="$(ls "$files" | sort | tail -3 | head -1 | cut -d_ -f1)"
  fresh_db
  timed "$work/apply.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" apply --to "$before"
  check_ledger "$db" "$((n - 2))"
  for ((i = 1; i <= runs; i++)); do
    timed "$work/diff.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" diff --check
    grep -q "^No differences" "$work/diff.log" || fail "$work/diff.log" "diff"
    t_diff+=("$took")
    # Exit code 0: the pending file is absent, as the ledger says.
    timed "$work/verify.log" "${pgshift[@]}" --database-url "$(url "$db")" --dir "$files" verify "$last"
    grep -q "(pending): absent" "$work/verify.log" || fail "$work/verify.log" "verify"
    t_verify+=("$took")
  done
  drop_db "$db"
  [ -z "$(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\_shadow\_%'")" ] || { echo "run.sh: verify left a shadow database behind" >&2; exit 1; }
  local a b
  a="$(median "${t_diff[@]}")"; b="$(median "${t_verify[@]}")"
  row "verify, $n files" "pgshift diff ($((n - 2)) applied)" "$a" "runs: ${t_diff[*]}"
  row "verify, $n files" "pgshift verify of the pending one" "$b" "runs: ${t_verify[*]}"
  row "verify, $n files" "ratio verify / diff" "$(ratio "$b" "$a")" "target <= 1.5"
  rm -rf "$files"
}

report() {
  local out="$here/out/results.md" r
  mkdir -p "$here/out"
  {
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), pgshift $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo "Server: PostgreSQL $server; $(nproc) cores, load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); pgshift run as: ${BENCH_PGSHIFT:-launcher}, extra JVM flags: ${PGSHIFT_JAVA_OPTS:-none}; psql $(psql --version | awk '{print $3}'); node $(node --version). Median of $runs runs unless noted."
    echo
    echo "| scenario | tool | median s | note |"
    echo "|---|---|---:|---|"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
    echo
  } >>"$out"
  echo "Appended to bench/out/results.md"
}

what="${1:-all}"
[ $# -gt 0 ] && shift
case "$what" in
  all|apply|big|status|watch|prompt|startup|reset|rewind|diff|dryrun|verify) ;;
  -h|--help|help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
"${pgshift[@]}" --version >/dev/null # warm the page cache (the launcher also builds what it needs)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start_server
printf '  %-28s %-44s %8s  %s\n' scenario tool "median s" note
case "$what" in
  apply) [ $# -gt 0 ] || set -- 100 1000
         for n in "$@"; do scenario_apply "$n"; done ;;
  big) scenario_big ;;
  status) scenario_status ;;
  watch) scenario_watch ;;
  prompt) scenario_prompt ;;
  startup) scenario_startup ;;
  reset) scenario_reset ;;
  rewind) scenario_rewind ;;
  diff) scenario_diff ;;
  dryrun) scenario_dryrun ;;
  verify) scenario_verify ;;
  all) scenario_apply 100; scenario_apply 1000; scenario_big; scenario_status; scenario_watch; scenario_prompt ;;
esac
report
