"""An example app on Waitress (or Uvicorn, through asgi.py): a large report sent with Flask's send_file."""
import os
import random

from flask import Flask, send_file

PATH = "/tmp/report.bin"
if not os.path.exists(PATH):
    # 8 MiB of seeded bytes: the same in every process, so the reference download and the slow one compare.
    with open(f"{PATH}.{os.getpid()}", "wb") as out:
        out.write(random.Random(7).randbytes(8 << 20))
    os.replace(f"{PATH}.{os.getpid()}", PATH)

app = Flask(__name__)


@app.get("/download/report.bin")
def report():
    return send_file(PATH, mimetype="application/octet-stream")
