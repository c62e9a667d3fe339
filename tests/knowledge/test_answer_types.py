"""The kind of fact a follow-up asks for, and the answers that state one (knowledge/answer_types.py),
checked on wordings that are not in the dialogue scripts (the ranker preferring those answers:
tests/knowledge/test_answer_ranker.py)."""

from __future__ import annotations

import pytest

from knowledge import answer_types


@pytest.mark.parametrize("text,kind", [
    ("认证隔多长时间做一次", "frequency"), ("一年要弄几回", "frequency"), ("is it once a year", "frequency"),
    ("护照管几年", "validity"), ("how long will it last", "validity"),
    ("热线打哪个", "phone"), ("who do i call", "phone"),
    ("要交够几年才行", "years"), ("how many years do I need", "years"),
    ("要是错过了会咋样", "consequence"), ("what happens if he skips it", "consequence"), ("do i lose the money", "consequence"),
    ("when the money come", "payment"), ("钱啥时候到账", "payment"),
    ("这个证能干嘛用", "purpose"), ("what do I get from having one", "purpose"),
    ("坐轮椅能进去吗", "access"), ("is there a ramp", "access"),
])
def test_the_kind_of_fact_a_question_asks_for(text, kind):
    assert kind in answer_types.asked(text)


@pytest.mark.parametrize("text", ["多少钱", "where do I go", "要带啥", "在哪儿办", "can my son do it",
                                  "what if I'm abroad then"])
def test_plain_questions_ask_for_none_of_them(text):
    assert answer_types.asked(text) == frozenset()


def test_answers_state_their_kinds():
    assert answer_types.stated("每12个月认证一次，超过12个月未认证暂停发放") == {"frequency", "consequence"}
    assert answer_types.stated("Call 12345 for a home visit.") == {"phone"}
    assert answer_types.stated("A card renewed at 46 or older is valid for life.") == {"validity", "age"}
    assert answer_types.stated("大约7个工作日办好。") == frozenset()

