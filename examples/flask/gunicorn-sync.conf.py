# Gunicorn's defaults but a short timeout (a check then lasts seconds, not a minute): one sync worker.
bind = "127.0.0.1:5000"
workers = 1
worker_class = "sync"
timeout = 2
