"""What kind of fact a follow-up asks for (how often, how long it stays valid, a phone number,
how many years, what happens if not), and which answers state such a fact.

Among one matter's answers the embeddings often differ by less than 0.01: "how often" is as close
to the processing time ("7 working days") as to the yearly check-up ("每年提交一次体检证明"),
because both are about time. A question-answering system asks what type of answer a question
expects and prefers passages that contain one; so does the answer ranker
(``knowledge/semantic.py``). Pure and catalogue-independent: the patterns name kinds of facts,
not matters.
"""

from __future__ import annotations

import re
from typing import FrozenSet, Pattern, Tuple

from knowledge.cues import FREQUENCY

#: kind -> (the question asks for it, an answer states it)
TYPES: Tuple[Tuple[str, Pattern[str], Pattern[str]], ...] = (
    ("frequency",
     re.compile(FREQUENCY.pattern + r"|几年一次|每年都|每年要|每年还|年年|一年.{0,4}几[回次]|yearly|annual|"
                r"every \d+ (?:year|month)", re.I),
     re.compile(r"每年|每\d+个?月|每\d+年|一年一次|每个月|every year|each year|every \d+ (?:months|years)|annual|"
                r"yearly|once a year", re.I)),
    ("validity",
     re.compile(r"有效期|能用几年|能用多久|管几年|用几年|管多久|几年有效|多久过期|valid|how long does it last|"
                r"how long is it good|how long will it last|expire", re.I),
     re.compile(r"有效期|长期有效|\d年有效|valid for|valid until|validity|valid \d|valid for life", re.I)),
    ("phone",
     re.compile(r"电话|号码是|热线|打哪个|拨打|phone number|what is the number|which number|hotline|number to call|"
                r"call who|who do i call", re.I),
     re.compile(r"(?<!\d)1\d{4}(?!\d)|热线|hotline", re.I)),
    ("years",
     re.compile(r"多少年|满几年|够几年|交几年|交够|几年才|how many (?:years|yrs|yr)|years needed", re.I),
     re.compile(r"满\d+年|\d+年以上|累计.{0,6}\d+年|\d+ years", re.I)),
    ("purpose",
     re.compile(r"好处|有啥用|有什么用|有嘛用|啥用|干嘛用|干啥用|用处|用得上|有什么优惠|what.{0,12}good for|benefit|"
                r"what do i get|the point of|what can i do with|why do i need", re.I),
     re.compile(r"要用到|都要用|用得上|享受|可以用来|good for|you need it for|benefit|entitle|lets you", re.I)),
    ("payment",  # "when the money come", "钱啥时候到账": when it is paid, not how long the office takes
     re.compile(r"到账|钱.{0,3}(?:啥时候|什么时候|几时|多久)|(?:啥时候|什么时候|几时)(?:开始)?发(?:钱)?|money (?:come|arrive)|"
                r"first payment|get paid|when.{0,20}(?:paid|pay out|payments? start|money)", re.I),
     re.compile(r"到账|发到|打到|次月起|每月\d+日前|paid to|paid into|by the \d+th|month after", re.I)),
    ("access",
     re.compile(r"无障碍|轮椅|坡道|电梯|残疾人通道|step-free|step free|wheelchair|ramp|lift|elevator|accessible", re.I),
     re.compile(r"无障碍|轮椅|坡道|电梯|step-free|wheelchair|ramp|lift|accessible", re.I)),
    ("age",  # "我老伴九十一了呢", "I'm 63": what applies at that age
     re.compile(r"[六七八九]十[一二三四五六七八九]?(?:岁|了|呢)|(?<!\d)[1-9]\d(?:岁|了|周岁)|今年\d{2}|"
                r"\b(?:i'?m|he'?s|she'?s|is|am|aged|turned|turning) [1-9]\d\b|\b[1-9]\d (?:years old|yrs old)", re.I),
     re.compile(r"\d{2}-\d{2}岁|\d{2}(?:周)?岁以上|\d{2}(?:周)?岁以下|年满\d{2}(?:周)?岁|\b\d{2}-\d{2}\b|\d{2} or (?:over|older)|aged \d{2}|"
                r"(?:over|under) \d{2}|\d{2} and (?:over|older)|\d{2}\+",
                re.I)),
    ("consequence",
     re.compile(r"不.{0,3}会(?:咋样|怎么样|怎样|有啥)|不交会|不办会|晚办|会少钱|少拿|忘了|错过|没.{0,4}的话|要是没|如果没|会怎样|会咋样|"
                r"what happens if|if (?:i|he|she|we|they) (?:don'?t|doesn'?t|didn'?t|miss|forget|skip|fail|never)|"
                r"if (?:i'?m|he'?s|she'?s|i am|we are|they are) late|if not|otherwise|miss it|forget|"
                r"先试?(?:营业|开业|开张|开门|卖)|试营业|\b(?:open|sell|trade|start) (?:first|before)\b|"
                r"\b(?:lose|losing|lost) (?:the |my |his |her |that |any |out on )?(?:money|pension|payments?|benefits?)\b",
                re.I),
     re.compile(r"注销|暂停|停发|停止发放|降低|失效|作废|罚款|补发|suspend|cancel|stopp|lower|no longer valid|invalid|"
                r"fine|backdated|paid back", re.I)),
)


def asked(text: str) -> FrozenSet[str]:
    """The kinds of fact ``text`` asks for (usually none or one)."""
    return frozenset(kind for kind, question, _ in TYPES if question.search(text))


def stated(text: str) -> FrozenSet[str]:
    """The kinds of fact ``text`` (an answer) states."""
    return frozenset(kind for kind, _, answer in TYPES if answer.search(text))
