"""HTTP/2 over cleartext TCP (h2c with prior knowledge) for client.py's --http2: one GET on stream 1.

The body is counted as it comes, and each DATA frame is acknowledged (a WINDOW_UPDATE) only once the reader has taken
it: a slow reader keeps the server's flow-control window shut as a slow HTTP/1.1 reader keeps its socket full.
"""
import socket
import time

from h2.config import H2Configuration
from h2.connection import H2Connection
from h2.events import ConnectionTerminated, DataReceived, ResponseReceived, StreamEnded, StreamReset

from wire import connect

STREAM = 1


def h2_request(download):
    # The connection preface, the settings and the request's headers, sent at once.
    args = download.args
    conn = H2Connection(config=H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    named = {h.split(":", 1)[0].strip().lower(): h.split(":", 1)[1].strip() for h in args.header}
    authority = named.pop("host", args.host)
    headers = [(":method", "GET"), (":path", args.path), (":scheme", "http"), (":authority", authority), ("user-agent", "lab-client")]
    headers += [(name, value) for name, value in named.items()]
    if args.range:
        headers.append(("range", args.range))
    conn.send_headers(STREAM, headers, end_stream=True)
    download.result["requestSentMs"] = round((time.monotonic() - download.start) * 1000, 1)
    download.sock = connect(args.host, args.port, 5)
    download.sock.sendall(conn.data_to_send())
    download.sock.settimeout(download.sample_s)
    download.sample(force=True)
    return conn


def ended(download, outcome, error=None):
    download.result["outcome"] = outcome
    if error:
        download.result["error"] = error


def take_events(download, conn, events):
    # True once the stream is over (its end, a reset, or the connection's end): the outcome is then set.
    for event in events:
        if isinstance(event, ResponseReceived) and event.stream_id == STREAM:
            headers = {name.lower(): value for name, value in event.headers}
            status = int(headers.pop(":status"))
            download.take_head(status, headers)
        elif isinstance(event, DataReceived) and event.stream_id == STREAM:
            download.take(event.data)
            conn.acknowledge_received_data(event.flow_controlled_length, STREAM)
        elif isinstance(event, StreamEnded) and event.stream_id == STREAM:
            whole = download.length is None or download.received >= download.length
            ended(download, "complete" if whole else "truncated")
            return True
        elif isinstance(event, StreamReset) and event.stream_id == STREAM:
            ended(download, "truncated" if download.received else "reset", f"RST_STREAM, error code {event.error_code}")
            return True
        elif isinstance(event, ConnectionTerminated):
            ended(download, "truncated" if download.received else "reset", f"GOAWAY, error code {event.error_code}")
            return True
    return False


def h2_download(download):
    # The request, then frames read at the reader's pace (paced from the headers, as for HTTP/1.1) until the stream ends.
    args = download.args
    conn = h2_request(download)
    paced_bytes, paced_from = 0, None
    idle_since = time.monotonic()
    while True:
        download.sample()
        now = time.monotonic()
        if download.gave_up(now, idle_since):
            return ended(download, "client-timeout")
        read_size = 65536
        if args.read_rate and paced_from is not None and (not args.crawl_seconds or now - paced_from < args.crawl_seconds):
            read_size = max(1024, min(65536, args.read_rate // 20))
            ahead_s = paced_bytes / args.read_rate - (now - paced_from)
            if ahead_s > 0:
                time.sleep(min(ahead_s, download.sample_s))
                continue
        try:
            data = download.sock.recv(read_size)
        except socket.timeout:
            continue
        if not data:
            # Closed with the stream still open: a body cut short (or no answer at all).
            return ended(download, "truncated" if download.result["status"] is not None else "no-response", "connection closed mid-stream")
        idle_since = now
        if paced_from is not None:
            paced_bytes += len(data)
        done = take_events(download, conn, conn.receive_data(data))
        if paced_from is None and download.result["status"] is not None:
            paced_from = time.monotonic()
        pending = conn.data_to_send()
        if pending:
            download.sock.sendall(pending)
        if done:
            return
