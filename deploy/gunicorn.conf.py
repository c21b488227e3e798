"""gunicorn's settings for Maillage (./run, deploy/Dockerfile, deploy/systemd): command-line
options and GUNICORN_CMD_ARGS still override them."""

import os

bind = os.environ.get("MAILLAGE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("MAILLAGE_WORKERS", "3"))
# Sync workers: each request has its process; a slow one (a PDF, an import) blocks only its own.
worker_class = "sync"
timeout = int(os.environ.get("MAILLAGE_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# MAILLAGE_PRELOAD=1: Django is loaded once in the master and each worker forked ready, so a
# worker that starts (at boot, or replaced after max_requests below) answers its first request
# without a second or two of imports, and the workers share the code's memory. The price: a HUP
# (`systemctl reload maillage-web`) then starts workers with the code already loaded, so an
# upgrade needs `systemctl restart` instead. Off by default for that reason; bench/load sets it.
preload_app = os.environ.get("MAILLAGE_PRELOAD", "0") == "1"
# A worker is replaced after this many requests (a leak never grows without end); the jitter
# keeps them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on memory, not on a disk that may stall (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Maillage logs each request itself, with its id and user id (maillage.core.logs): gunicorn's
# access log would only repeat it, with the raw path (which may hold a token).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MAILLAGE_GUNICORN_LOG_LEVEL", "warning")
# Behind the reverse proxy (deploy/Caddyfile): trust its X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("MAILLAGE_TRUSTED_PROXIES", "127.0.0.1")


def post_worker_init(worker):
    """Everything loaded so far (Django, the apps, the preloaded caches: some 200,000 objects)
    is moved out of the garbage collector's reach: its full collections, every few hundred
    requests, no longer walk them (about 130 ms each, measured: a pause in some request's
    time, and half the collector's CPU), and with MAILLAGE_PRELOAD=1 they no longer touch the
    memory the workers share with the master (copy-on-write). Python's advice for a process
    that forks without exec (`gc.freeze`)."""
    import gc

    gc.freeze()
