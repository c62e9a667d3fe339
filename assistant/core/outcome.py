"""How a turn ended, in four words operators can count (the ``outcome`` of the turn metrics).

Pure, and read from what the core already knows about the turn (:class:`TurnResult`), so no
channel and no action has to report it:

* ``handoff``: the person was handed to staff (the handoff action ran or the topic is handoff);
* ``clarified``: the guide asked back ("did you mean one of these?"). It marks such a turn with
  the ``unanswered`` slot, as it does a refusal, and also counts the miss in ``misses``;
* ``fallback``: nothing we could serve: the topic is ``out_of_scope`` (a polite "not here, go
  there" included: the person still did not get a government service), Rasa's fallback, or a
  dependency down (the apology);
* ``answered``: everything else, a form's next question included (that is progress, not doubt).
"""

from __future__ import annotations

from typing import Literal, Tuple

from assistant.core.turns import TurnResult

Outcome = Literal["answered", "clarified", "fallback", "handoff"]
OUTCOMES: Tuple[Outcome, ...] = ("answered", "clarified", "fallback", "handoff")


def outcome_of(result: TurnResult) -> Outcome:
    """The turn's outcome; handoff wins over the rest (a second miss may offer staff)."""
    if result.handoff:
        return "handoff"
    if result.slots_set.get("unanswered") is True and "misses" in result.slots_set:
        return "clarified"
    if result.fallback or result.topic == "out_of_scope":
        return "fallback"
    return "answered"
