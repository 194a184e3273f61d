# port.sh — a free loopback TCP port for a server a test starts.
#
#   source tests/support/port.sh
#   port=$(zm_free_port) || exit 1
#
# The port is below the kernel's ephemeral range (ip_local_port_range), so
# the outgoing connections of other tests running at the same time (each
# takes a local port from that range) cannot take it between this check and
# the server's bind; and nothing listens on it yet. A race with another
# server starting is still possible: callers retry with another port.
zm_free_port() {
  local low=32768 port i
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  ((low > 12000)) || low=32768
  for i in $(seq 1 50); do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
