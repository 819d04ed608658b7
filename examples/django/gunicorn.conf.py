# One sync worker, a short timeout so a check lasts seconds.
bind = "0.0.0.0:8000"
workers = 1
timeout = 2
