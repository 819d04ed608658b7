"""The example's one download: a large export sent as a FileResponse."""
import os
import random
import tempfile

from django.http import FileResponse
from django.urls import path

EXPORT_BYTES = 8 * 1024 * 1024
# The same bytes in every worker (seeded), so a reference download and a slow one are comparable.
EXPORT = os.path.join(tempfile.gettempdir(), "export.bin")
if not os.path.exists(EXPORT):
    with open(EXPORT + ".part", "wb") as f:
        f.write(random.Random(7).randbytes(EXPORT_BYTES))
    os.replace(EXPORT + ".part", EXPORT)


def export(request):
    return FileResponse(open(EXPORT, "rb"), content_type="application/octet-stream")


urlpatterns = [path("download/export.bin", export)]
