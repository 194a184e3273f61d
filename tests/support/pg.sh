# pg.sh — a throw-away PostgreSQL server for a test script. Source it, then:
#
#   source tests/support/pg.sh
#   zm_pg_start || exit 1      # prints why and returns 1 if no server could be started
#   psql -d postgres -c 'select 1'
#
# zm_pg_start runs initdb in a fresh temporary folder, starts the server with
# pg_ctl on a free port listening on 127.0.0.1 only (its socket in that folder,
# trust authentication, durability off: the data is thrown away) and waits
# until it accepts connections. It exports:
#
#   PGHOST=127.0.0.1 PGPORT=<port> PGUSER=postgres PGDATABASE=postgres
#   ZM_PG_URL=postgresql://postgres@127.0.0.1:<port>   (append /<database>)
#   DATABASE_URL=$ZM_PG_URL/postgres
#   ZM_PG_DIR=<the temporary folder>  ZM_PG_BIN=<the folder of initdb/pg_ctl>
#
# so psql, pg_dump, createdb and libpq programs connect as the database
# superuser `postgres` without further options. zm_pg_stop stops the server
# and removes the folder; zm_pg_start registers it on EXIT (keeping an EXIT
# trap set before, e.g. lib.sh's) and on INT/TERM, and a detached watchdog
# does the same if the shell dies without running its traps (SIGKILL, a CTest
# timeout), so no server outlives its test.
#
# initdb and pg_ctl come from PATH, else the newest /usr/lib/postgresql/*/bin.
# PostgreSQL refuses to run as root: as root the server runs as the system user
# zmc-test (created with useradd if missing, else `nobody`) through runuser.
# A server that cannot be started is an error for the caller to report as a
# failure, never a reason to skip.

source "$(dirname "${BASH_SOURCE[0]}")/port.sh"

# Find initdb and pg_ctl; sets ZM_PG_BIN.
zm_pg_find_bin() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    ZM_PG_BIN=$(dirname "$(command -v pg_ctl)")
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
      ZM_PG_BIN=$d
      return 0
    fi
  done
  echo "pg.sh: initdb/pg_ctl not found (PATH, /usr/lib/postgresql/*/bin); install postgresql" >&2
  return 1
}

# The user the server runs as (root may not run it); sets ZM_PG_OS_USER.
zm_pg_pick_user() {
  ZM_PG_OS_USER=
  [[ $(id -u) != 0 ]] && return 0
  if ! id zmc-test >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin zmc-test \
      >/dev/null 2>&1 || true
  fi
  if id zmc-test >/dev/null 2>&1; then ZM_PG_OS_USER=zmc-test; else ZM_PG_OS_USER=nobody; fi
}

# Run a command as the server's user.
zm_pg_as_user() {
  if [[ -n $ZM_PG_OS_USER ]]; then runuser -u "$ZM_PG_OS_USER" -- "$@"; else "$@"; fi
}


# Start the server of data folder $1 (log $2, pg_ctl's output $3, extra
# server options $4) on a free loopback port, its socket in $ZM_PG_DIR and
# fsync off; another port if one was taken meanwhile. Sets ZM_PG_STARTED_PORT.
zm_pg_ctl_start() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port=$(zm_free_port) || return 1
    # -k: the socket in our folder, not /var/run/postgresql (may not exist, or be root's).
    if zm_pg_as_user "$ZM_PG_BIN/pg_ctl" -D "$1" -l "$2" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $ZM_PG_DIR -c fsync=off $4" start >"$3" 2>&1; then
      ZM_PG_STARTED_PORT=$port
      return 0
    fi
    grep -q "could not bind\|Address already in use" "$2" 2>/dev/null || return 1
  done
  return 1
}

zm_pg_start() {
  local port log
  zm_pg_find_bin || return 1
  zm_pg_pick_user
  local base
  # $TMPDIR may be closed to the server's user (root's own folder): then /tmp.
  for base in "${TMPDIR:-/tmp}" /tmp; do
    ZM_PG_DIR=$(mktemp -d "$base/zmc-pg.XXXXXX") || return 1
    chmod 755 "$ZM_PG_DIR"
    [[ -n $ZM_PG_OS_USER ]] && chown "$ZM_PG_OS_USER" "$ZM_PG_DIR"
    zm_pg_as_user test -w "$ZM_PG_DIR" && break
    rm -rf "$ZM_PG_DIR"
    ZM_PG_DIR=
  done
  if [[ -z $ZM_PG_DIR ]]; then
    echo "pg.sh: no temporary folder writable by ${ZM_PG_OS_USER:-$(id -un)} (\$TMPDIR, /tmp)" >&2
    return 1
  fi
  zm_pg_register_cleanup
  log=$ZM_PG_DIR/server.log
  if ! zm_pg_as_user "$ZM_PG_BIN/initdb" -D "$ZM_PG_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$ZM_PG_DIR/initdb.log" 2>&1; then
    echo "pg.sh: initdb failed (as ${ZM_PG_OS_USER:-$(id -un)}):" >&2
    cat "$ZM_PG_DIR/initdb.log" >&2
    return 1
  fi
  if zm_pg_ctl_start "$ZM_PG_DIR/data" "$log" "$ZM_PG_DIR/pg_ctl.log" \
    "-c synchronous_commit=off -c full_page_writes=off"; then
    port=$ZM_PG_STARTED_PORT
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    export ZM_PG_URL="postgresql://postgres@127.0.0.1:$port"
    export DATABASE_URL="$ZM_PG_URL/postgres"
    export ZM_PG_DIR ZM_PG_BIN
    ZM_PG_RUNNING=1
    return 0
  fi
  echo "pg.sh: the PostgreSQL server did not start:" >&2
  cat "$ZM_PG_DIR/pg_ctl.log" "$log" >&2 2>/dev/null
  return 1
}

# A streaming replica of the running server (pg_basebackup -R: a standby
# that replays the primary's WAL, read-only), in $ZM_PG_DIR/replica on a
# port of its own; stopped with the primary. Exports ZM_PG_REPLICA_URL
# (append /<database>) and ZM_PG_REPLICA_PORT.
zm_pg_start_replica() {
  local log=$ZM_PG_DIR/replica.log
  # beside the real pg_ctl (PATH may hold only links to initdb and pg_ctl)
  local bin
  bin=$(dirname "$(readlink -f "$ZM_PG_BIN/pg_ctl")")
  if ! zm_pg_as_user "$bin/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$ZM_PG_DIR/replica" \
    -R -X stream --no-sync >"$ZM_PG_DIR/basebackup.log" 2>&1; then
    echo "pg.sh: pg_basebackup failed:" >&2
    cat "$ZM_PG_DIR/basebackup.log" >&2
    return 1
  fi
  if zm_pg_ctl_start "$ZM_PG_DIR/replica" "$log" "$ZM_PG_DIR/pg_ctl.replica.log" "-c hot_standby=on"; then
    export ZM_PG_REPLICA_URL="postgresql://postgres@127.0.0.1:$ZM_PG_STARTED_PORT" ZM_PG_REPLICA_PORT=$ZM_PG_STARTED_PORT
    ZM_PG_REPLICA_RUNNING=1
    return 0
  fi
  echo "pg.sh: the replica did not start:" >&2
  cat "$ZM_PG_DIR/pg_ctl.replica.log" "$log" >&2 2>/dev/null
  return 1
}

zm_pg_stop() {
  [[ -n ${ZM_PG_DIR:-} && -d $ZM_PG_DIR ]] || return 0
  if [[ -n ${ZM_PG_REPLICA_RUNNING:-} ]]; then
    zm_pg_as_user "$ZM_PG_BIN/pg_ctl" -D "$ZM_PG_DIR/replica" -m immediate -w stop >/dev/null 2>&1
    ZM_PG_REPLICA_RUNNING=
  fi
  if [[ -n ${ZM_PG_RUNNING:-} ]]; then
    zm_pg_as_user "$ZM_PG_BIN/pg_ctl" -D "$ZM_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    ZM_PG_RUNNING=
  fi
  rm -rf "$ZM_PG_DIR"
  ZM_PG_DIR=
}

# zm_pg_stop on EXIT (after any EXIT trap already set), INT and TERM, plus a
# detached watchdog for deaths that run no trap.
zm_pg_register_cleanup() {
  local prev
  prev=$(trap -p EXIT)
  prev=${prev#trap -- \'}
  prev=${prev%\' EXIT}
  prev=${prev//\'\\\'\'/\'}
  # shellcheck disable=SC2064
  trap "zm_pg_stop; ${prev:-:}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # $BASHPID, not $$: in a subshell the traps are the subshell's.
  local shell_pid=$BASHPID dir=$ZM_PG_DIR bin=$ZM_PG_BIN user=$ZM_PG_OS_USER
  # Double fork and setsid: not a child of the test, so not killed with it.
  (
    setsid bash -c '
      while kill -0 "$1" 2>/dev/null && [[ -d $2 ]]; do sleep 1; done
      [[ -d $2 ]] || exit 0
      for d in "$2/replica" "$2/data"; do
        [[ -f $d/postmaster.pid ]] || continue
        if [[ -n $4 ]]; then runuser -u "$4" -- "$3/pg_ctl" -D "$d" -m immediate -w stop
        else "$3/pg_ctl" -D "$d" -m immediate -w stop; fi
      done
      rm -rf "$2"' zm-pg-watchdog "$shell_pid" "$dir" "$bin" "$user" </dev/null >/dev/null 2>&1 &
  )
}
