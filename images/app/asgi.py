"""The same Flask app as ASGI, for the ASGI servers: Gunicorn's uvicorn and ASGI workers, Uvicorn and Hypercorn alone."""
from asgiref.wsgi import WsgiToAsgi

from app import app as wsgi_app

app = WsgiToAsgi(wsgi_app)
