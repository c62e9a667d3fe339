"""gunicorn configuration of the gateway: ``civic serve`` runs ``gunicorn -c deploy/gunicorn.conf.py``
(so do the systemd unit and ``civic run``). Every value comes from the one settings object
(``CIVIC_HOST``, ``CIVIC_PORT``, ``CIVIC_WORKERS``, ``CIVIC_TRUSTED_PROXIES``, ...), never from
gunicorn's own environment variables, so one ``.env`` configures every process.
"""

from assistant.logs import quiet_libraries
from assistant.settings import get_settings

quiet_libraries()  # as civic's CLI does: before the workers import TensorFlow, Rasa or jieba
_settings = get_settings()  # refuses several workers or hosts without Redis and PostgreSQL

wsgi_app = "assistant.gateway.app:create_app()"  # an ASGI factory, served by the worker class
worker_class = "assistant.gateway.worker.GatewayWorker"
bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.workers

# Each worker loads its own model after the fork: TensorFlow's threads do not survive a fork,
# so the application is not preloaded (memory per worker: docs/benchmarks.md).
preload_app = False
# The heartbeat starts only once the lifespan has loaded the model (30 s on a quiet machine, two
# minutes with the cores busy: tests/production); after that an async worker ticks every second,
# so only a wedged event loop reaches this. Too short, and a slow start is killed and retried forever.
timeout = 300
# SIGTERM: stop accepting, let turns in flight finish (a turn gives up after
# CIVIC_REPLY_TIMEOUT_SECONDS), drain WeChat deliveries and flush the interaction log.
graceful_timeout = int(_settings.reply_timeout_seconds) + 5
# Longer than the load balancer's idle upstream connections (nginx: keepalive_timeout 60s), so
# the balancer always closes first and never sends a request on a connection we are closing.
keepalive = 75
forwarded_allow_ips = ",".join(_settings.trusted_proxies)  # whose X-Forwarded-For names the client

# The gateway writes its own structured, redacted events; an access log would hold query
# strings (WeChat puts the OpenID there) and client addresses.
accesslog = None
errorlog = "-"
# gunicorn's own notices (booting, listening) add nothing to the gateway's events; its warnings
# and errors (a worker timed out, exited, could not boot) still show
loglevel = "debug" if _settings.log_level == "DEBUG" else "warning"
proc_name = "civic-gateway"
# gunicorn's run-time control socket has one default path for every instance on a machine;
# nothing of ours uses it, and two gateways (or a test's hosts) must not share it.
control_socket_disable = True


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker is gone (a crash included): its queue-depth gauges leave the metrics' sums."""
    from assistant.metrics_workers import worker_exited

    worker_exited(_settings, worker.pid)
