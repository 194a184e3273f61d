# mariadb.sh — a throw-away MariaDB server for a test script. Source it, then:
#
#   source tests/support/mariadb.sh
#   zm_mariadb_start || exit 1     # prints why and returns 1 if no server could be started
#   mariadb -e 'select 1'          # (or zm_mariadb -e ..., the same with explicit options)
#
# zm_mariadb_start runs mariadb-install-db in a fresh temporary folder (root
# with no password, normal authentication, no test database), starts mariadbd
# on a free port listening on 127.0.0.1 only (its socket and pid file in that
# folder, no name resolution, durability off: the data is thrown away) and
# waits until it accepts connections. It exports:
#
#   MYSQL_HOST=127.0.0.1 MYSQL_TCP_PORT=<port> MYSQL_UNIX_PORT=<socket>
#   ZM_MARIADB_URL=mysql://root@127.0.0.1:<port>   (append /<database>)
#   ZM_MARIADB_DIR=<the temporary folder>
#   ZM_MARIADB_CNF=<a client option file: user root, host, port, utf8mb4>
#
# The client tools read MYSQL_HOST/MYSQL_TCP_PORT, so `mariadb -u root` works;
# zm_mariadb passes --defaults-file=$ZM_MARIADB_CNF, so nothing of the user's
# ~/.my.cnf can interfere. zm_mariadb_stop stops the server and removes the
# folder; zm_mariadb_start registers it on EXIT (keeping an EXIT trap set
# before), INT and TERM, and a detached watchdog does the same if the shell
# dies without running its traps (SIGKILL, a CTest timeout), so no server
# outlives its test.
#
# mariadbd refuses to run as root: as root the server runs as the system user
# zmc-test (created with useradd if missing, else `nobody`) through runuser.
# A server that cannot be started is an error for the caller to report as a
# failure, never a reason to skip.

source "$(dirname "${BASH_SOURCE[0]}")/port.sh"

# Find mariadbd and mariadb-install-db; sets ZM_MARIADB_D and ZM_MARIADB_INSTALL.
zm_mariadb_find_bin() {
  local d
  ZM_MARIADB_D= ZM_MARIADB_INSTALL=
  for d in "$(command -v mariadbd 2>/dev/null)" /usr/sbin/mariadbd /usr/libexec/mariadbd /usr/sbin/mysqld; do
    if [[ -n $d && -x $d ]]; then ZM_MARIADB_D=$d; break; fi
  done
  ZM_MARIADB_INSTALL=$(command -v mariadb-install-db 2>/dev/null || command -v mysql_install_db 2>/dev/null)
  if [[ -z $ZM_MARIADB_D || -z $ZM_MARIADB_INSTALL ]] || ! command -v mariadb >/dev/null 2>&1; then
    echo "mariadb.sh: mariadbd, mariadb-install-db or mariadb not found; install mariadb-server mariadb-client" >&2
    return 1
  fi
}

# The user the server runs as (root may not run it); sets ZM_MARIADB_OS_USER.
zm_mariadb_pick_user() {
  ZM_MARIADB_OS_USER=
  [[ $(id -u) != 0 ]] && return 0
  if ! id zmc-test >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin zmc-test \
      >/dev/null 2>&1 || true
  fi
  if id zmc-test >/dev/null 2>&1; then ZM_MARIADB_OS_USER=zmc-test; else ZM_MARIADB_OS_USER=nobody; fi
}

zm_mariadb_as_user() {
  if [[ -n $ZM_MARIADB_OS_USER ]]; then runuser -u "$ZM_MARIADB_OS_USER" -- "$@"; else "$@"; fi
}


# No fsync at all (the data is thrown away): DDL is ~7x faster, install-db 3x.
ZM_MARIADB_FAST="--innodb-flush-method=nosync --skip-sync-frm"

# The client with this server's options only.
zm_mariadb() { mariadb --defaults-file="$ZM_MARIADB_CNF" "$@"; }

zm_mariadb_start() {
  local attempt port dir i pid
  zm_mariadb_find_bin || return 1
  zm_mariadb_pick_user
  ZM_MARIADB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zmc-mariadb.XXXXXX") || return 1
  dir=$ZM_MARIADB_DIR
  chmod 755 "$dir"
  [[ -n $ZM_MARIADB_OS_USER ]] && chown "$ZM_MARIADB_OS_USER" "$dir"
  if ! zm_mariadb_as_user test -w "$dir"; then
    echo "mariadb.sh: $dir is not writable by ${ZM_MARIADB_OS_USER:-$(id -un)} (a parent folder closed to it?)" >&2
    rm -rf "$dir"
    return 1
  fi
  zm_mariadb_register_cleanup
  # --no-defaults everywhere: /etc/mysql/my.cnf must not move the datadir or the socket.
  if ! zm_mariadb_as_user "$ZM_MARIADB_INSTALL" --no-defaults --datadir="$dir/data" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve $ZM_MARIADB_FAST \
    >"$dir/install.log" 2>&1; then
    echo "mariadb.sh: mariadb-install-db failed (as ${ZM_MARIADB_OS_USER:-$(id -un)}):" >&2
    cat "$dir/install.log" >&2
    return 1
  fi
  # temporary tables in a folder of the server's own: in the shared /tmp another
  # process may remove them mid-query (seen once in CI: "Error on delete of
  # '/tmp/#sql-temptable-...'")
  mkdir -p "$dir/tmp"
  [[ -n $ZM_MARIADB_OS_USER ]] && chown "$ZM_MARIADB_OS_USER" "$dir/tmp"
  for attempt in 1 2 3 4 5; do
    port=$(zm_free_port) || break
    : >"$dir/server.log"
    [[ -n $ZM_MARIADB_OS_USER ]] && chown "$ZM_MARIADB_OS_USER" "$dir/server.log"
    zm_mariadb_as_user "$ZM_MARIADB_D" --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
      --pid-file="$dir/mariadbd.pid" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --tmpdir="$dir/tmp" \
      --log-error="$dir/server.log" $ZM_MARIADB_FAST --innodb-flush-log-at-trx-commit=0 \
      --innodb-doublewrite=0 --innodb-buffer-pool-size=32M \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      </dev/null >/dev/null 2>&1 &
    ZM_MARIADB_PID=$!
    for i in $(seq 1 300); do
      if mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root \
        --connect-timeout=2 ping >/dev/null 2>&1; then
        cat >"$dir/client.cnf" <<EOF
[client]
user=root
host=127.0.0.1
port=$port
protocol=tcp
default-character-set=utf8mb4
EOF
        export MYSQL_HOST=127.0.0.1 MYSQL_TCP_PORT=$port MYSQL_UNIX_PORT=$dir/sock
        export ZM_MARIADB_URL="mysql://root@127.0.0.1:$port"
        export ZM_MARIADB_CNF=$dir/client.cnf ZM_MARIADB_DIR=$dir ZM_MARIADB_PORT=$port
        return 0
      fi
      kill -0 "$ZM_MARIADB_PID" 2>/dev/null || break
      sleep 0.1
    done
    pid=$(zm_mariadb_server_pid "$dir") && kill -9 "$pid" 2>/dev/null
    kill -9 "$ZM_MARIADB_PID" 2>/dev/null || true
    wait "$ZM_MARIADB_PID" 2>/dev/null || true
    ZM_MARIADB_PID=
    # Another process may have taken the port meanwhile: try another one.
    grep -q "Address already in use\|Can't start server: Bind" "$dir/server.log" 2>/dev/null || break
  done
  echo "mariadb.sh: the MariaDB server did not start:" >&2
  cat "$dir/server.log" >&2 2>/dev/null
  return 1
}

# The server's pid from its pid file, if that process still is mariadbd.
zm_mariadb_server_pid() {
  local pid
  pid=$(cat "$1/mariadbd.pid" 2>/dev/null) || return 1
  [[ -n $pid ]] && grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

zm_mariadb_stop() {
  local pid
  [[ -n ${ZM_MARIADB_DIR:-} && -d $ZM_MARIADB_DIR ]] || return 0
  # The data is thrown away: no clean shutdown, but the server must be gone
  # before its folder is removed. As root $! is runuser's pid, not the server's.
  if pid=$(zm_mariadb_server_pid "$ZM_MARIADB_DIR"); then
    kill -9 "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  if [[ -n ${ZM_MARIADB_PID:-} ]]; then
    kill -9 "$ZM_MARIADB_PID" 2>/dev/null || true
    wait "$ZM_MARIADB_PID" 2>/dev/null || true
    ZM_MARIADB_PID=
  fi
  rm -rf "$ZM_MARIADB_DIR"
  ZM_MARIADB_DIR=
}

# zm_mariadb_stop on EXIT (after any EXIT trap already set), INT and TERM,
# plus a detached watchdog for deaths that run no trap.
zm_mariadb_register_cleanup() {
  local prev
  prev=$(trap -p EXIT)
  prev=${prev#trap -- \'}
  prev=${prev%\' EXIT}
  prev=${prev//\'\\\'\'/\'}
  # shellcheck disable=SC2064
  trap "zm_mariadb_stop; ${prev:-:}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local shell_pid=$$ dir=$ZM_MARIADB_DIR
  # Double fork and setsid: not a child of the test, so not killed with it.
  # The pid file names the server; it is only killed if it still is mariadbd.
  (
    setsid bash -c '
      while kill -0 "$1" 2>/dev/null; do sleep 1; done
      [[ -d $2 ]] || exit 0
      pid=$(cat "$2/mariadbd.pid" 2>/dev/null)
      if [[ -n $pid ]] && grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null; then
        kill -9 "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      fi
      rm -rf "$2"' zm-mariadb-watchdog "$shell_pid" "$dir" </dev/null >/dev/null 2>&1 &
  )
}
