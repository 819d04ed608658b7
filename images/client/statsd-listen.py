"""A stand-in statsd agent: prints every metric line Gunicorn sends to UDP PORT, one per line, as it comes.

It also accepts (and closes) TCP connections on PORT, so the app can wait until the agent is up before Gunicorn
sends its first metric: Gunicorn's socket is a connected UDP socket, and one metric sent while nothing listens
makes the kernel queue an ICMP error that the next send raises, which loses that next metric.
Usage: statsd-listen.py PORT
"""
import socket
import sys
import threading


def accept_forever(server):
    while True:
        conn, _ = server.accept()
        conn.close()


def main():
    port = int(sys.argv[1])
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", port))
    tcp.listen(16)
    threading.Thread(target=accept_forever, args=(tcp,), daemon=True).start()
    while True:
        data, _ = udp.recvfrom(65536)
        for line in data.decode("utf-8", "replace").splitlines():
            if line.strip():
                print(line.strip(), flush=True)


if __name__ == "__main__":
    main()
