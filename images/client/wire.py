"""The client's wire: a connection (TCP, or TLS with SNI), a raw HTTP/1.1 request, the response head, a chunked body.

A raw socket (not an HTTP library) so that a truncated body, a reset and a stall are each seen as what they are.
"""
import socket
import time

class MalformedBody(Exception):
    """The body stopped making sense (a chunk size that is not hex): what came before it is all there is."""


class ChunkedDecoder:
    """Decodes a chunked body incrementally; `done` once the last chunk and trailers are read."""

    def __init__(self):
        self.state = "size"
        self.line = b""
        self.remaining = 0
        self.done = False
        self.failed = None

    def feed(self, data):
        out = bytearray()
        i = 0
        while i < len(data) and not self.done:
            if self.state == "data":
                take = min(self.remaining, len(data) - i)
                out += data[i:i + take]
                i += take
                self.remaining -= take
                if self.remaining == 0:
                    self.state = "data-end"
                continue
            nl = data.find(b"\n", i)
            if nl < 0:
                self.line += data[i:]
                break
            line = (self.line + data[i:nl]).rstrip(b"\r")
            self.line = b""
            i = nl + 1
            if self.state == "size":
                size = line.split(b";")[0].strip()
                try:
                    self.remaining = int(size, 16)
                except ValueError:
                    # What came before it is kept: the caller takes `out`, then sees `failed`.
                    self.failed = f"malformed chunk size line {line[:40]!r}"
                    break
                self.state = "data" if self.remaining > 0 else "trailer"
            elif self.state == "data-end":
                self.state = "size"
            elif self.state == "trailer" and line == b"":
                self.done = True
        return bytes(out)


# Why a slow client of the capacity search ended: the search closed it (its outcome is a client-timeout: the client gave up).
STOPPED = "closed by the capacity search"


def read_head(sock, deadline, stop=None):
    buf = b""
    while b"\r\n\r\n" not in buf:
        if time.monotonic() > deadline:
            raise TimeoutError("no response headers before the deadline")
        if stop is not None and stop.is_set():
            raise TimeoutError(STOPPED)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            return None, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return (status, headers), rest


# --tls: every connection speaks TLS (a certbot site's 443), with --sni as its server name (set by client.py's main).
# The server's certificate is not verified: check stands in for it with a self-signed one made for the run.
TLS = None


def connect(host, port, timeout_s, source_port=0):
    sock = socket.create_connection((host, port), timeout=timeout_s, source_address=("", source_port))
    if TLS is None:
        return sock
    context, server_name = TLS
    return context.wrap_socket(sock, server_hostname=server_name)


def request(host, port, path, extra_headers, timeout_s, source_port=0, method="GET"):
    # A side request comes from a port of its own (source_port), which the throttle leaves unshaped: it stands
    # for another user on another link, not for the slow client.
    sock = connect(host, port, timeout_s, source_port)
    # A Host header given by the caller replaces the default one.
    named = {h.split(":", 1)[0].strip().lower() for h in extra_headers}
    lines = [f"{method} {path} HTTP/1.1"] + ([] if "host" in named else [f"Host: {host}"]) + ["Connection: close", "User-Agent: lab-client"]
    lines += extra_headers
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    return sock
