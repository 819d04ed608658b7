#!/bin/sh
# Shapes everything this container receives: ingress on eth0 is redirected to ifb0, where tbf holds the rate.
# Usage: throttle.sh RATE_BITS_PER_S BURST_BYTES [UNSHAPED_PORT_BASE]
# UNSHAPED_PORT_BASE: replies to the 16 local ports from this one (a multiple of 16) pass unshaped: the client's
# side requests, which stand for other users on other links.
# Exit 3: the kernel (or the engine) refused a step (no ifb device, no ingress qdisc, u32 filter, mirred action or
# tbf, or no NET_ADMIN): the run may pace the reader instead. Any other failure is a bug.
set -eu
rate_bits="$1"
burst_bytes="$2"
unshaped_base="${3:-}"
step() {
  what="$1"
  shift
  if ! out=$("$@" 2>&1); then
    echo "cannot $what: $out" >&2
    exit 3
  fi
}
step "add an ifb device (ifb)" ip link add ifb0 type ifb
step "bring the ifb device up" ip link set ifb0 up
step "add an ingress qdisc (sch_ingress)" tc qdisc add dev eth0 handle ffff: ingress
if [ -n "$unshaped_base" ]; then
  step "add a u32 filter (cls_u32)" tc filter add dev eth0 parent ffff: protocol ip prio 1 u32 match ip dport "$unshaped_base" 0xfff0 flowid :1
fi
step "redirect ingress to the ifb device (cls_u32, act_mirred)" tc filter add dev eth0 parent ffff: protocol ip prio 2 u32 match u32 0 0 action mirred egress redirect dev ifb0
step "add a tbf qdisc (sch_tbf)" tc qdisc add dev ifb0 root tbf rate "${rate_bits}bit" burst "$burst_bytes" latency 100ms
