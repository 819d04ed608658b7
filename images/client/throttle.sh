#!/bin/sh
# Shapes everything this container receives: ingress on eth0 is redirected to ifb0, where tbf holds the rate.
# Usage: throttle.sh RATE_BITS_PER_S BURST_BYTES
set -eu
rate_bits="$1"
burst_bytes="$2"
ip link add ifb0 type ifb
ip link set ifb0 up
tc qdisc add dev eth0 handle ffff: ingress
tc filter add dev eth0 parent ffff: protocol ip u32 match u32 0 0 action mirred egress redirect dev ifb0
tc qdisc add dev ifb0 root tbf rate "${rate_bits}bit" burst "$burst_bytes" latency 100ms
