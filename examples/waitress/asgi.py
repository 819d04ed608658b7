"""The same Flask app as ASGI, for Uvicorn or Hypercorn: `uvicorn --host 0.0.0.0 --port 8000 asgi:app`."""
from asgiref.wsgi import WsgiToAsgi

from report import app as wsgi_app

app = WsgiToAsgi(wsgi_app)
