"""The gunicorn worker class of the gateway (``deploy/gunicorn.conf.py``): uvicorn's, with our
protocol choices, so gunicorn supervises the processes and uvicorn serves each one."""

from __future__ import annotations

from typing import Any, Dict

from uvicorn_worker import UvicornWorker


class GatewayWorker(UvicornWorker):
    """One gateway process under gunicorn.

    ``ws="none"``: Rasa pins websockets 10, too old for uvicorn's protocol, and the gateway
    serves no websocket. ``lifespan="on"``: a lifespan that cannot start stops the worker, where
    ``auto`` would serve requests without engines or stores (the lifespan itself keeps serving
    when only the model or the database is missing, so ``/readyz`` can say so)."""

    CONFIG_KWARGS: Dict[str, Any] = {"loop": "auto", "http": "auto", "ws": "none", "lifespan": "on"}
