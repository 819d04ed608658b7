// Socket buffers pinned in every lab container: the host's autotuned buffers (up to 32 MiB) can swallow a
// whole test file and hide the very timeout the labs reproduce, and they differ from machine to machine.
export const PINNED_SOCKET_BUFFERS = '4096 65536 131072';

// Ephemeral ports from 40000: the client's side requests use fixed ports below (PROBE_PORTS in throttle.ts),
// which its throttle leaves unshaped; the download must never get one of them.
// Any user may listen on a low port in the container's own network namespace (a lab's Nginx, as www-data, on 80):
// Docker sets this by itself, Podman does not.
export const PORT_SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_local_port_range': '40000 60999',
  'net.ipv4.ip_unprivileged_port_start': '0',
};

export const LAB_SYSCTLS: Record<string, string> = {
  'net.ipv4.tcp_rmem': PINNED_SOCKET_BUFFERS,
  'net.ipv4.tcp_wmem': PINNED_SOCKET_BUFFERS,
  ...PORT_SYSCTLS,
};
