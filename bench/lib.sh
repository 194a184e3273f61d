# bench/lib.sh — what the benchmark scripts that run peers share (db_push.sh,
# migrate.sh): messages, Debian installs, the work folder, timing (hyperfine,
# else a bash loop), peak RSS, formatting, checked runs and a throw-away
# PostgreSQL server, and the options both take. Source it after setting
# BENCH (the script's name, for messages), INSTALL (1: may apt-get as root),
# KEEP, PEER_TIMEOUT and ROOT.

log() { echo ">> $*" >&2; }
die() { echo "$BENCH: $*" >&2; exit 1; }

# The script's header comment, as its help.
bench_usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

# bench_option ARGS...: the option at the front of ARGS when it is one both
# scripts take (--models, --runs, --peer-runs, --seed, --dialects,
# --no-peers, --keep, --no-install, -h); sets SHIFTS to the words it took.
# Any other argument is a usage error.
bench_option() {
  SHIFTS=2
  case "$1" in
    --models) MODELS="$2" ;;
    --runs) RUNS="$2" ;;
    --peer-runs) PEER_RUNS="$2" ;;
    --seed) SEED="$2" ;;
    --dialects) DIALECTS="$2" ;;
    --no-peers) PEERS=0; SHIFTS=1 ;;
    --keep) KEEP=1; SHIFTS=1 ;;
    --no-install) INSTALL=0; SHIFTS=1 ;;
    -h|--help) bench_usage; exit 0 ;;
    *) echo "$BENCH.sh: unknown argument '$1'" >&2; bench_usage >&2; exit 2 ;;
  esac
}

# bench_check_options [NAME...]: the dialects are known and each variable
# NAME (MODELS, RUNS) holds a positive number.
bench_check_options() {
  local d n
  for d in $DIALECTS; do
    case "$d" in sqlite|postgresql) ;; *) echo "$BENCH.sh: unknown dialect '$d' (sqlite, postgresql)" >&2; exit 2 ;; esac
  done
  for n in "$@"; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || { echo "$BENCH.sh: --$(echo "$n" | tr 'A-Z_' 'a-z-') needs a positive number" >&2; exit 2; }
  done
}

apt_install() { # package
  [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  log "apt-get install -y $1"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1; }
}

# hyperfine and /usr/bin/time, installed when missing; sets HAVE_HYPERFINE, HAVE_TIME.
bench_timing_tools() {
  command -v hyperfine >/dev/null || apt_install hyperfine || true
  [ -x /usr/bin/time ] || apt_install time || true
  HAVE_HYPERFINE=0; command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
  HAVE_TIME=0; [ -x /usr/bin/time ] && HAVE_TIME=1
  [ "$HAVE_HYPERFINE" = 1 ] || log "hyperfine not available: timing with a bash loop (date +%s%N)"
  [ "$HAVE_TIME" = 1 ] || log "/usr/bin/time not available: no peak RSS"
}

# A fresh work folder in $WORK (mktemp's XXXXXX template), removed at exit unless KEEP=1.
bench_workdir() {
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/zmc-$BENCH-bench.XXXXXX")"
  chmod 755 "$WORK"
  trap 'if [ "$KEEP" = 1 ]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi' EXIT
}

once_ns() { # cmd...: wall time of one run in ns
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
  echo $((t1 - t0))
}

# Best-of-RUNS wall time in ns after one warm-up run, in the current folder;
# PREPARE (a script, or "") runs before every run, outside the timing. Prints "best mean".
best_of() { # runs prepare cmd...
  local runs="$1" prep="$2"; shift 2
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    local csv="$WORK/hyperfine.csv" args=()
    rm -f "$csv"
    [ -z "$prep" ] || args=(--prepare "bash $prep")
    hyperfine -N --warmup 1 --runs "$runs" "${args[@]}" --style none --export-csv "$csv" \
      -- "$(printf '%q ' "$@")" >/dev/null 2>"$WORK/hyperfine.err" || true
    # columns: command,mean,stddev,median,user,system,min,max (seconds)
    [ -s "$csv" ] && awk -F, 'NR == 2 { printf "%.0f %.0f\n", $7 * 1e9, $2 * 1e9 }' "$csv" && return 0
    log "hyperfine failed on: $*"; head -5 "$WORK/hyperfine.err" >&2; echo "0 0"
  else
    local best=0 sum=0 t i
    [ -z "$prep" ] || bash "$prep" >/dev/null 2>&1
    once_ns "$@" >/dev/null
    for ((i = 0; i < runs; i++)); do
      [ -z "$prep" ] || bash "$prep" >/dev/null 2>&1
      t=$(once_ns "$@"); sum=$((sum + t))
      if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best $((sum / runs))"
  fi
}

peak_rss_kb() { # prepare cmd...: peak RSS in KiB of one run, or n/a
  local prep="$1"; shift
  [ -z "$prep" ] || bash "$prep" >/dev/null 2>&1
  if [ "$HAVE_TIME" = 1 ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
  else
    echo n/a
  fi
}

ms() { awk -v ns="$1" 'BEGIN { if (ns >= 1e9) printf "%.0f", ns / 1e6; else printf "%.1f", ns / 1e6 }'; }
mib() { awk -v kb="$1" 'BEGIN { if (kb == "n/a" || kb == "") print "n/a"; else printf "%.0f", kb / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.0f", a / b; else print "n/a" }'; }

# One run, its output (stdout + stderr, colours removed) to $out; returns its status.
run_to() { # out cmd...
  local out="$1" rc=0; shift
  timeout -k 10 "$PEER_TIMEOUT" "$@" >"$out.raw" 2>&1 || rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "$out.raw" > "$out"
  return "$rc"
}
# One run that must succeed.
run_checked() { # out what cmd...
  local out="$1" what="$2"; shift 2
  if ! run_to "$out" "$@"; then
    echo "$BENCH: $what failed:" >&2; grep -v '^\s*$' "$out" | tail -15 >&2; exit 1
  fi
}
# The last meaningful lines of a peer's output, on one line (for Notes).
tail_of() { grep -v '^\s*$\|WARNING\|^- url\|will NOT be used\|We recommend\|Prisma config\|Loaded Prisma' "$1" | tail -"${2:-3}" | tr '\n' ' '; }

# The commit measured, in REV (and whether zmc's sources differ from it).
bench_rev() {
  REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no -- frontend runtime cli include backends 2>/dev/null)" ]; then
    REV="$REV + uncommitted changes in frontend/runtime/cli/include/backends"
  fi
}

# A throw-away server from tests/support/pg.sh; sets PG_BIN and PG_VERSION.
PG_VERSION="" PG_BIN=""
pg_start() {
  [ -z "$PG_BIN" ] || return 0
  # shellcheck source=../tests/support/pg.sh
  source "$ROOT/tests/support/pg.sh"
  if ! zm_pg_find_bin 2>/dev/null; then apt_install postgresql || true; fi
  zm_pg_start || die "no PostgreSQL server (install the postgresql package)"
  PG_BIN=$(dirname "$(readlink -f "$ZM_PG_BIN/pg_ctl")")   # pg.sh may find a symlink in PATH
  PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
  log "PostgreSQL $PG_VERSION on $PGHOST:$PGPORT ($ZM_PG_DIR)"
}
