#!/usr/bin/env python3
"""The lab's client: downloads one URL over a raw socket and reports, as JSON lines, what it received and when.

Lines on stdout: {"type": "progress", ...} about ten times a second, {"type": "probe", ...} for each
side request, and one {"type": "result", ...} at the end. With --downloads N (N > 1), N downloads of the
same URL run at once, each paced on its own (--read-rate is per download), and each reports one
{"type": "download", ...} line; the result is download 0's. A raw socket (not an HTTP library) so that a
truncated body, a reset and a stall are each seen as what they are.
"""
import argparse
import hashlib
import json
import socket
import ssl
import sys
import threading
import time

import capacity
import wire
from wire import STOPPED, ChunkedDecoder, MalformedBody, connect, read_head, request


EMIT_LOCK = threading.Lock()
# --summary: one line for a person at the end, and no JSON lines meanwhile.
QUIET = False


def emit(record):
    # Downloads and side requests report from threads of their own: one whole line at a time.
    if QUIET:
        return
    line = json.dumps(record) + "\n"
    with EMIT_LOCK:
        sys.stdout.write(line)
        sys.stdout.flush()


def now_ms(start):
    return round((time.monotonic() - start) * 1000, 1)


def run_probe(args, path, after_ms, start, index):
    # A side request sent while the download runs: how long does the server make it wait?
    time.sleep(max(0.0, after_ms / 1000 - (time.monotonic() - start)))
    sent = now_ms(start)
    record = {"type": "probe", "path": path, "sentMs": sent, "status": None, "latencyMs": None, "error": None}
    try:
        source_port = args.probe_port_base + index if args.probe_port_base else 0
        sock = request(args.host, args.port, path, args.header, args.max_seconds, source_port)
        head, _ = read_head(sock, time.monotonic() + args.max_seconds)
        # Answered once the headers are in: the body (maybe a large download of its own) is not read, so the
        # side request takes no bandwidth from the download it is measured against.
        sock.close()
        record["status"] = head[0] if head else None
        record["latencyMs"] = round(now_ms(start) - sent, 1)
    except Exception as error:  # any failure is a measurement, not a crash
        record["error"] = f"{type(error).__name__}: {error}"
    emit(record)


UPLOAD_PATTERN = bytes(range(256)) * 256


def upload_body(sock, args, start, result):
    # The request body, at --upload-rate (the writer paces itself, in small writes) with a Content-Length or in
    # chunks; what was sent, its checksum and how it ended go in the result. A server that stops reading (a worker
    # killed, a proxy that answered early) ends it with an error, which is a measurement.
    digest = hashlib.sha256()
    sent = 0
    size = args.upload_bytes
    piece = max(1024, min(65536, args.upload_rate // 20)) if args.upload_rate else 65536
    paced_from = time.monotonic()
    try:
        while sent < size:
            # A crawl keeps to the rate for its seconds only, then writes the rest at full speed.
            if args.upload_rate and (not args.upload_crawl_seconds or time.monotonic() - paced_from < args.upload_crawl_seconds):
                ahead_s = sent / args.upload_rate - (time.monotonic() - paced_from)
                if ahead_s > 0:
                    time.sleep(min(ahead_s, 0.1))
                    continue
            data = UPLOAD_PATTERN[: min(piece, size - sent)]
            frame = f"{len(data):x}\r\n".encode() + data + b"\r\n" if args.upload_chunked else data
            sock.sendall(frame)
            digest.update(data)
            sent += len(data)
        if args.upload_chunked:
            sock.sendall(b"0\r\n\r\n")
    except socket.timeout:
        result["uploadError"] = "timed out: the server read nothing for a while"
    except OSError as error:
        result["uploadError"] = f"{type(error).__name__}: {error}"
    result.update(uploadSentBytes=sent, uploadSha256=digest.hexdigest(), uploadMs=now_ms(start))


def hold_idle(args, start, result):
    # Connections that send nothing (a browser's preconnect, a client that stalled): opened before the request, kept
    # open --idle-hold seconds unless the server closes them first, which is recorded (ms from the start, or None).
    socks = [connect(args.host, args.port, 5) for _ in range(args.idle_connections)]
    closed = [None] * len(socks)

    def watch(index, sock):
        sock.settimeout(0.1)
        until = time.monotonic() + args.idle_hold
        while time.monotonic() < until:
            try:
                if not sock.recv(4096):
                    closed[index] = now_ms(start)
                    break
            except socket.timeout:
                continue
            except OSError:
                closed[index] = now_ms(start)
                break
        sock.close()
        result["idleClosedMs"] = closed

    for index, sock in enumerate(socks):
        threading.Thread(target=watch, args=(index, sock), daemon=True).start()
    result["idleClosedMs"] = closed
    # The server accepts them before the request comes.
    time.sleep(0.5)


class Download:
    """One download (or an upload and its answer): the request sent, the head read, the body read at the reader's
    pace, and how it ended. report: its progress lines and timeline (download 0's); the others report only their end.
    watch: a slow client of the capacity search (its `stop` event closes it, its `headers` event says it got them)."""

    def __init__(self, args, start, started_at_ms, report=True, watch=None):
        self.args, self.start, self.report, self.watch = args, start, report, watch
        self.stop = watch.stop if watch else None
        self.deadline = start + args.max_seconds
        self.sample_s = args.sample_ms / 1000
        self.timeline = []
        self.result = {
            "type": "result", "startedAtEpochMs": started_at_ms, "status": None, "headers": {},
            "contentLength": None, "chunked": False, "bytesReceived": 0, "sha256": None,
            "outcome": "no-response", "error": None, "headersMs": None, "firstByteMs": None, "maxGapMs": None,
            "durationMs": None, "timeline": self.timeline, "bodyHead": "",
        }
        self.digest = hashlib.sha256()
        self.received = 0
        self.sock = None
        # Only the main request uploads (side requests and extra downloads are GETs); its answer's start is kept.
        self.uploading = args.upload_bytes > 0 and report
        self.length = None
        self.decoder = None
        self.last_body_ms = None

    def sample(self, force=False):
        if not self.report:
            return
        t = now_ms(self.start)
        if force or not self.timeline or t - self.timeline[-1][0] >= self.args.sample_ms:
            self.timeline.append([t, self.received])
            emit({"type": "progress", "ms": t, "bytes": self.received})

    def run(self):
        result = self.result
        try:
            if self.args.http2:
                from h2download import h2_download  # python3-h2, needed by --http2 only

                h2_download(self)
                return result
            self.send()
            head, rest = read_head(self.sock, self.deadline, self.stop)
            if head is None:
                result["outcome"] = "no-response"
                return result
            self.take_head(*head)
            self.read_body(rest)
        except MalformedBody as error:
            result["outcome"] = "truncated"
            result["error"] = str(error)
        except (ConnectionResetError, BrokenPipeError) as error:
            # Reset after part of the body: the client holds a cut body ("truncated"); before any, a "reset".
            result["outcome"] = "truncated" if self.received > 0 else "reset"
            result["error"] = f"{type(error).__name__}: {error}"
        except TimeoutError as error:
            result["outcome"] = "client-timeout"
            result["error"] = str(error)
        except OSError as error:
            result["outcome"] = "connect-error" if result["status"] is None else ("truncated" if self.received > 0 else "reset")
            result["error"] = f"{type(error).__name__}: {error}"
        finally:
            if self.sock:
                self.sock.close()
            self.sample(force=True)
            result.update(bytesReceived=self.received, durationMs=now_ms(self.start), sha256=self.digest.hexdigest())
        return result

    def send(self):
        # The request (after the idle connections, where there are), and the upload's body where it uploads.
        args = self.args
        extra = ([f"Range: {args.range}"] if args.range else []) + args.header
        if self.uploading:
            framing = "Transfer-Encoding: chunked" if args.upload_chunked else f"Content-Length: {args.upload_bytes}"
            extra = extra + [f"Content-Type: {args.upload_content_type}", framing]
        if args.idle_connections and self.report:
            hold_idle(args, self.start, self.result)
        self.result["requestSentMs"] = now_ms(self.start)
        self.sock = request(args.host, args.port, args.path, extra, 5, method=args.upload_method if self.uploading else "GET")
        if self.uploading:
            self.sock.settimeout(args.idle_seconds)
            upload_body(self.sock, args, self.start, self.result)
        self.sock.settimeout(self.sample_s)
        self.sample(force=True)

    def take_head(self, status, headers):
        self.result.update(status=status, headers=headers, headersMs=now_ms(self.start))
        if self.watch:
            self.watch.headers.set()
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        self.length = None if chunked or "content-length" not in headers else int(headers["content-length"])
        self.result.update(contentLength=self.length, chunked=chunked)
        self.decoder = ChunkedDecoder() if chunked else None

    def take(self, data):
        # Bytes off the wire: the body they carry counted, hashed, timed (the first byte, the longest gap between two).
        body = self.decoder.feed(data) if self.decoder else data
        self.digest.update(body)
        result = self.result
        if self.uploading and body and len(result["bodyHead"]) < 4096:
            result["bodyHead"] += body[: 4096 - len(result["bodyHead"])].decode("utf-8", "replace")
        if body:
            arrived = now_ms(self.start)
            if self.received == 0:
                result["firstByteMs"] = arrived
            else:
                result["maxGapMs"] = max(result["maxGapMs"] or 0, round(arrived - self.last_body_ms, 1))
            self.last_body_ms = arrived
        self.received += len(body)
        if self.decoder and self.decoder.failed:
            raise MalformedBody(self.decoder.failed)

    def whole(self):
        return (self.decoder and self.decoder.done) or (self.length is not None and self.received >= self.length)

    def gave_up(self, now, idle_since):
        # The client's own end: its deadline, a body that stopped coming, or the capacity search closing it.
        if now > self.deadline or now - idle_since > self.args.idle_seconds:
            return True
        if self.stop is not None and self.stop.is_set():
            self.result["error"] = STOPPED
            return True
        return False

    def read_body(self, rest):
        args = self.args
        pending = rest
        # Paced from this response's headers (a download that waited for a worker reads no faster for it), counting
        # the body bytes that came with them.
        paced_bytes = len(rest)
        paced_from = time.monotonic()
        idle_since = time.monotonic()
        while True:
            if pending:
                self.take(pending)
                pending = b""
                idle_since = time.monotonic()
            self.sample()
            if self.whole():
                self.result["outcome"] = "complete"
                return
            now = time.monotonic()
            if self.gave_up(now, idle_since):
                self.result["outcome"] = "client-timeout"
                return
            read_size = 65536
            if args.read_rate and (not args.crawl_seconds or now - paced_from < args.crawl_seconds):
                # Pace the reader itself: never ahead of rate × elapsed, in small reads (for the crawl's seconds only,
                # where there is a crawl).
                read_size = max(1024, min(65536, args.read_rate // 20))
                ahead_s = paced_bytes / args.read_rate - (now - paced_from)
                if ahead_s > 0:
                    time.sleep(min(ahead_s, self.sample_s))
                    continue
            try:
                pending = self.sock.recv(read_size)
            except socket.timeout:
                continue
            if not pending:
                # A body with neither length nor chunks ends when the server closes: complete or cut, the client
                # can't tell ("closed"); only a size and checksum known from elsewhere can.
                self.result["outcome"] = "closed" if self.length is None and self.decoder is None else "truncated"
                return
            paced_bytes += len(pending)


def download(args, start, started_at_ms, report=True, watch=None):
    return Download(args, start, started_at_ms, report, watch).run()


def download_line(index, result):
    # One download of several: how it ended, without its timeline.
    keep = ("status", "contentLength", "chunked", "bytesReceived", "sha256", "outcome", "error", "headersMs", "firstByteMs", "durationMs")
    return {"type": "download", "index": index, **{key: result[key] for key in keep}}


def search_capacity(args, start, started_at_ms):
    # The capacity search (capacity.py); the result line is its first slow client's, closed at the end like the rest.
    first = []

    def slow_download(watch):
        if not first:
            first.append(watch)
        return download(args, start, started_at_ms, report=False, watch=watch)

    def connect_request(path, timeout_s):
        return request(args.host, args.port, path, args.header, timeout_s)

    capacity.Search(args, start, slow_download, connect_request, read_head, emit).run()
    if first:
        first[0].thread.join(5)
        result = first[0].result
    else:
        result = {"type": "result", "startedAtEpochMs": started_at_ms, "status": None, "headers": {}, "contentLength": None, "chunked": False,
                  "bytesReceived": 0, "sha256": None, "outcome": "no-response", "error": "no slow client was started", "headersMs": None,
                  "firstByteMs": None, "maxGapMs": None, "durationMs": now_ms(start), "timeline": [], "bodyHead": ""}
    emit(result)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--tls", action="store_true", help="speak TLS to --host:--port (its certificate not verified)")
    parser.add_argument("--sni", default=None, help="with --tls: the server name sent (SNI)")
    parser.add_argument("--http2", action="store_true", help="speak HTTP/2 over cleartext TCP (h2c, prior knowledge) for the download")
    parser.add_argument("--path", required=True)
    parser.add_argument("--range", help="a Range header value, e.g. bytes=0-")
    parser.add_argument("--read-rate", type=int, default=0, help="bytes per second the reader takes; 0: as fast as it comes")
    parser.add_argument("--crawl-seconds", type=float, default=0, help="keep to --read-rate only this long after the headers, then read at full speed; 0: the whole body")
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--sample-ms", type=float, default=100)
    parser.add_argument("--header", action="append", default=[], help='an extra request header, e.g. "Host: example.com"')
    parser.add_argument("--summary", action="store_true", help="one line for a person instead of JSON lines")
    parser.add_argument("--probe", action="append", default=[], help="PATH@MS: a side request sent MS after the start")
    parser.add_argument("--probe-port-base", type=int, default=0, help="side requests come from this port, the next, ...; 0: any port")
    parser.add_argument("--downloads", type=int, default=1, help="this many downloads of --path at once, each paced by --read-rate")
    parser.add_argument("--upload-bytes", type=int, default=0, help="POST a body of this many bytes to --path first; 0: GET")
    parser.add_argument("--upload-rate", type=int, default=0, help="bytes per second the body is written at; 0: as fast as it goes")
    parser.add_argument("--upload-chunked", action="store_true", help="send the body in chunks, with no Content-Length")
    parser.add_argument("--upload-crawl-seconds", type=float, default=0, help="keep to --upload-rate only this long, then write at full speed; 0: the whole body")
    parser.add_argument("--upload-method", default="POST", choices=["POST", "PUT"])
    parser.add_argument("--upload-content-type", default="application/octet-stream")
    parser.add_argument("--idle-connections", type=int, default=0, help="open this many connections that send nothing, before the request")
    parser.add_argument("--idle-hold", type=float, default=0, help="seconds the idle connections stay open (unless the server closes them)")
    parser.add_argument("--capacity-max", type=int, default=0, help="search how many slow clients (downloads of --path at --read-rate) the server takes, up to this many; 0: no search")
    parser.add_argument("--capacity-probe", action="append", default=[], help="with --capacity-max: the cheap path probed after each step; several: the first that answers below 400 before any slow client")
    parser.add_argument("--probe-within-ms", type=float, default=1000, help="with --capacity-max: a step holds while its probe is answered this fast")
    parser.add_argument("--capacity-settle-ms", type=float, default=1000, help="with --capacity-max: how long a step's new clients may take to get their headers")
    args = parser.parse_args()
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        wire.TLS = (context, args.sni)
    if args.downloads < 1:
        parser.error("--downloads must be at least 1")
    if args.summary:
        global QUIET
        QUIET = True
    start = time.monotonic()
    started_at_ms = round(time.time() * 1000, 1)
    if args.capacity_max:
        return search_capacity(args, start, started_at_ms)
    for index, probe in enumerate(args.probe):
        path, _, after = probe.rpartition("@")
        threading.Thread(target=run_probe, args=(args, path, float(after), start, index), daemon=True).start()
    many = args.downloads > 1
    for index in range(1, args.downloads):
        threading.Thread(target=lambda i=index: emit(download_line(i, download(args, start, started_at_ms, report=False))), daemon=True).start()
    result = download(args, start, started_at_ms)
    if many:
        emit(download_line(0, result))
    # Let side requests and the other downloads still in flight report before the final line.
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(timeout=max(0.0, args.max_seconds))
    if args.summary:
        length = result["contentLength"]
        of = f" of {length}" if length is not None else (" (chunked)" if result["chunked"] else " (no length)")
        print(f'HTTP {result["status"]}, {result["outcome"]}: {result["bytesReceived"]} bytes{of} in {result["durationMs"] / 1000:.2f} s'
              + (f' ({result["error"]})' if result["error"] else ""), flush=True)
        return
    emit(result)


if __name__ == "__main__":
    main()
