"""The same Flask app as ASGI, for uvicorn's Gunicorn worker."""
from asgiref.wsgi import WsgiToAsgi

from app import app as wsgi_app

app = WsgiToAsgi(wsgi_app)
