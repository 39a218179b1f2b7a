#!/usr/bin/env bash
# Checks the ./pgshift launcher's choice of java and its class cache: JAVA_HOME before the PATH, a
# CDS archive on Java 17-24 and an AOT cache on 25+, a new cache when the java changes, switching
# between a JDK 17 and a JDK 25 back and forth, an emptied or damaged cache file, a training run
# that fails (not repeated, pgshift still runs), a java without a release file (asked its version
# once), a JAVA_HOME without bin/java, a Java 11. Every run must print pgshift's version and
# nothing else.
# Exits 0 when all of it holds, else says what did not and exits 1.
#
#   src/test/launcher/java-switch.sh     (after mvn package; JDK17_HOME / JDK25_HOME to choose JDKs)
#
# Works on a copy of the launcher and target/pgshift.jar in a temporary folder: the checkout's
# target/ caches are not touched.
set -uo pipefail # no -e: a failed check is counted and the next one runs

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
[ -f "$root/target/pgshift.jar" ] || { echo "java-switch: build first (mvn -DskipTests package)" >&2; exit 2; }

# A JDK of the given feature release (17, 25) under /usr/lib/jvm, by its release file.
find_jdk() {
  local release
  for release in /usr/lib/jvm/*/release; do
    if grep -Eq "^JAVA_VERSION=\"$1([.\"]|$)" "$release" && [ -x "${release%/release}/bin/java" ]; then
      readlink -f "${release%/release}"; return
    fi
  done
}
jdk17="${JDK17_HOME:-$(find_jdk 17)}"
jdk25="${JDK25_HOME:-$(find_jdk 25)}"
[ -n "$jdk17" ] || { echo "java-switch: no JDK 17 found under /usr/lib/jvm; set JDK17_HOME" >&2; exit 2; }
[ -n "$jdk25" ] || { echo "java-switch: no JDK 25 found under /usr/lib/jvm; set JDK25_HOME" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pgshift-java-switch.XXXXXX")" || exit 2
trap 'rm -rf "$work"' EXIT
app="$work/app"
mkdir -p "$app/target"
cp "$root/pgshift" "$app/pgshift" && cp -r "$root/migrations" "$app/migrations" && cp -p "$root/target/pgshift.jar" "$app/target/pgshift.jar" \
  || { echo "java-switch: cannot copy the launcher and jar to $app" >&2; exit 2; }
expected="$("$jdk17/bin/java" -jar "$app/target/pgshift.jar" --version 2>&1)" # plain java, no launcher
[[ "$expected" == "pgshift "* ]] || { echo "java-switch: java -jar target/pgshift.jar --version printed: $expected" >&2; exit 2; }
aot="$app/target/pgshift.aot" jsa="$app/target/pgshift.jsa"

failures=0
fail() { echo "java-switch: FAILED: $*" >&2; failures=$((failures + 1)); }
ok() { echo "  ok: $*"; }

# run LABEL [VAR=value...]: ./pgshift --version with that environment; it must exit 0 and print
# exactly what plain java -jar printed ("pgshift VERSION") and nothing on stderr.
run() {
  local label="$1" out err rc=0
  shift
  (cd "$work" && env "$@" "$app/pgshift" --version) >"$work/out" 2>"$work/err" </dev/null || rc=$?
  out="$(cat "$work/out")" err="$(cat "$work/err")"
  if [ "$rc" != 0 ] || [ "$out" != "$expected" ] || [ -n "$err" ]; then
    fail "$label: exit $rc, stdout: '$out', stderr: '$err'"
    return 1
  fi
}
stamp() { tr '\n' '|' 2>/dev/null <"$1.java"; }
made_by() { head -n 1 "$1.java" 2>/dev/null || true; }
outcome() { sed -n 2p "$1.java" 2>/dev/null || true; }
ident() { stat -c '%i %Y' "$1" 2>/dev/null || echo none; } # a new file has a new inode
expect_made() { # CACHE JDK LABEL
  if [ -s "$1" ] && [ "$(outcome "$1")" = made ] && [[ "$(made_by "$1")" == *" $2/bin/java" ]]; then ok "$3"
  else fail "$3: $(basename "$1") $(ident "$1"), stamp: $(stamp "$1")"; fi
}

echo "JDK 17: $jdk17; JDK 25: $jdk25"

run "JDK 17, first run" JAVA_HOME="$jdk17" && expect_made "$jsa" "$jdk17" "JAVA_HOME=JDK 17 makes a CDS archive"
[ ! -e "$aot" ] || fail "JDK 17 made an AOT cache"
(cd "$work" && JAVA_HOME="$jdk17" JAVA_OPTS=-Xlog:class+load "$app/pgshift" --version) >"$work/classes" 2>&1
grep -q 'shared objects file (top)' "$work/classes" && ok "JDK 17 loads classes from the archive" \
  || fail "JDK 17 does not use the archive"

run "JDK 25, first run" JAVA_HOME="$jdk25" && expect_made "$aot" "$jdk25" "JAVA_HOME=JDK 25 makes an AOT cache"
run "JDK 25, AOTMode=on" JAVA_HOME="$jdk25" JAVA_OPTS=-XX:AOTMode=on && ok "JDK 25 can use the AOT cache (-XX:AOTMode=on)"

before17="$(ident "$jsa")" before25="$(ident "$aot")"
for i in 1 2; do
  run "switch to 17 ($i)" JAVA_HOME="$jdk17"
  run "switch to 25 ($i)" JAVA_HOME="$jdk25"
done
[ "$(ident "$jsa") $(ident "$aot")" = "$before17 $before25" ] && expect_made "$jsa" "$jdk17" "switching: the CDS archive kept" \
  && expect_made "$aot" "$jdk25" "switching: the AOT cache kept" \
  && ok "switching 17 <-> 25 twice: quiet, each keeps its own cache" || fail "switching remade a cache"

# JAVA_HOME comes before the PATH; without JAVA_HOME, the PATH's java.
mkdir -p "$work/path25"
ln -s "$jdk25/bin/java" "$work/path25/java"
before="$(ident "$aot")"
run "JAVA_HOME=17, PATH with 25 first" JAVA_HOME="$jdk17" PATH="$work/path25:$PATH" && [ "$(ident "$aot")" = "$before" ] \
  && [[ "$(made_by "$jsa")" == *" $jdk17/bin/java" ]] && ok "JAVA_HOME wins over the PATH"
run "no JAVA_HOME, PATH with 25 first" -u JAVA_HOME PATH="$work/path25:$PATH" && [ "$(ident "$aot")" = "$before" ] \
  && ok "without JAVA_HOME the PATH's java runs (its AOT cache, unchanged)"

# Another java at the same path (an update): the stamp no longer matches, a new cache is made.
printf '25.0.0+1 %s\nmade\n' "$jdk25/bin/java" >"$aot.java"
before="$(ident "$aot")"
run "JDK 25 after an update" JAVA_HOME="$jdk25" && expect_made "$aot" "$jdk25" "another java version: the AOT cache is made again" \
  && { [ "$(ident "$aot")" != "$before" ] || fail "the AOT cache was not remade"; }
printf '17.0.1+1 %s\nmade\n' "$jdk17/bin/java" >"$jsa.java"
before="$(ident "$jsa")"
run "JDK 17 after an update" JAVA_HOME="$jdk17" && expect_made "$jsa" "$jdk17" "another java version: the CDS archive is made again" \
  && { [ "$(ident "$jsa")" != "$before" ] || fail "the CDS archive was not remade"; }

# A newer jar makes a new cache.
touch "$app/target/pgshift.jar"
before="$(ident "$aot")"
run "JDK 25, newer jar" JAVA_HOME="$jdk25" && [ "$(ident "$aot")" != "$before" ] && expect_made "$aot" "$jdk25" "a newer jar: the AOT cache is made again"

# An emptied cache file is made again; a damaged one is skipped quietly.
: >"$aot"
run "JDK 25, empty cache" JAVA_HOME="$jdk25" && expect_made "$aot" "$jdk25" "an empty AOT cache file is made again"
: >"$jsa"
run "JDK 17, empty archive" JAVA_HOME="$jdk17" && expect_made "$jsa" "$jdk17" "an empty CDS archive is made again"
head -c 2000000 /dev/urandom >"$aot"
run "JDK 25, damaged cache" JAVA_HOME="$jdk25" && ok "a damaged AOT cache: pgshift runs, nothing printed"
head -c 2000000 /dev/urandom >"$jsa"
run "JDK 17, damaged archive" JAVA_HOME="$jdk17" && ok "a damaged CDS archive: pgshift runs, nothing printed"
head -c 64 /dev/zero >"$aot" # the start of a real cache, cut short
run "JDK 25, truncated cache" JAVA_HOME="$jdk25" && ok "a truncated AOT cache: pgshift runs, nothing printed"

# A training run that fails: pgshift runs without a cache, and the training is not tried again
# for the same jar and java. The java here is a JDK 25 (release file copied) that fails to train.
fake="$work/jdk25-notrain"
mkdir -p "$fake/bin"
cp "$jdk25/release" "$fake/release"
cat >"$fake/bin/java" <<EOF
#!/bin/sh
case "\$*" in *AOTCacheOutput*) echo train >>"$work/trainings"; exit 1 ;; esac
exec "$jdk25/bin/java" "\$@"
EOF
chmod +x "$fake/bin/java"
run "training fails (1)" JAVA_HOME="$fake" && run "training fails (2)" JAVA_HOME="$fake" \
  && [ "$(outcome "$aot")" = "training failed" ] && [ ! -e "$aot" ] && [ "$(cat "$work/trainings" 2>/dev/null | wc -l)" = 1 ] \
  && ok "a failed training run: pgshift runs without a cache, quietly, and trains once" \
  || fail "failed training: stamp $(stamp "$aot"), trainings: $(cat "$work/trainings" 2>/dev/null | wc -l)"

# A java without a release file is asked its version once; later starts take it from target/.
bare="$work/jdk17-bare"
mkdir -p "$bare/bin"
cat >"$bare/bin/java" <<EOF
#!/bin/sh
[ "\$1" = -version ] && echo asked >>"$work/asked"
exec "$jdk17/bin/java" "\$@"
EOF
chmod +x "$bare/bin/java"
run "no release file (1)" JAVA_HOME="$bare" && run "no release file (2)" JAVA_HOME="$bare" \
  && [ "$(cat "$work/asked" 2>/dev/null | wc -l)" = 1 ] && expect_made "$jsa" "$bare" "no release file: java -version asked once" \
  || fail "no release file: asked $(cat "$work/asked" 2>/dev/null | wc -l) times"

# A JAVA_HOME without bin/java is an error that says so, not another java.
rc=0
(cd "$work" && JAVA_HOME="$work/nowhere" "$app/pgshift" --version) >"$work/out" 2>"$work/err" || rc=$?
[ "$rc" = 3 ] && grep -q 'JAVA_HOME' "$work/err" && [ ! -s "$work/out" ] \
  && ok "JAVA_HOME without bin/java: exit 3, $(cat "$work/err")" || fail "bad JAVA_HOME: exit $rc, $(cat "$work/err")"

# An older java is refused with a message, before any JVM starts.
old="$work/jdk11"
mkdir -p "$old/bin"
printf 'JAVA_VERSION="11.0.22"\nJAVA_RUNTIME_VERSION="11.0.22+7"\n' >"$old/release"
printf '#!/bin/sh\necho started >>"%s/started"\n' "$work" >"$old/bin/java"
chmod +x "$old/bin/java"
rc=0
(cd "$work" && JAVA_HOME="$old" "$app/pgshift" --version) >"$work/out" 2>"$work/err" || rc=$?
[ "$rc" = 3 ] && grep -q 'Java 17 or newer' "$work/err" && [ ! -e "$work/started" ] \
  && ok "Java 11: exit 3, $(cat "$work/err")" || fail "Java 11: exit $rc, $(cat "$work/err")"

if [ "$failures" = 0 ]; then echo "java-switch: all passed"; else echo "java-switch: $failures failed" >&2; exit 1; fi
