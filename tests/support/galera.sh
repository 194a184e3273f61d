# galera.sh — a throw-away MariaDB Galera cluster for a test script. Source
# it, then:
#
#   source tests/support/galera.sh
#   zm_galera_start 3 || exit 1    # prints why and returns 1 if the cluster did not form
#   mariadb --defaults-file="${ZM_GALERA_CNF[1]}" -e 'select 1'
#
# zm_galera_start N initialises N data folders (mariadb-install-db, as
# mariadb.sh does) in one temporary folder and starts N mariadbd with the
# wsrep provider of Debian's galera-4 (/usr/lib/galera/libgalera_smm.so),
# each on free loopback ports: its SQL port, its group port, IST and SST
# ports. The first node bootstraps the cluster (--wsrep-new-cluster); the
# others join it one after another and get their state by rsync (SST).
# It returns when every node says it is Synced in a cluster of N. Exported:
#
#   ZM_GALERA_N=N
#   ZM_GALERA_URL[i]=mysql://root@127.0.0.1:<port of node i>   (i = 1..N)
#   ZM_GALERA_CNF[i]=<a client option file for node i>
#   ZM_GALERA_DIR=<the temporary folder>
#
# zm_galera_stop kills the nodes and removes the folder; zm_galera_start
# registers it on EXIT (after an EXIT trap set before), INT and TERM, and a
# detached watchdog does the same if the shell dies without its traps. As
# root the servers run as the system user of mariadb.sh (zmc-test).
source "$(dirname "${BASH_SOURCE[0]}")/mariadb.sh"

ZM_GALERA_PROVIDER=${ZM_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}

# The status variable `name` of node i.
zm_galera_status() {
  mariadb --defaults-file="${ZM_GALERA_CNF[$1]}" -N -B -e "SHOW STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

zm_galera_node_start() {
  local i=$1 extra=${2:-} dir=$ZM_GALERA_DIR/n$1
  : >"$dir/server.log"
  [[ -n $ZM_MARIADB_OS_USER ]] && chown "$ZM_MARIADB_OS_USER" "$dir/server.log"
  zm_mariadb_as_user "$ZM_MARIADB_D" --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
    --pid-file="$dir/mariadbd.pid" --port="${ZM_GALERA_PORT[$i]}" --bind-address=127.0.0.1 --skip-name-resolve \
    --tmpdir="$dir/tmp" --log-error="$dir/server.log" --innodb-flush-log-at-trx-commit=0 \
    --innodb-buffer-pool-size=32M --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$ZM_GALERA_PROVIDER" --wsrep-cluster-name=zmc-test \
    --wsrep-cluster-address="$ZM_GALERA_ADDRESS" --wsrep-node-name="node$i" \
    --wsrep-node-address="127.0.0.1:${ZM_GALERA_GROUP[$i]}" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${ZM_GALERA_GROUP[$i]};ist.recv_addr=127.0.0.1:${ZM_GALERA_IST[$i]}" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${ZM_GALERA_SST[$i]}" \
    $extra </dev/null >/dev/null 2>&1 &
  ZM_GALERA_PID[$i]=$!
}

# Wait until node i is Synced (up to 60 s).
zm_galera_wait_synced() {
  local i=$1 k
  for k in $(seq 1 600); do
    [[ $(zm_galera_status "$i" wsrep_local_state_comment) == Synced ]] && return 0
    kill -0 "${ZM_GALERA_PID[$i]}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# A free port none of the nodes took yet.
zm_galera_port() {
  local port taken k
  for k in $(seq 1 20); do
    port=$(zm_free_port) || return 1
    taken=" ${ZM_GALERA_PORT[*]:-} ${ZM_GALERA_GROUP[*]:-} ${ZM_GALERA_IST[*]:-} ${ZM_GALERA_SST[*]:-} "
    [[ $taken == *" $port "* ]] || { echo "$port"; return 0; }
  done
  return 1
}

# One attempt at forming the cluster in $ZM_GALERA_DIR: fresh data folders,
# fresh ports. 1 when a node did not reach Synced (a port taken meanwhile),
# 2 when a data folder could not be made.
zm_galera_form() {
  local n=$1 i dir
  ZM_GALERA_PORT=() ZM_GALERA_GROUP=() ZM_GALERA_IST=() ZM_GALERA_SST=()
  ZM_GALERA_ADDRESS="gcomm://"
  for i in $(seq 1 "$n"); do
    dir=$ZM_GALERA_DIR/n$i
    rm -rf "$dir"
    mkdir -p "$dir/tmp"
    [[ -n $ZM_MARIADB_OS_USER ]] && chown -R "$ZM_MARIADB_OS_USER" "$dir"
    ZM_GALERA_PORT[$i]=$(zm_galera_port) && ZM_GALERA_GROUP[$i]=$(zm_galera_port) &&
      ZM_GALERA_IST[$i]=$(zm_galera_port) && ZM_GALERA_SST[$i]=$(zm_galera_port) || return 1
    [[ $i == 1 ]] || ZM_GALERA_ADDRESS+=","
    ZM_GALERA_ADDRESS+="127.0.0.1:${ZM_GALERA_GROUP[$i]}"
    if ! zm_mariadb_as_user "$ZM_MARIADB_INSTALL" --no-defaults --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1; then
      echo "galera.sh: mariadb-install-db failed for node $i:" >&2
      cat "$dir/install.log" >&2
      return 2
    fi
    printf '[client]\nuser=root\nhost=127.0.0.1\nport=%s\nprotocol=tcp\ndefault-character-set=utf8mb4\n' \
      "${ZM_GALERA_PORT[$i]}" >"$dir/client.cnf"
    ZM_GALERA_CNF[$i]=$dir/client.cnf
    ZM_GALERA_URL[$i]="mysql://root@127.0.0.1:${ZM_GALERA_PORT[$i]}"
  done
  for i in $(seq 1 "$n"); do
    zm_galera_node_start "$i" "$([[ $i == 1 ]] && echo --wsrep-new-cluster)"
    if ! zm_galera_wait_synced "$i"; then
      echo "galera.sh: node $i did not reach Synced:" >&2
      tail -15 "$ZM_GALERA_DIR/n$i/server.log" >&2
      return 1
    fi
  done
  [[ $(zm_galera_status 1 wsrep_cluster_size) == "$n" ]] || {
    echo "galera.sh: the cluster has $(zm_galera_status 1 wsrep_cluster_size) nodes, not $n" >&2
    return 1
  }
}

# Kill the nodes (of a failed attempt, or at the end).
zm_galera_kill_nodes() {
  local i pid
  for i in $(seq 1 "${ZM_GALERA_N:-0}"); do
    if pid=$(zm_mariadb_server_pid "$ZM_GALERA_DIR/n$i"); then
      kill -9 "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    fi
    [[ -n ${ZM_GALERA_PID[$i]:-} ]] && kill -9 "${ZM_GALERA_PID[$i]}" 2>/dev/null && wait "${ZM_GALERA_PID[$i]}" 2>/dev/null || true
  done
  pkill -9 -f "rsync --daemon.*$ZM_GALERA_DIR" 2>/dev/null || true
}

zm_galera_start() {
  local n=${1:-3} attempt rc
  zm_mariadb_find_bin || return 1
  if [[ ! -f $ZM_GALERA_PROVIDER ]] || ! command -v rsync >/dev/null; then
    echo "galera.sh: $ZM_GALERA_PROVIDER or rsync not found; install galera-4 and rsync" >&2
    return 1
  fi
  zm_mariadb_pick_user
  if ! ZM_GALERA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zmc-galera.XXXXXX"); then
    echo "galera.sh: cannot make a temporary folder in ${TMPDIR:-/tmp}" >&2
    return 1
  fi
  chmod 755 "$ZM_GALERA_DIR"
  if ! zm_mariadb_as_user test -x "$ZM_GALERA_DIR"; then
    echo "galera.sh: $ZM_GALERA_DIR is not reachable by ${ZM_MARIADB_OS_USER:-$(id -un)} (a parent folder closed to it?)" >&2
    rm -rf "$ZM_GALERA_DIR"
    return 1
  fi
  ZM_GALERA_N=$n
  declare -ga ZM_GALERA_PORT ZM_GALERA_GROUP ZM_GALERA_IST ZM_GALERA_SST ZM_GALERA_PID ZM_GALERA_URL ZM_GALERA_CNF
  zm_galera_register_cleanup
  for attempt in 1 2 3 4 5; do
    zm_galera_form "$n"
    rc=$?
    if [[ $rc == 0 ]]; then
      export ZM_GALERA_N ZM_GALERA_DIR
      return 0
    fi
    zm_galera_kill_nodes
    [[ $rc == 2 ]] && return 1
    echo "galera.sh: attempt $attempt to form the cluster failed; trying again on other ports" >&2
  done
  return 1
}

zm_galera_stop() {
  [[ -n ${ZM_GALERA_DIR:-} && -d $ZM_GALERA_DIR ]] || return 0
  zm_galera_kill_nodes
  rm -rf "$ZM_GALERA_DIR"
  ZM_GALERA_DIR=
}

zm_galera_register_cleanup() {
  local prev
  prev=$(trap -p EXIT)
  prev=${prev#trap -- \'}
  prev=${prev%\' EXIT}
  prev=${prev//\'\\\'\'/\'}
  # shellcheck disable=SC2064
  trap "zm_galera_stop; ${prev:-:}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local shell_pid=$$ dir=$ZM_GALERA_DIR
  (
    setsid bash -c '
      while kill -0 "$1" 2>/dev/null; do sleep 1; done
      [[ -d $2 ]] || exit 0
      for f in "$2"/n*/mariadbd.pid; do
        pid=$(cat "$f" 2>/dev/null)
        if [[ -n $pid ]] && grep -q mariadbd "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid"; fi
      done
      pkill -9 -f "rsync --daemon.*$2" 2>/dev/null
      sleep 0.5
      rm -rf "$2"' zm-galera-watchdog "$shell_pid" "$dir" </dev/null >/dev/null 2>&1 &
  )
}
