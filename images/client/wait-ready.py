#!/usr/bin/env python3
"""Waits until each target answers, in order, so a lab starts only once its worker has loaded the app.

Usage: wait-ready.py HOST PORT PATH [HOST PORT PATH ...] SECONDS
A target with a PATH is ready when a GET of it answers 200; PATH "-" waits only until HOST:PORT accepts a
connection (Nginx, or a user's stack, whose paths we do not know). One wait for every target, so a run pays for
one command in the client, not one per target. Exits 0 when all are ready; when the time is up, exits with the
failed target's number (1 for the first) and says its last error on stderr.
"""
import http.client
import socket
import sys
import time

args = sys.argv[1:]
if len(args) < 4 or (len(args) - 1) % 3:
    print("usage: wait-ready.py HOST PORT PATH [HOST PORT PATH ...] SECONDS", file=sys.stderr)
    sys.exit(64)
seconds = float(args[-1])
targets = [(args[i], int(args[i + 1]), args[i + 2]) for i in range(0, len(args) - 1, 3)]
deadline = time.monotonic() + seconds


def ready(host, port, path):
    if path == "-":
        socket.create_connection((host, port), timeout=2).close()
        return None
    connection = http.client.HTTPConnection(host, port, timeout=2)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return None if status == 200 else f"HTTP {status}"


for number, (host, port, path) in enumerate(targets, start=1):
    last = "no attempt"
    while True:
        try:
            last = ready(host, port, path)
            if last is None:
                break
        except OSError as error:
            last = f"{type(error).__name__}: {error}"
        if time.monotonic() >= deadline:
            print(f"{host}:{port}{'' if path == '-' else path} not ready after {seconds:g} s: {last}", file=sys.stderr)
            sys.exit(number)
        time.sleep(0.05)
