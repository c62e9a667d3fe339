"""Custom actions inside the gateway's workers (``CIVIC_ACTIONS_IN_PROCESS``, issue 16).

First Rasa's own ``RemoteAction`` against the in-process endpoint, with rasa_sdk's real executor:
an answer, a rejection, an unknown action and a crash reach Rasa as they do from the action
server. Then the real gateway (``civic serve``) with the option on and no action server anywhere:
a matter, its follow-up and the case-status form, a bad case number asked again, are answered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import httpx
import pytest
from rasa_sdk import Action, ActionExecutionRejection, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.errors import ConfigError
from assistant.settings import load_settings
from tests.conftest import free_port, new_chat_sender
from tests.production.stack import Stack, wait_until
from tests.production.test_clean_start import existing_model_dir

DATA_TOKEN = "exit_entry:inprocess-token-0123456789"
START_TIMEOUT = 600  # a model and the catalogue's embeddings, on a busy 2-core machine


class EchoAction(Action):
    """Answers, sets a slot, and scribbles on the tracker it was given (which must be a copy)."""

    def name(self) -> str:
        return "action_inproc_echo"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict]:
        tracker.latest_message["text"] = "changed by the action"
        dispatcher.utter_message(text=f"echo {tracker.sender_id}")
        return [SlotSet("topic", "echo")]


class RefusingAction(Action):
    def name(self) -> str:
        return "action_inproc_refuse"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict]:
        raise ActionExecutionRejection(self.name(), "not this slot")


class CrashingAction(Action):
    def name(self) -> str:
        return "action_inproc_crash"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict]:
        raise ValueError("a bug in an action")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Any]:
    """The in-process endpoint over this module's actions (rasa_sdk registers every Action subclass
    it has seen; these three are what the test calls)."""
    from assistant.core.inprocess_actions import ActionRunner, InProcessActionEndpoint

    served = InProcessActionEndpoint(ActionRunner(package=__name__))
    yield served
    served.close()


async def run_remote(endpoint: Any, name: str) -> tuple:
    """Rasa's ``RemoteAction`` for ``name`` through ``endpoint``: (events or the exception, failures noted)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant.core.action_endpoint import watch_turn

    domain = Domain.empty()
    tracker = DialogueStateTracker.from_events("inproc-sender", [ActionExecuted("action_listen"),
                                                                 UserUttered("hello", {"name": "greet"})])
    failures = watch_turn()
    try:
        outcome: Any = await RemoteAction(name, endpoint).run(
            CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain)
    except Exception as err:  # what Rasa's processor would see
        outcome = err
    assert tracker.latest_message.text == "hello"  # the action's scribble stayed in its copy
    return outcome, failures


async def test_an_answer_reaches_rasa_as_events_and_a_bot_message(endpoint) -> None:
    from rasa.shared.core.events import BotUttered, SlotSet as RasaSlotSet

    events, failures = await run_remote(endpoint, "action_inproc_echo")
    assert [type(e) for e in events] == [BotUttered, RasaSlotSet]
    assert events[0].text == "echo inproc-sender" and (events[1].key, events[1].value) == ("topic", "echo")
    assert failures == []


async def test_a_rejection_is_rasas_rejection_and_no_failure(endpoint) -> None:
    """rasa_sdk's endpoint answers a rejection with a 400; RemoteAction turns it back into Rasa's
    ``ActionExecutionRejection`` (a form's "not this slot"), which is not a failed turn."""
    from rasa.core.actions.action import ActionExecutionRejection as RasaRejection
    from rasa.utils.endpoints import ClientResponseError

    rejection, failures = await run_remote(endpoint, "action_inproc_refuse")
    assert isinstance(rejection, RasaRejection)
    assert (rejection.action_name, rejection.message) == ("action_inproc_refuse", "not this slot")
    assert failures == []
    with pytest.raises(ClientResponseError) as raw:  # what EndpointConfig.request raises for a 400
        await endpoint.request(json={"next_action": "action_inproc_refuse", "tracker": {"sender_id": "x"}},
                               method="post")
    assert raw.value.status == 400
    assert json.loads(raw.value.text) == {"error": "not this slot", "action_name": "action_inproc_refuse"}


@pytest.mark.parametrize("name, status", [("action_nobody_wrote", 404), ("action_inproc_crash", 500)])
async def test_unknown_and_crashing_actions_are_failed_turns(endpoint, name: str, status: int) -> None:
    from rasa.shared.exceptions import RasaException

    error, failures = await run_remote(endpoint, name)
    assert isinstance(error, RasaException)  # Rasa logs it and loses the events...
    assert failures == [f"in-process actions answered {status}"]  # ...and the turn apologises


def test_in_process_actions_need_the_in_process_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CIVIC_ACTIONS_IN_PROCESS"):
        load_settings(var_dir=tmp_path, actions_in_process=True, rasa_url="http://127.0.0.1:5005")
    assert load_settings(var_dir=tmp_path).actions_in_process is False


@pytest.fixture(scope="module")
def gateway(base_env: Dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``civic serve`` (gunicorn, one worker) with the actions in process; the action URL points
    where nothing listens, and no action server is started."""
    folder = tmp_path_factory.mktemp("inproc")
    port = free_port()
    env = dict(base_env, CIVIC_PORT=str(port), CIVIC_ACTIONS_IN_PROCESS="true",
               CIVIC_ACTION_URL=f"http://127.0.0.1:{free_port()}/webhook", CIVIC_DATA_TOKENS=DATA_TOKEN,
               CIVIC_MODEL_DIR=str(existing_model_dir(folder)), CIVIC_STT_ENABLED="false",
               CIVIC_VAR_DIR=str(folder / "var"), CIVIC_DATABASE_URL=f"sqlite:///{folder / 'civic.db'}")
    stack = Stack(folder)
    try:
        process = stack.civic("gateway", "serve", env)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(f"{url}/readyz", START_TIMEOUT, process)  # ready with no action server at all
        except (RuntimeError, TimeoutError) as err:
            raise AssertionError(f"{err}\n{stack.log('gateway')[-3000:]}") from err
        environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
        assert b"OMP_NUM_THREADS=1" in environ  # the workers' embeddings: one OpenMP thread each
        yield url
    finally:
        stack.close()


def say(url: str, sender: str, message: str) -> Dict[str, Any]:
    response = httpx.post(f"{url}/api/v1/chat", json={"sender": sender, "message": message}, timeout=60)
    assert response.status_code == 200, response.text  # a 503 would mean an action could not run
    return response.json()


def texts(body: Dict[str, Any]) -> str:
    return " ".join(r["text"] or "" for r in body["replies"])


@pytest.mark.slow
def test_a_matter_and_its_follow_up_are_answered_without_an_action_server(gateway: str) -> None:
    sender = new_chat_sender(gateway)
    first = say(gateway, sender, "想办个护照出国玩一趟")
    assert first["topic"] == "passport" and "身份证" in texts(first)
    follow_up = say(gateway, sender, "得带什么?")
    assert follow_up["topic"] == "passport" and follow_up["lang"] == "zh"
    assert "身份证" in texts(follow_up) and "照片" in texts(follow_up)
    fee = say(gateway, sender, "how much is it")
    assert fee["topic"] == "passport" and fee["lang"] == "en" and "120" in texts(fee)


@pytest.mark.slow
def test_the_case_form_asks_again_after_a_bad_number_then_tells_the_status(gateway: str) -> None:
    number = "IP2024000777"
    case = {"case_number": number, "matter": "passport", "department": "exit_entry", "applicant_name": "张三",
            "phone": "+86 138-0013-5678", "status": "needs_more_documents", "note": "请补交户口本复印件",
            "submitted_at": "2024-05-06T09:30:00+08:00", "updated_at": "2024-05-08T10:00:00+08:00"}
    pushed = httpx.post(f"{gateway}/api/v1/data/cases", json=[case], timeout=30,
                        headers={"Authorization": f"Bearer {DATA_TOKEN.split(':', 1)[1]}"})
    assert pushed.status_code == 200 and pushed.json()["created"] == 1, pushed.text
    sender = new_chat_sender(gateway)
    ask = say(gateway, sender, "帮我查一下我的办件进度")
    assert ask["topic"] == "case_status" and "办件编号" in texts(ask)
    bad = say(gateway, sender, "12345")  # digits, but no case number: the form says so and asks again
    assert bad["topic"] == "case_status"
    assert "不像办件编号" in texts(bad) and "请告诉我您的办件编号" in texts(bad)
    phone = say(gateway, sender, number)
    assert phone["topic"] == "case_status" and "后四位" in texts(phone)
    status = say(gateway, sender, "尾号5678")
    reply = texts(status)
    assert status["topic"] == "case_status" and number in reply
    assert "补充材料" in reply and "请补交户口本复印件" in reply
