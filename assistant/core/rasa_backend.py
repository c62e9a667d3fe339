"""Two ways to reach Rasa behind one interface: the model loaded in this process (default), or
a separate ``rasa run --enable-api`` server (``CIVIC_RASA_URL``) for scaling out.

Both hand back the bot messages and a :class:`TurnView` of what Rasa understood, read from the
tracker, so the core never cares which one it talks to.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Dict, List, Optional, Protocol, Tuple, TypeVar
from urllib.parse import quote, urlparse

import httpx

from assistant.core import rasa_speedups
from assistant.errors import UnavailableError

if TYPE_CHECKING:  # Rasa is imported only where the agent is loaded
    from assistant.core.action_endpoint import WatchedActionEndpoint


@dataclass(frozen=True)
class TurnView:
    intent: Optional[str]
    confidence: Optional[float]
    slots: Dict[str, Any]
    topic_set_this_turn: bool
    actions: Tuple[str, ...]  # actions run in answer to this message
    slots_set: Dict[str, Any] = field(default_factory=dict)  # slots set during this turn
    entities: Tuple[Dict[str, Any], ...] = ()
    form: Optional[str] = None  # the form still active after this turn (case check, booking)


def view_from_events(events: List[Dict[str, Any]], slots: Dict[str, Any],
                     active_form: Optional[str] = None) -> TurnView:
    """Read the last turn out of a tracker's event dicts (the same for both backends)."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    if last_user < 0:
        return TurnView(None, None, slots, False, ())
    parse = events[last_user].get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = intent.get("full_retrieval_intent_name") or intent.get("name")
    after = events[last_user + 1 :]
    actions = tuple(e.get("name") for e in after if e.get("event") == "action" and e.get("name"))
    confidence = intent.get("confidence")
    slots_set = {e.get("name"): e.get("value") for e in after if e.get("event") == "slot"}
    form = active_form  # the tracker's active loop before these events
    for event in events:
        if event.get("event") == "active_loop":
            form = event.get("name")
    return TurnView(
        intent=name,
        confidence=float(confidence) if confidence is not None else None,
        slots=slots,
        topic_set_this_turn="topic" in slots_set,
        actions=actions,
        slots_set=slots_set,
        entities=tuple(parse.get("entities") or ()),
        form=form,
    )


class RasaBackend(Protocol):
    async def respond(
        self, sender: str, text: str, metadata: Dict[str, Any], channel: str
    ) -> Tuple[List[Dict[str, Any]], TurnView]: ...

    async def ready(self) -> Optional[str]:
        """``None`` when ready, else what is wrong."""

    async def close(self) -> None: ...


T = TypeVar("T")


class AgentLoop:
    """An event loop on a thread of its own, where the Rasa agent does all its work.

    Rasa's inference is CPU work inside coroutines, and its Redis tracker and lock stores block.
    On the gateway's loop, a burst of messages would hold that loop for seconds: health checks,
    static pages and WeChat's 4-second reply budget would all wait behind it. Here the gateway's
    loop only awaits a future, and keeps answering while Rasa works.
    """

    #: How long a thread that wants the GIL waits for the one holding it. Python's 5 ms default
    #: makes the gateway's loop wait that long after every poll while Rasa computes: measured,
    #: 1 ms gave the gateway 0.93 of the bare agent's throughput where 5 ms gave 0.78.
    SWITCH_INTERVAL_SECONDS = 0.001

    def __init__(self, name: str = "rasa-agent") -> None:
        sys.setswitchinterval(min(sys.getswitchinterval(), self.SWITCH_INTERVAL_SECONDS))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    async def run(self, work: "Coroutine[Any, Any, T]") -> T:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self.loop))

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


class InProcessRasa:
    """A ``rasa.core.agent.Agent`` in this process (no network hop), run on its own thread.

    Turns of one conversation wait for each other on Rasa's ticket lock (in Redis when several
    processes share conversations). A ticket lives ``turn_lock_seconds``, not Rasa's 60: a gateway
    killed in the middle of a turn leaves its ticket behind, and the person's retry on another
    host waits for it to expire (``assistant/core/turn_lock.py``).

    :meth:`swap` puts a new model in service without stopping: the new agent is loaded and warmed
    beside the old one, then replaces it in one assignment. A turn reads ``self.agent`` once, so a
    turn in flight finishes on the model it started with and the next one gets the new model; both
    agents share the lock store and the conversations (``docs/operations.md``, Reloading)."""

    def __init__(self, agent: Any, turn_lock_seconds: float = 10.0,
                 make_agent: Optional[Callable[[Path, Any], Any]] = None,
                 action_endpoint: "Optional[WatchedActionEndpoint]" = None) -> None:
        self.agent = agent
        self.agent_loop = AgentLoop()
        self.turn_lock_seconds = turn_lock_seconds
        self._make_agent = make_agent
        self._swap_lock = threading.Lock()
        self._action_endpoint = action_endpoint

    @classmethod
    def load(cls, model_path: Path, action_url: str, redis_url: Optional[str],
             action_token: Optional[str] = None, turn_lock_seconds: float = 10.0,
             actions_in_process: bool = False) -> "InProcessRasa":
        """The agent for ``model_path``, calling the action server at ``action_url``, or with
        ``actions_in_process`` running the actions itself (``assistant/core/inprocess_actions.py``)."""
        from assistant.core.action_endpoint import WatchedActionEndpoint
        from assistant.logs import quiet_rasa

        quiet_rasa()
        endpoint: WatchedActionEndpoint
        if actions_in_process:
            from assistant.core.inprocess_actions import in_process_endpoint

            endpoint = in_process_endpoint()
        else:
            endpoint = WatchedActionEndpoint(url=action_url, headers=action_headers(action_token))

        def make_agent(path: Path, previous: Any) -> Any:
            return build_agent(path, redis_url, endpoint, previous)

        return cls(make_agent(model_path, None), turn_lock_seconds, make_agent, endpoint)

    @property
    def model_path(self) -> Optional[Path]:
        processor = self.agent.processor
        return Path(processor.model_path) if processor is not None else None

    def swap(self, model_path: Path) -> bool:
        """Load ``model_path`` beside the serving model, warm it, then serve it (blocking: run it on
        a thread of its own; loading takes tens of seconds of CPU). ``False`` when another swap is
        already under way. A model that fails to load raises, and the old one keeps serving."""
        if self._make_agent is None:
            raise RuntimeError("this backend was given a loaded agent and cannot load another")
        if not self._swap_lock.acquire(blocking=False):
            return False
        try:
            fresh = self._make_agent(model_path, self.agent)
            asyncio.run(warm_agent(fresh))  # first predictions trace TensorFlow's graphs: not on a person's turn
            self.agent = fresh
            del fresh
            release_memory()
            return True
        finally:
            self._swap_lock.release()

    async def respond(self, sender, text, metadata, channel):  # type: ignore[no-untyped-def]
        return await self.agent_loop.run(self._respond(sender, text, metadata, channel))

    async def _respond(self, sender: str, text: str, metadata: Dict[str, Any], channel: str
                       ) -> Tuple[List[Dict[str, Any]], TurnView]:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
        from rasa.core.lock_store import LockError

        from assistant.core.turn_lock import conversation_turn

        agent = self.agent  # once: a swap during this turn changes the next turn's model, not this one's
        output = CollectingOutputChannel()
        message = UserMessage(text, output, sender, input_channel=channel, metadata=metadata)
        try:
            async with conversation_turn(agent.lock_store, sender, self.turn_lock_seconds):
                tracker = await self._handle(agent.processor, message)
        except (ConnectionError, OSError) as err:
            raise UnavailableError(f"conversation store unavailable: {err}") from err
        except LockError as err:  # Redis down (Rasa wraps its error), or the lock never came free
            raise UnavailableError(f"conversation lock unavailable: {err}") from err
        except Exception as err:
            if type(err).__module__.startswith("redis"):
                raise UnavailableError(f"conversation store unavailable: {err}") from err
            raise
        events = [e.as_dict() for e in _events_of_last_turn(tracker.events)]
        return output.messages, view_from_events(events, tracker.current_slot_values(), tracker.active_loop_name)

    async def _handle(self, processor: Any, message: Any) -> Any:
        """``MessageProcessor.handle_message`` step by step (Rasa 3.6.21), keeping the tracker it
        saved: reading it back from the store would deserialize the whole conversation again.

        A turn in which the action server failed is not saved, so sending it again starts clean."""
        from assistant.core.action_endpoint import watch_turn

        failures = watch_turn()
        tracker = await processor.log_message(message, should_save_tracker=False)
        tracker = await processor.run_action_extract_slots(message.output_channel, tracker)
        await processor._run_prediction_loop(message.output_channel, tracker)
        if failures:
            raise UnavailableError(f"custom action failed: {failures[0]}")
        await processor.run_anonymization_pipeline(tracker)
        await processor.save_tracker(tracker)
        return tracker

    async def ready(self) -> Optional[str]:
        return None if self.agent.is_ready() else "model not loaded"

    @property
    def model_version(self) -> str:
        """The loaded model file's input hash (the metrics' ``civic_model_info``)."""
        return model_version(Path(self.agent.model_name or "unknown"))

    async def close(self) -> None:
        self.agent_loop.stop()  # first: no turn calls an action after this
        if self._action_endpoint is not None:
            self._action_endpoint.close()


def release_memory() -> None:
    """Give the old model's memory back after a swap: its objects form reference cycles that only
    a collection frees, and glibc keeps freed pages of a large heap unless asked to return them."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the pages are reused, only not returned
        pass


def build_agent(model_path: Path, redis_url: Optional[str], action_endpoint: Any, previous: Any = None) -> Any:
    """A Rasa agent for ``model_path``. Beside a ``previous`` agent (a swap) it shares that agent's
    lock store (a conversation's turns stay in order across the two) and its conversations: with
    Redis through a tracker store of its own on the same keys (the old agent keeps its domain),
    in memory through the same dictionary of trackers."""
    from rasa.core.agent import Agent
    from rasa.core.lock_store import LockStore
    from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore

    tracker_store = lock_store = None
    if redis_url:
        tracker_store = TrackerStore.create(_redis_endpoint(redis_url, record_exp=7 * 24 * 3600))
        lock_store = previous.lock_store if previous is not None else LockStore.create(_redis_endpoint(redis_url))
    elif previous is not None:
        tracker_store = InMemoryTrackerStore(previous.domain)
        tracker_store.store = _inner_store(previous.tracker_store).store
        lock_store = previous.lock_store
    rasa_speedups.install()
    return Agent.load(str(model_path), tracker_store=tracker_store, lock_store=lock_store,
                      action_endpoint=action_endpoint)


def _inner_store(store: Any) -> Any:
    """Rasa wraps every tracker store in a ``FailSafeTrackerStore``; the trackers live inside."""
    return getattr(store, "_tracker_store", store)


#: What a new model is asked before it serves: one question per language and a prediction, so
#: TensorFlow traces its graphs here instead of on the first person's turn after a swap.
WARM_UP_TEXTS = ("办护照要带什么材料", "how do I renew my passport")


async def warm_agent(agent: Any) -> None:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = agent.processor
    for text in WARM_UP_TEXTS:
        parse = await processor.parse_message(UserMessage(text))
        tracker = DialogueStateTracker.from_events(
            "civic-warm-up", [ActionExecuted("action_listen"), UserUttered(text, parse.get("intent"),
                                                                          parse.get("entities"), parse)],
            slots=processor.domain.slots)
        processor.predict_next_with_tracker(tracker)


def model_version(model_path: Path) -> str:
    """``civic-<hash>.tar.gz`` -> ``<hash>``: the inputs it was trained from (model_store)."""
    from assistant.core.model_store import MODEL_PREFIX

    return model_path.name.removesuffix(".tar.gz").removeprefix(MODEL_PREFIX)


def action_headers(token: Optional[str]) -> Dict[str, str]:
    """What the action server asks of its callers (``assistant.action_server``)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def set_rasa_telemetry(enabled: bool) -> None:
    """Rasa reads its telemetry switch from the environment on every event; a government
    deployment does not phone home unless ``CIVIC_RASA_TELEMETRY`` asks it to. Set in this process,
    it also reaches every process we start (the action server, a training run)."""
    os.environ["RASA_TELEMETRY_ENABLED"] = "true" if enabled else "false"


def _events_of_last_turn(events: Any) -> List[Any]:
    """Only the tail from the last user message: trackers grow, and we need just that part."""
    tail: List[Any] = []
    for event in reversed(list(events)):
        tail.append(event)
        if getattr(event, "type_name", "") == "user":
            break
    return list(reversed(tail))


class RemoteRasa:
    """A Rasa server reached over HTTP (its REST channel and its tracker API)."""

    model_version = "remote"  # the separate Rasa server's model, which it does not tell

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = httpx.AsyncClient(timeout=timeout)

    async def respond(self, sender, text, metadata, channel):  # type: ignore[no-untyped-def]
        try:
            reply = await self.client.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
            reply.raise_for_status()
            state = await self.client.get(
                f"{self.base_url}/conversations/{quote(sender, safe=':')}/tracker",  # Rasa does not decode %3A
                params={"include_events": "AFTER_RESTART"},
            )
            state.raise_for_status()
        except httpx.HTTPError as err:
            raise UnavailableError(f"Rasa server unavailable: {err}") from err
        tracker = state.json()
        return reply.json(), view_from_events(tracker.get("events") or [], tracker.get("slots") or {},
                                              (tracker.get("active_loop") or {}).get("name"))

    async def ready(self) -> Optional[str]:
        try:
            response = await self.client.get(f"{self.base_url}/status")
            return None if response.status_code == 200 else f"Rasa server status {response.status_code}"
        except httpx.HTTPError as err:
            return f"Rasa server unreachable: {err}"

    async def close(self) -> None:
        await self.client.aclose()


def action_server_problem(action_url: str, timeout: float = 2.0) -> Optional[str]:
    """``None`` when the action server answers its health check, else what is wrong (/readyz):
    without it every turn that needs a custom action can only apologise."""
    health = urlparse(action_url)._replace(path="/health", query="", fragment="").geturl()
    try:
        response = httpx.get(health, timeout=timeout)
    except httpx.HTTPError as err:
        return f"action server unreachable: {type(err).__name__}"
    return None if response.status_code == 200 else f"action server health {response.status_code}"


def _redis_endpoint(url: str, **extra: Any) -> Any:
    from rasa.utils.endpoints import EndpointConfig

    parsed = urlparse(url)
    db = int((parsed.path or "/0").strip("/") or 0)
    return EndpointConfig(
        type="redis", url=parsed.hostname or "127.0.0.1", port=parsed.port or 6379, db=db,
        password=parsed.password, key_prefix="civic", **extra,
    )
