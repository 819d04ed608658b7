#!/bin/sh
# Writes the lab's large file (random bytes, so nothing compresses it) and its checksum, then starts the server.
set -eu
mkdir -p "${DATA_DIR:=/data}"
head -c "${FILE_SIZE_BYTES:?FILE_SIZE_BYTES is required}" /dev/urandom > "$DATA_DIR/large.bin"
sha256sum "$DATA_DIR/large.bin" | cut -d' ' -f1 > "$DATA_DIR/large.bin.sha256"
# The checksum in the log too, for the run to read with the server's lines (an exec into the container costs the
# engine a runc start: about 0.2 CPU-seconds here).
echo "lab-file-sha256 $(cat "$DATA_DIR/large.bin.sha256")"
# WAIT_FOR_STATSD=HOST:PORT: Gunicorn resolves --statsd-host once, at start, and a metric sent before the agent
# listens makes it lose the next one (statsd-listen.py says why): wait (up to 10 s) until the agent accepts on PORT.
if [ -n "${WAIT_FOR_STATSD:-}" ]; then
  python3 -c '
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        socket.create_connection((host, int(port)), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.05)
' "$WAIT_FOR_STATSD"
fi
exec "$@"
