"""The lab's Flask app: serves one large file in each of the ways the article compares."""
import hashlib
import os
import time

from flask import Flask, Response, request, send_from_directory
from werkzeug.security import safe_join

DATA_DIR = os.environ.get("DATA_DIR", "/data")
CHUNK_BYTES = 64 * 1024

app = Flask(__name__)


@app.get("/files/<path:name>")
def send_file(name):
    # The article's case: send_from_directory hands Gunicorn a file wrapper (sendfile on the sync worker).
    response = send_from_directory(DATA_DIR, name)
    accel_buffering = request.args.get("accel_buffering")
    if accel_buffering in ("yes", "no"):
        response.headers["X-Accel-Buffering"] = accel_buffering
    return response


@app.get("/stream/<path:name>")
def stream_file(name):
    # Remedy 3b: a generator body with no Content-Length, sent with chunked transfer encoding.
    path = safe_join(DATA_DIR, name)

    def generate():
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK_BYTES):
                yield chunk

    return Response(generate(), mimetype="application/octet-stream")


@app.get("/accel/<path:name>")
def accel_redirect(name):
    # Remedy 3a through the app: authorise, then let Nginx send the file from an internal location.
    response = Response(status=200)
    response.headers["X-Accel-Redirect"] = f"/protected/{name}"
    return response


@app.get("/sendfile/<path:name>")
def x_sendfile(name):
    # The same through Apache's mod_xsendfile: authorise, then name the file on the shared volume for Apache to send.
    response = Response(status=200)
    response.headers["X-Sendfile"] = safe_join(DATA_DIR, name)
    return response


@app.get("/slow")
def slow():
    # Work that outlasts the worker timeout before any header is sent.
    time.sleep(float(request.args.get("seconds", "5")))
    return "done\n"


@app.get("/events")
def events():
    # Server-sent events generated slowly: `count` events, one every `interval_ms` (true streaming).
    count = int(request.args.get("count", "15"))
    interval_s = float(request.args.get("interval_ms", "200")) / 1000

    def generate():
        for i in range(count):
            if i:
                time.sleep(interval_s)
            yield f"id: {i}\ndata: event {i} of {count}\n\n"

    return Response(generate(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


@app.post("/upload")
def upload():
    # Reads the whole request body as it comes (Gunicorn hands the worker the client's pace unless a proxy buffered
    # it) and answers with what it received, so a body cut short is seen.
    digest = hashlib.sha256()
    received = 0
    while chunk := request.stream.read(CHUNK_BYTES):
        digest.update(chunk)
        received += len(chunk)
    return {"bytes": received, "sha256": digest.hexdigest()}


@app.get("/ping")
def ping():
    return "pong\n"
