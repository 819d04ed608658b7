# The same app with threads: the gthread worker heartbeats from its main loop while a thread sends.
bind = "127.0.0.1:5000"
workers = 1
worker_class = "gthread"
threads = 4
timeout = 2
