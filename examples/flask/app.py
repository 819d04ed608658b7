"""An example app: a Flask download of a large report, served the way many apps do (send_file)."""
import os
import random
import tempfile

from flask import Flask, Response, request, send_file

REPORT_BYTES = 8 * 1024 * 1024
# The same bytes in every worker (seeded), so a reference download and a slow one are comparable. Several workers
# import this at once: each writes its own part file and renames it into place.
REPORT = os.path.join(tempfile.gettempdir(), "report.bin")
if not os.path.exists(REPORT):
    part = f"{REPORT}.{os.getpid()}.part"
    with open(part, "wb") as f:
        f.write(random.Random(42).randbytes(REPORT_BYTES))
    os.replace(part, REPORT)

app = Flask(__name__)


@app.get("/download/report.bin")
def download_report():
    return send_file(REPORT, mimetype="application/octet-stream")


@app.get("/download/report-stream.bin")
def stream_report():
    # The same bytes generated on the fly: no Content-Length, so the response ends when the body does.
    def chunks():
        with open(REPORT, "rb") as f:
            while chunk := f.read(64 * 1024):
                yield chunk

    return Response(chunks(), mimetype="application/octet-stream")


@app.post("/upload/report")
def upload_report():
    # An upload endpoint as apps write them: read the whole body, store it, answer with its size.
    received = 0
    with tempfile.TemporaryFile() as f:
        while chunk := request.stream.read(64 * 1024):
            f.write(chunk)
            received += len(chunk)
    return {"stored": received}


@app.get("/health")
def health():
    return "ok\n"
