#!/usr/bin/env python3
"""Waits until each name resolves on the run's network, so a proxy that resolves its upstream once at start (a user's
nginx.conf with `upstream web { server web:5000; }`) never starts before the engine's DNS knows the app's alias
(Podman's aardvark-dns registers it a moment after the container starts).

Usage: wait-resolves.py NAME [NAME ...] SECONDS
Exits 0 once every name resolves; when the time is up, exits 1 naming the first that does not.
"""
import socket
import sys
import time

if len(sys.argv) < 3:
    print("usage: wait-resolves.py NAME [NAME ...] SECONDS", file=sys.stderr)
    sys.exit(64)
names, seconds = sys.argv[1:-1], float(sys.argv[-1])
deadline = time.monotonic() + seconds
for name in names:
    while True:
        try:
            socket.getaddrinfo(name, None)
            break
        except OSError as error:
            if time.monotonic() >= deadline:
                print(f"{name} does not resolve on the run's network: {error}", file=sys.stderr)
                sys.exit(1)
            time.sleep(0.05)
