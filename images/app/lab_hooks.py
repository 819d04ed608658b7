"""Gunicorn server hooks for the labs (passed with --config): a worker says in the log when it has booted.

Gunicorn's arbiter kills a worker that has not signalled within --timeout, and a worker first signals when its
boot is done (after the app's import), so on a loaded machine a worker can be killed while still booting. The
log says "Booting worker" at the fork but nothing when the boot is over; this line, written just before the
worker's loop starts (and with it the heartbeat), lets the lab tell a kill while booting from a kill while
serving.
"""


def post_worker_init(worker):
    worker.log.info("Worker ready (pid: %s)", worker.pid)
