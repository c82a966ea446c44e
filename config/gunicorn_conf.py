"""Gunicorn's configuration, the same for ``make run`` and production:
``gunicorn -c python:config.gunicorn_conf config.wsgi:application``.

Threaded workers: a connection waiting on its client (a body still arriving, a response
not yet taken) holds one thread, never a whole worker process, and idle kept-alive
connections wait in the worker's poller without a thread. ``WEB_CLIENT_TIMEOUT`` frees a
thread whose client has gone silent, so a few slow clients cannot stall the server.
"""

import os

from django.conf import settings
from gunicorn.http.message import Request
from gunicorn.workers.base import Worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

worker_class = "gthread"
threads = settings.WEB_THREADS
keepalive = 5  # seconds an idle connection is kept; it costs no thread while it waits
graceful_timeout = 10


def pre_request(worker: Worker, req: Request) -> None:
    """Bound every socket read and write of this request by ``WEB_CLIENT_TIMEOUT``.

    Django reads the body lazily, in the thread serving the request; without a timeout a
    client that sends ``Content-Length: 100`` and 9 bytes holds that thread until it hangs
    up. Gunicorn resets the socket to blocking before the next request on the connection.
    """
    req.unreader.sock.settimeout(settings.WEB_CLIENT_TIMEOUT)
