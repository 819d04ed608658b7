#!/usr/bin/env python3
"""Waits until the app answers a request with 200, so a lab starts only once its worker has loaded the app.

Usage: wait-ready.py HOST PORT PATH SECONDS. Exits 0 when ready, 1 with the last error when the time is up.
PATH "-" waits only until HOST:PORT accepts a connection (a user's stack, whose paths we do not know).
"""
import http.client
import socket
import sys
import time

host, port, path, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
deadline = time.monotonic() + seconds
last = "no attempt"
while time.monotonic() < deadline:
    try:
        if path == "-":
            socket.create_connection((host, port), timeout=2).close()
            sys.exit(0)
        connection = http.client.HTTPConnection(host, port, timeout=2)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        if status == 200:
            sys.exit(0)
        last = f"HTTP {status}"
    except OSError as error:
        last = f"{type(error).__name__}: {error}"
    time.sleep(0.05)
print(f"{host}:{port}{path} not ready after {seconds} s: {last}", file=sys.stderr)
sys.exit(1)
