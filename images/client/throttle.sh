#!/bin/sh
# Shapes everything this container receives: ingress on eth0 is redirected to ifb0, where tbf holds the rate.
# Usage: throttle.sh RATE_BITS_PER_S BURST_BYTES [UNSHAPED_PORT_BASE]
# UNSHAPED_PORT_BASE: replies to the 16 local ports from this one (a multiple of 16) pass unshaped: the client's
# side requests, which stand for other users on other links.
set -eu
rate_bits="$1"
burst_bytes="$2"
unshaped_base="${3:-}"
ip link add ifb0 type ifb
ip link set ifb0 up
tc qdisc add dev eth0 handle ffff: ingress
if [ -n "$unshaped_base" ]; then
  tc filter add dev eth0 parent ffff: protocol ip prio 1 u32 match ip dport "$unshaped_base" 0xfff0 flowid :1
fi
tc filter add dev eth0 parent ffff: protocol ip prio 2 u32 match u32 0 0 action mirred egress redirect dev ifb0
tc qdisc add dev ifb0 root tbf rate "${rate_bits}bit" burst "$burst_bytes" latency 100ms
