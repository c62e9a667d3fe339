"""The conversation's thread, decided without the model: cues, subjects kept and changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge import cues
from knowledge.catalogue import get_catalogue
from knowledge.guide import Context, Message, Subject, decide
from knowledge.search import get_index
from knowledge.semantic import get_matcher, get_ranker

PASSPORT = Subject("matter", "passport")


def run(text: str, ctx: Context = Context(), intent: str = "nlu_fallback", confidence: float = 0.4):
    return decide(Message(text, intent, confidence), ctx, get_index(), get_catalogue())


@pytest.mark.parametrize("text, aspect", [
    ("得带些啥", "materials"), ("要带户口本不", "materials"), ("收多少钱", "fee"), ("收费不", "fee"),
    ("上哪儿办", "where"), ("手机上能办不", "online"), ("家里人能代办吗", "proxy"), ("how lomg", "time"),
    ("wher do i apply", "where"), ("is there a deadline?", "deadline"), ("can i do it online", "online"),
    ("咋整", "process"), ("周末开门吗", "hours"), ("where do I pick it up", "collect"), ("护照", None),
    ("could it be mailed to me", "collect"), ("我和对象想去领证", None), ("which one first", "process"),
    ("这几样先办哪个", "process"), ("how long do we have for that", "deadline"), ("我走不动能叫儿子去不", "proxy"),
    ("让她去办行不", "proxy"), ("托邻居帮我交材料行吗", "proxy"), ("去窗口要带啥", "materials"),
    ("photo requirements?", "materials"), ("and in person where", "where"), ("do i have to go in person", "proxy"),
    ("what are the requirements", "eligibility"), ("在哪个窗口", "where"),
    ("my mum lost her ID card, can I replace it for her", "proxy"), ("can i get a passport for my son", None),
    ("how do i do the pension proof of life", "process"), ("he cannot travel", "proxy"),
    ("拿到了要激活不", None), ("拿到了没", "collect"), ("any fees for all this", "fee"),
    ("how do I claim my medicine costs then", "process"), ("寄要钱不", "collect"),
    ("几天以内要办", "deadline"), ("多少天里头得去", "deadline"), ("几天内能办好", "time"),
    ("how long is the temp one good for", "deadline"), ("临时的能用多久", "deadline"),
    ("我是送外卖的 社保咋交", None), ("i'm a delivery driver", None), ("能快递到家吗", "collect"),
])
def test_aspect_cues(text, aspect):
    assert cues.aspect(text) == aspect


@pytest.mark.parametrize("text, yes_no", [("收费不", True), ("这个要钱吗", True), ("得带什么", False),
                                          ("can my son apply", True), ("how much", False), ("怎么办", False)])
def test_yes_no_questions(text, yes_no):
    assert cues.is_yes_no(text) is yes_no


def test_a_follow_up_keeps_the_subject_even_when_the_model_guesses_another_matter():
    ctx = Context(subject=PASSPORT)
    decision = run("得带什么", ctx, intent="id_card", confidence=0.7)
    assert (decision.move, decision.subject, decision.aspect) == ("answer", PASSPORT, "materials")


def test_a_document_named_in_a_follow_up_is_not_a_new_subject():
    decision = run("要带身份证吗", Context(subject=PASSPORT), intent="id_card", confidence=0.8)
    assert decision.subject == PASSPORT and decision.aspect == "materials" and decision.yes_no


def test_naming_another_matter_changes_the_subject_and_what_about_keeps_the_question():
    decision = run("那身份证呢", Context(subject=PASSPORT, aspect="fee"), intent="id_card", confidence=0.9)
    assert decision.subject == Subject("matter", "id_card") and decision.aspect == "fee"


def test_who_it_is_for_is_noticed_and_kept():
    first = run("我儿子的护照怎么办", Context(), intent="passport", confidence=0.9)
    assert first.subject == PASSPORT and first.who == "minor"
    later = run("多少钱", Context(subject=PASSPORT, who="minor"))
    assert later.who == "minor" and later.aspect == "fee"


@pytest.mark.parametrize("text, kind", [("我想挂个专家号", "hospital"), ("点个外卖", "delivery"),
                                        ("how can I avoid paying tax", "tax_avoidance"),
                                        ("推荐一只股票", "stocks"), ("帮我推荐个拍婚纱照的影楼", "other"),
                                        ("any tips on a nice wedding venue", "other"),
                                        ("顾客说吃坏了要起诉我", "legal"), ("he wants to sue me", "legal")])
def test_requests_that_are_not_ours_are_said_so(text, kind):
    decision = run(text, Context(subject=PASSPORT), intent="out_of_scope", confidence=0.6)
    assert decision.move == "not_ours" and decision.detail == kind


def test_a_death_in_the_family_gets_the_bereavement_event_once():
    assert run("我爸昨天走了", Context()).move == "bereavement"
    in_it = run("死亡证明去哪开", Context(subject=Subject("event", "bereavement")))
    assert in_it.move != "bereavement"


@pytest.mark.parametrize("text, lang, step", [("how do we cancel my late father's hukou", "en", "death_registration"),
                                              ("我妈走了她的养老金怎么停", "zh", "funeral_subsidy")])
def test_a_death_with_a_step_named_gets_the_condolence_and_that_step(text, lang, step):
    decision = decide(Message(text), Context(lang=lang), get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "bereavement" and decision.subject == Subject("event", "bereavement")
    assert decision.focus == step


def test_follow_ups_after_a_case_are_about_the_case():
    ctx = Context(subject=Subject("case", "SZ2024001234"), case_matter="passport")
    decision = run("when will it be ready?", ctx, intent="case_status", confidence=0.6)
    assert decision.move == "case" and decision.aspect == "time"


def test_repeat_simplify_and_switch_keep_the_subject():
    ctx = Context(subject=PASSPORT, aspect="fee")
    assert run("再说一遍", ctx).move == "repeat"
    assert run("字太多了看不明白", ctx).move == "simplify"
    switched = run("can you say that in English?", ctx)
    assert switched.move == "switch" and switched.detail == "en" and switched.aspect == "fee"


def test_nothing_known_asks_back():
    assert run("嗯那个啥", Context()).move in ("clarify", "out_of_scope")


def test_a_typo_like_word_in_a_follow_up_does_not_change_the_subject():
    marriage = Subject("matter", "marriage_registration")
    decision = run("photo requirements?", Context(lang="en", subject=marriage))
    assert decision.subject == marriage  # "requirements" only looks like "retirement"


@pytest.mark.parametrize("text, kind", [("有人打电话让我把钱转到安全账户", "scam"),
                                        ("帮我查一下快递到哪了", "delivery"),
                                        ("book me a train ticket to Beijing", "travel"),
                                        ("how can i hide some income from the tax office", "tax_avoidance")])
def test_what_we_do_not_handle_is_said_to_be_someone_elses(text, kind):
    decision = run(text, Context(lang="en" if text.isascii() else "zh"))
    assert (decision.move, decision.detail) == ("not_ours", kind)


def rank(text, matters, lang, aspect):
    """The real answer ranker (sentence encoder and all), as the action passes it."""
    return get_ranker().rank(text, matters, lang, aspect, get_matcher())


def test_a_follow_up_takes_the_answer_the_ranking_puts_first():
    decision = decide(Message("那得掏多少钱", "nlu_fallback", 0.3), Context(subject=PASSPORT), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert (decision.move, decision.subject, decision.aspect) == ("answer", PASSPORT, "fee")


def test_a_step_named_inside_a_life_event_is_answered_in_the_event():
    death = Subject("event", "bereavement")
    decision = decide(Message("户口多久内要销", "household_registration", 0.9), Context(subject=death), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert (decision.subject, decision.focus, decision.aspect) == (death, "death_registration", "deadline")


@pytest.mark.parametrize("text, ctx", [("孩子刚生下来咋上户口", Context()),
                                       ("我是孩子奶奶想帮孙子上户口", Context()),
                                       ("and the hukou deadline", Context(lang="en", subject=Subject("event", "having_a_baby")))])
def test_a_babys_hukou_is_its_birth_registration(text, ctx):
    decision = run(text, ctx, intent="household_registration", confidence=0.9)
    assert Subject("matter", "birth_registration") in (decision.subject, Subject("matter", decision.focus or "-")) \
        or decision.subject == Subject("event", "having_a_baby") and decision.focus == "birth_registration"


def test_an_adults_hukou_move_stays_a_hukou_move():
    decision = run("我想把户口迁到江州", Context(), intent="household_registration", confidence=0.9)
    assert decision.subject == Subject("matter", "household_registration")


def test_a_document_named_alone_is_a_new_subject():
    residence = Subject("matter", "residence_permit")
    assert run("身份证", Context(subject=residence), intent="id_card", confidence=0.9).subject == Subject("matter", "id_card")
    assert run("要带身份证吗", Context(subject=residence), intent="id_card", confidence=0.9).subject == residence


def test_a_matter_only_the_model_suggests_must_fit_better_than_the_current_one():
    pension = Subject("matter", "pension_claim")
    stays = decide(Message("how many years must I have paid", "social_security", 0.95),
                   Context(lang="en", subject=pension), get_index(), get_catalogue(), rank_answers=rank)
    assert stays.subject == pension
    moves = decide(Message("养老金多久认证一次", "pension_certification", 0.95), Context(subject=pension),
                   get_index(), get_catalogue(), rank_answers=rank)
    assert moves.subject == Subject("matter", "pension_certification")


@pytest.mark.parametrize("text, handoff", [("转人工", True), ("can I talk to a real person", True),
                                          ("我听不懂字太多", False), ("有人打电话让我买理财说政府担保的", False)])
def test_asking_for_a_person_is_told_apart_from_words_that_only_sound_like_it(text, handoff):
    assert cues.says(text, "handoff") is handoff


@pytest.mark.parametrize("text", ["还有你们大厅B区那个窗口的人也很凶", "I waited two hours and nobody helped",
                                  "the woman at your window shouted at me"])
def test_a_complaint_about_our_service_is_feedback_even_when_it_names_a_place_or_a_time(text):
    assert run(text, Context(lang="en" if text.isascii() else "zh")).move == "complaint"


@pytest.mark.parametrize("text", ["我舅舅还没退休人就没了", "我姑姑上个月走了"])
def test_any_relative_passing_away_is_a_bereavement(text):
    assert run(text).move == "bereavement"


def test_a_case_word_inside_a_question_about_the_matter_does_not_start_the_case_check():
    allowance = Subject("matter", "elderly_allowance")
    decision = decide(Message("多久能批下来", "case_status", 0.9), Context(subject=allowance), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert decision.move != "form" and decision.subject == allowance


def test_a_case_word_with_a_named_matter_and_its_time_asks_the_time_not_for_a_case():
    decision = decide(Message("食品证批下来要几天", "food_business_permit", 0.7), Context(), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert (decision.move, decision.subject, decision.aspect) == \
        ("answer", Subject("matter", "food_business_permit"), "time")  # not how long the permit stays valid
    mine = decide(Message("is my hukou paperwork done", "case_status", 0.9), Context(lang="en"), get_index(),
                  get_catalogue(), rank_answers=rank)
    assert mine.move == "form" and mine.detail == "case_status_form"


def test_a_shop_selling_a_word_of_someone_elses_business_is_ours():
    opening = decide(Message("我想跟朋友合伙开个奶茶店 要办哪些手续啊", "starting_a_business", 0.94), Context(),
                     get_index(), get_catalogue(), rank_answers=rank)
    assert opening.subject == Subject("event", "starting_a_business")
    assert run("想喝奶茶 给我点一杯").move == "not_ours"


@pytest.mark.parametrize("text, lang, current, qa", [
    ("my wife is in bed she cant walk she gets pension too", "en", "pension_certification", "卧床起不来怎么认证？"),
    ("我爸就领退休金 他要弄吗", "zh", "individual_tax", "只有养老金要办个税汇算吗？"),
])
def test_a_pensioner_told_of_keeps_the_subject(text, lang, current, qa):
    decision = decide(Message(text, "pension_claim", 0.6), Context(lang=lang, subject=Subject("matter", current)),
                      get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("matter", current) and decision.qa == (current, qa)


@pytest.mark.parametrize("text, lang, intent, subject", [
    ("老婆刚生完 宝宝上户口医保这些要怎么弄", "zh", "birth_registration", Subject("event", "having_a_baby")),
    ("how do I get medical insurance for my newborn", "en", "medical_insurance", Subject("matter", "medical_insurance")),
    ("身份证和户口本都丢了", "zh", "id_card", Subject("matter", "id_card")),  # two matters of no one event
])
def test_two_steps_of_one_life_event_named_together_are_the_event(text, lang, intent, subject):
    decision = decide(Message(text, intent, 0.8), Context(lang=lang), get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == subject


def test_a_status_told_on_a_first_turn_may_be_the_request_itself():
    decision = decide(Message("I freelance - can I pay my own social insurance?", "nlu_fallback", 0.4),
                      Context(lang="en"), get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("matter", "social_security")
    assert cues.without_status("上户口在哪个窗口") == "上户口在哪个窗口"  # a question, not where the hukou is


@pytest.mark.parametrize("text, subject", [("医保也断了呢", "social_security"), ("那医保呢", "medical_insurance")])
def test_what_about_a_thing_the_current_matter_speaks_of_is_asked_of_it(text, subject):
    gap = Context(subject=Subject("matter", "social_security"))
    decision = decide(Message(text, "medical_insurance", 0.8), gap, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("matter", subject)


@pytest.mark.parametrize("text, lang, step", [("刻章要钱吗", "zh", "business_license"),
                                              ("what about invoices", "en", "individual_tax")])
def test_a_word_of_one_steps_note_moves_to_that_step(text, lang, step):
    business = Context(lang=lang, subject=Subject("event", "starting_a_business"), topic="food_business_permit")
    decision = decide(Message(text, "nlu_fallback", 0.4), business, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.focus == step


def test_a_word_the_current_matter_uses_itself_does_not_change_the_subject():
    permit = Subject("matter", "residence_permit")
    decision = decide(Message("签注多久一次", "passport", 0.9), Context(subject=permit), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert decision.subject == permit


@pytest.mark.parametrize("text, kind", [("我老公是美国人想在江州办个居住证", "foreigner"), ("儿媳妇是越南的呢", "foreigner"),
                                        ("我们单位的韩国同事能办吗", "foreigner"), ("im british and work in jiangzhou", "foreigner"),
                                        ("I'm a German national working here", "foreigner"),
                                        ("his fiancee is from vietnam", "foreigner"), ("im from anhui", None),
                                        ("we came back from japan", None),
                                        ("english please", None), ("I am a Chinese citizen", None)])
def test_a_nationality_said_in_passing_is_a_foreigner(text, kind):
    assert cues.who(text) == kind


@pytest.mark.parametrize("text, aspect", [("一个月多少钱", None), ("how much is the funeral grant", None),
                                          ("身份证多少钱", "fee"), ("罚钱不", "deadline"), ("is there a fine", "deadline"),
                                          ("提前多久办", "deadline"), ("开放时间呢", "hours")])
def test_what_a_benefit_pays_and_fines_are_not_fees(text, aspect):
    assert cues.aspect(text) == aspect


@pytest.mark.parametrize("text, aspect", [("多久能拿到证", "time"), ("how long till I get it back", "time"),
                                          ("什么时候能拿", "collect"), ("登记费呢", "fee")])
def test_how_long_until_it_is_in_hand_is_the_time(text, aspect):
    assert cues.aspect(text) == aspect


@pytest.mark.parametrize("text, aspect", [("钱发到哪张卡", "collect"), ("钱打到哪", "collect"),
                                          ("paid to which card", "collect"), ("where does the money go", "collect"),
                                          ("在哪办", "where")])
def test_where_money_is_paid_is_not_where_to_apply(text, aspect):
    assert cues.aspect(text) == aspect


@pytest.mark.parametrize("text, kind", [("我闺女能用她手机帮我弄不", "agent"), ("can my son do it for me", "agent"),
                                        ("我腿脚不好能让儿子去吗", "agent"), ("我儿子的护照怎么办", "minor"),
                                        ("俺闺女拿她手机帮俺弄行不", "agent"), ("叫俺儿子去跑中不中", "agent"),
                                        ("俺七十一了还想开车接送孙子 驾照咋弄", "senior"),
                                        ("俺后天就得坐火车去看闺女 等不及咋整", None)])
def test_a_child_who_helps_is_an_agent(text, kind):
    assert cues.who(text) == kind


@pytest.mark.parametrize("text, kind", [("I just moved here from Germany for a job", "foreigner"),
                                        ("我刚从德国过来工作", "foreigner"), ("I moved here from chengdu", None),
                                        ("my son says my id card is running out", None), ("我闺女说我身份证过期了", None),
                                        ("我女儿说想办护照", "minor")])
def test_moving_here_from_another_country_is_a_foreign_national(text, kind):
    assert cues.who(text) == kind


@pytest.mark.parametrize("text, lang, subject", [
    ("我退休了想开个小卖部要办啥", "zh", "business_license"),
    ("I only have my pension, do I need to do the tax settlement", "en", "individual_tax"),
])
def test_what_a_person_says_of_who_they_are_does_not_name_the_subject(text, lang, subject):
    decision = decide(Message(text, "retiring" if lang == "zh" else "pension_claim", 0.9), Context(lang=lang),
                      get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("matter", subject)
    assert cues.without_status("我妈是中国户口今年81呢") == "我妈是 今年81呢"
    assert cues.without_status("户口怎么迁") == "户口怎么迁"  # the hukou itself is the request


def test_in_a_life_event_the_step_just_discussed_stays_until_another_or_the_whole_event_is_asked_about():
    retiring = Subject("event", "retiring")
    on_step = Context(subject=retiring, topic="pension_claim")
    stays = decide(Message("要交满多少年"), on_step, get_index(), get_catalogue(), rank_answers=rank)
    assert stays.subject == retiring and stays.focus == "pension_claim"
    business = Context(subject=Subject("event", "starting_a_business"), topic="social_security")
    moves = decide(Message("税务那边在哪个区"), business, get_index(), get_catalogue(), rank_answers=rank)
    assert moves.focus == "individual_tax" and moves.aspect == "where"
    whole = decide(Message("一共在哪办"), on_step, get_index(), get_catalogue(), rank_answers=rank)
    assert whole.focus is None and whole.aspect == "where"


@pytest.mark.parametrize("text, lang, topic, focus", [
    ("他的养老金咋办", "zh", "death_registration", "funeral_subsidy"),  # a word of that step's name
    ("and what about his pension", "en", "death_registration", "funeral_subsidy"),
    ("多久到账", "zh", "funeral_subsidy", "funeral_subsidy"),  # not "报销多久到账" of medical insurance
])
def test_after_a_death_the_step_moves_only_when_the_words_name_another(text, lang, topic, focus):
    ctx = Context(lang=lang, subject=Subject("event", "bereavement"), topic=topic)
    decision = decide(Message(text, "ask_fees_time", 0.7), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == ctx.subject and decision.focus == focus


def test_an_opening_question_gets_its_q_and_a_then_the_essentials():
    decision = decide(Message("I only paid pension for 11 years, can I still get a pension", "pension_claim", 0.9),
                      Context(lang="en"), get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "qa" and decision.with_overview and "15" in decision.qa[1]


def test_next_after_the_hall_is_the_hall_again_not_a_failed_turn():
    from actions.guide import render
    from knowledge.guide import Decision

    reply = render(Decision("next_step", Subject("hall", "main")), Context(), get_catalogue(), {})
    assert reply.slots["topic"] == "service_hall_info" and "9:00" in reply.messages[0].text


@pytest.mark.parametrize("text, lang", [("can my mother in law go instead", "en"), ("can my wife go instead", "en"),
                                        ("我老婆能帮我去领吗", "zh")])
def test_a_relative_going_instead_of_the_person_is_an_agent_asking_about_proxies(text, lang):
    decision = decide(Message(text), Context(lang=lang, subject=Subject("matter", "birth_registration")), get_index(),
                      get_catalogue(), rank_answers=rank)
    assert decision.who == "agent" and decision.subject == Subject("matter", "birth_registration")


@pytest.mark.parametrize("text, lang", [("他能办身份证吗", "zh"), ("could she get a Chinese ID card", "en")])
def test_getting_a_document_of_the_current_matter_is_that_document_and_a_foreign_national_stays_one(text, lang):
    """The ID card is a document of the residence permit; getting one makes it the subject, and
    the foreign national the conversation is about is still a foreign national."""
    ctx = Context(subject=Subject("matter", "residence_permit"), who="foreigner", lang=lang)
    decision = run(text, ctx, intent="id_card", confidence=0.95)
    assert decision.subject == Subject("matter", "id_card") and decision.who == "foreigner"


def test_bringing_a_document_of_the_current_matter_keeps_the_matter():
    decision = run("do I need to bring my ID card", Context(subject=Subject("matter", "residence_permit"), lang="en"),
                   intent="id_card", confidence=0.9)
    assert decision.subject == Subject("matter", "residence_permit")


@pytest.mark.parametrize("previous, text, lang", [
    ("高龄津贴一个月给多少", "我爸八十五了", "zh"), ("how much does the allowance pay", "my dad is 92", "en")])
def test_an_age_alone_asks_the_previous_question_again_at_that_age(previous, text, lang):
    allowance = Subject("matter", "elderly_allowance")
    ctx = Context(subject=allowance, lang=lang, previous=previous)
    decision = decide(Message(text, "nlu_fallback", 0.3), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == allowance and decision.qa == ("elderly_allowance", "高龄津贴每月多少钱？")


@pytest.mark.parametrize("text, lang", [("能不能快一点，急用", "zh"), ("is there an express option", "en")])
def test_hurrying_a_case_asks_whether_its_matter_can_be_hurried(text, lang):
    ctx = Context(subject=Subject("case", "SZ2024001234"), case_matter="passport", lang=lang)
    decision = decide(Message(text, "case_status", 0.6), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert (decision.move, decision.subject, decision.aspect) == ("answer", PASSPORT, "time")


def test_a_daughter_going_for_her_parent_stays_the_agent():
    hukou = Subject("matter", "household_registration")
    asked = run("我腿不好能让闺女去不", Context(subject=hukou, elderly=True))
    assert asked.aspect == "proxy" and asked.who == "agent"
    then = run("闺女要带啥", Context(subject=hukou, who="agent", elderly=True))
    assert then.aspect == "materials" and then.who == "agent"


def test_a_wrong_entry_on_the_hukou_gets_how_to_correct_it():
    decision = decide(Message("户口本上我的名字登记错了咋办", "household_registration", 0.9), Context(), get_index(),
                      get_catalogue(), get_matcher().best, rank_answers=rank)
    assert decision.qa == ("household_registration", "户口本上的信息写错了怎么改？")


def test_a_baby_after_a_relative_acting_is_a_child_again():
    decision = run("what about the baby's medical insurance",
                   Context(subject=Subject("matter", "birth_registration"), who="agent", lang="en"),
                   intent="medical_insurance", confidence=0.9)
    assert decision.subject == Subject("matter", "medical_insurance") and decision.who == "minor"


def test_a_son_sent_by_an_old_parent_is_an_agent_not_a_child():
    decision = run("我走不动能叫儿子去不", Context(subject=Subject("matter", "elderly_allowance"), elderly=True))
    assert decision.aspect == "proxy" and decision.who == "agent"


@pytest.mark.parametrize("text, greets", [("在吗", True), ("你好，在吗？", True), ("有人吗?", True),
                                          ("hello? anyone there", True), ("在吗 我想办身份证", False),
                                          ("?", False), ("hi i need a passport", False)])
def test_checking_someone_is_there_is_a_greeting_not_a_question(text, greets):
    decision = run(text, Context(subject=PASSPORT))
    assert (decision.move == "small_talk" and decision.detail == "greet") is greets
    if greets:
        assert decision.subject == PASSPORT  # the matter under way is kept for the next question


@pytest.mark.parametrize("text, cancels", [("I need to cancel a booking", True), ("cancel my passport appointment", True),
                                           ("取消一下明天的预约", True), ("预约不要了", True), ("how do I book", False)])
def test_cancelling_a_booking_is_heard_however_it_is_put(text, cancels):
    assert cues.says(text, "cancel_booking") is cancels


def test_saying_who_someone_is_is_not_asking_for_the_next_step():
    decision = run("儿媳妇是越南的呢", Context(subject=Subject("matter", "marriage_registration")), intent="next_step",
                   confidence=0.86)
    assert decision.move != "next_step" and decision.who == "foreigner"


def test_a_foreign_nationals_death_keeps_who_for_the_steps_that_follow():
    decision = run("我丈夫是日本人在江州去世了我该办什么", intent="bereavement", confidence=0.9)
    assert decision.move == "bereavement" and decision.who == "foreigner"
    later = run("我爸走了", Context(), intent="bereavement", confidence=0.9)
    assert later.who is None  # a parent is not "a senior applying": no note of that kind after a death


def test_the_reply_to_a_clarifying_question_completes_the_first_message():
    card = get_catalogue().matter("social_security_card")
    decision = decide(Message("社保卡", "social_security_card", 0.9), Context(misses=1, previous="卡丢了"), get_index(),
                      get_catalogue(), get_matcher().best, rank_answers=rank)
    assert decision.subject == Subject("matter", "social_security_card") and decision.move == "qa"
    assert "挂失" in next(q.a.zh for q in card.faq if q.q.zh == decision.qa[1])  # the lost card's answer


@pytest.mark.parametrize("text, lang, guess", [("卡丢了", "zh", "social_security_card"),
                                               ("I lost my card", "en", "residence_permit"),
                                               ("卡找不到了", "zh", "social_security_card")])
def test_a_thing_named_only_by_its_kind_is_asked_back_which_one(text, lang, guess):
    ranking = [{"name": guess, "confidence": 0.65}, {"name": "id_card", "confidence": 0.2}]
    decision = decide(Message(text, guess, 0.65, ranking), Context(lang=lang), get_index(), get_catalogue())
    assert decision.move == "clarify" and len(decision.candidates) >= 2 and "id_card" in decision.candidates
    assert decision.detail == "certificate" or "residence_permit" not in decision.candidates  # a permit is no card


@pytest.mark.parametrize("text, lang, ctx", [
    ("社保卡丢了", "zh", Context()), ("I lost my ID card", "en", Context(lang="en")),
    ("钱发到哪张卡", "zh", Context(subject=Subject("matter", "pension_claim"))),
    ("我银行卡丢了", "zh", Context()),
    ("the card got lost", "en", Context(lang="en", subject=Subject("matter", "social_security_card"))),
])
def test_a_card_that_is_named_or_under_way_is_not_asked_back(text, lang, ctx):
    assert run(text, ctx, intent="social_security_card", confidence=0.65).move != "clarify"


@pytest.mark.parametrize("text, lang", [("接下来还要我干啥", "zh"), ("what happens now", "en")])
def test_what_comes_next_after_a_case_is_its_status(text, lang):
    ctx = Context(lang=lang, subject=Subject("case", "RS2024000456"), case_matter="pension_certification")
    decision = decide(Message(text, "case_status", 0.55), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert (decision.move, decision.aspect) == ("case", "status")


@pytest.mark.parametrize("previous, text, lang, matter, answer", [
    ("补办多少钱", "临时的呢", "zh", "id_card", "10元"),
    ("how much is the funeral grant", "and the survivors pension", "en", "funeral_subsidy", "20 months"),
])
def test_what_about_another_part_asks_the_last_question_of_it(previous, text, lang, matter, answer):
    ctx = Context(lang=lang, subject=Subject("matter", matter), aspect="fee", previous=previous)
    decision = decide(Message(text), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "qa" and decision.subject == Subject("matter", matter)
    qa = next(q for q in get_catalogue().matters[matter].faq if q.q.zh == decision.qa[1])
    assert answer in qa.a(lang)


def test_the_pension_after_a_death_is_stopping_it():
    ctx = Context(subject=Subject("event", "bereavement"), topic="death_registration", previous="在哪销")
    decision = decide(Message("她的退休金咋办", "retiring", 0.7), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("event", "bereavement") and decision.focus == "funeral_subsidy"


@pytest.mark.parametrize("previous, reply, lang", [("I lost my card", "social security one", "en"),
                                                   ("卡丢了", "社保的", "zh")])
def test_the_reply_to_which_card_is_one_of_the_cards(previous, reply, lang):
    ctx = Context(lang=lang, misses=1, previous=previous)
    decision = decide(Message(reply, "social_security", 0.97), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == Subject("matter", "social_security_card")


def test_a_homophone_of_a_name_says_which_certificate():
    assert run("嗯那个残积证怎么办啊", intent="disability_certificate", confidence=0.6).move != "clarify"


def test_misspelt_question_words_are_mended_before_the_meaning_is_read():
    assert cues.mend("Wher do i apply, how lomg") == "where do i apply, how long"
    assert cues.mend("我的身份证丢了") == "我的身份证丢了"
    assert cues.mend("俺老头子瘫在床上起不来 咋整") == "我老伴卧床起不来 怎么办"  # as the catalogue words it


@pytest.mark.parametrize("text, aspect", [("多长时间得认证一回啊", "frequency"), ("那咋认证啊", "process")])
def test_how_often_and_how_in_older_words(text, aspect):
    assert cues.aspect(text) == aspect


@pytest.mark.parametrize("previous, text, lang", [("社保只交了十二年能领养老金不", "那咋办", "zh"),
                                                  ("I only paid in for 11 years, can I still get a pension",
                                                   "so what are my options", "en")])
def test_what_to_do_asks_about_what_was_just_said(previous, text, lang):
    ctx = Context(lang=lang, subject=Subject("matter", "pension_claim"), previous=previous)
    decision = decide(Message(text), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "qa" and "15" in decision.qa[1]


def test_simpler_words_in_a_life_event_are_of_the_step_just_discussed():
    ctx = Context(subject=Subject("event", "bereavement"), topic="funeral_subsidy", elderly=True)
    decision = run("字太多了", ctx)
    assert decision.move == "simplify" and decision.focus == "funeral_subsidy"
    assert run("字太多了", replace(ctx, topic="bereavement")).focus is None


def test_after_a_death_the_pension_word_does_not_make_the_person_a_senior():
    ctx = Context(subject=Subject("event", "bereavement"), topic="death_registration")
    decision = decide(Message("她的退休金咋办", "funeral_subsidy", 0.97), ctx, get_index(), get_catalogue(),
                      rank_answers=rank)
    assert decision.who is None and decision.focus == "funeral_subsidy"


@pytest.mark.parametrize("previous, text, lang", [("how much can i deduct for supporting my parents", "i have a brother", "en"),
                                                  ("赡养老人能扣多少", "我有个姐姐", "zh")])
def test_a_family_fact_asks_the_last_question_for_that_family(previous, text, lang):
    ctx = Context(lang=lang, subject=Subject("matter", "individual_tax"), previous=previous)
    decision = decide(Message(text, "out_of_scope", 0.8), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "qa" and "赡养" in decision.qa[1]


@pytest.mark.parametrize("text, kind", [("can my 12 year old get one", "minor"), ("孩子才12岁", "minor"),
                                        ("我今年62岁", None), ("16岁以上", None)])
def test_a_childs_age_says_it_is_for_a_child(text, kind):
    assert cues.who(text) == kind


def test_a_card_asked_for_after_another_matter_is_asked_back_which_one():
    ctx = Context(lang="en", subject=Subject("matter", "individual_tax"))
    assert run("I need a card", ctx, intent="residence_permit", confidence=0.77).move == "clarify"
    assert run("which card is the refund paid to", ctx, intent="individual_tax", confidence=0.7).move != "clarify"


@pytest.mark.parametrize("text, lang, event, step, words", [
    ("will I still pay medical insurance", "en", "retiring", "medical_insurance", "pay nothing more"),
    ("要交契税吗", "zh", "bereavement", "property_registration", "继承免契税"),
])
def test_inside_a_life_event_the_steps_own_note_answers_what_it_covers(text, lang, event, step, words):
    """The note speaks of the person's situation: a retiree's medical insurance, an heir's deed tax
    (the matter's own answers are for everyone: residents' insurance fees, a buyer's tax rates)."""
    ctx = Context(lang=lang, subject=Subject("event", event), topic=step)
    decision = decide(Message(text, "ask_fees_time", 0.7), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.move == "qa" and decision.qa == (step, f"{event}/{step}") and decision.focus == step
    assert words in get_catalogue().step_note(f"{event}/{step}").a(lang)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["my husband passed last week, we were married fifty years", "my dad passed on"])
def test_passed_said_of_a_relative_is_a_death(text):
    assert run(text, Context(lang="en")).move == "bereavement"
    assert not cues.says("my son passed his driving test", "bereavement")


def test_living_with_a_child_does_not_make_the_matter_the_childs():
    assert cues.who("I'm going to live with my son in Canada, what about my pension") is None
    assert cues.who("跟着女儿在深圳住 医保咋弄") is None
    assert cues.who("my son needs a passport") == "minor"


@pytest.mark.parametrize("text, left", [("my hukou is in hunan, is that a problem", ", is that a problem"),
                                        ("我们还没领结婚证 影响上户口吗", "我们  影响上户口吗")])
def test_where_a_hukou_is_and_not_being_married_are_who_the_person_is(text, left):
    assert cues.without_status(text).strip() == left


def test_a_plan_told_after_an_answer_is_not_a_goodbye():
    ctx = Context(lang="en", subject=Subject("matter", "food_business_permit"))
    decision = decide(Message("later i want to sell coffee i make myself", "goodbye", 0.6), ctx, get_index(),
                      get_catalogue(), rank_answers=rank)
    assert decision.move != "small_talk" and decision.subject == ctx.subject


def test_the_card_itself_after_a_permit_is_that_permit_not_which_card():
    ctx = Context(lang="en", subject=Subject("matter", "residence_permit"))
    decision = decide(Message("and if I lost the card itself, cost?", "residence_permit", 0.6), ctx, get_index(),
                      get_catalogue(), rank_answers=rank)
    assert decision.move != "clarify" and decision.subject == ctx.subject


def test_a_yes_no_question_naming_nobody_else_is_not_about_an_agent():
    ranked = rank("还得再去医院评一回不", ["disability_certificate"], "zh", None)
    assert ranked[0].aspect != "proxy"
    assert cues.names_someone("我在上海上班 让我姐去办行吗") and not cues.names_someone("备了案在那边能直接刷卡不")


@pytest.mark.parametrize("text, handoff", [("gonna hire 3 staff, anything I need to do for them?", False),
                                           ("can someone else apply for me", False),
                                           ("I want to talk to a member of staff", True), ("找人工", True)])
def test_asking_for_a_person_is_not_any_mention_of_staff(text, handoff):
    assert cues.says(text, "handoff") is handoff


@pytest.mark.parametrize("text, left", [("我妈退休了 只有养老金 她也要弄这个吗", "她也要弄这个吗"),
                                        ("他退休金每个月还在往卡里打 咋办", "他退休金每个月还在往卡里打 咋办")])
def test_a_parent_retired_is_who_she_is_and_a_pension_is_not_retiring(text, left):
    assert cues.without_status(text).strip() == left


def test_a_retired_mother_asked_about_under_the_tax_settlement_stays_with_it():
    tax = Subject("matter", "individual_tax")
    decision = decide(Message("我妈退休了 只有养老金 她也要弄这个吗", "individual_tax", 0.6), Context(subject=tax),
                      get_index(), get_catalogue(), rank_answers=rank)
    assert decision.subject == tax and decision.qa is not None


def test_a_particle_pair_names_no_step_of_a_life_event():
    ctx = Context(subject=Subject("event", "retiring"), topic="pension_claim")
    decision = decide(Message("补够了以后 钱啥时候开始发", "inform", 0.5), ctx, get_index(), get_catalogue(),
                      rank_answers=rank)
    assert decision.focus == "pension_claim"  # "够了" is in the medical insurance note, and in any sentence


def test_seeing_a_doctor_while_a_card_is_replaced_is_when_it_is_needed_not_a_booking():
    card = Context(subject=Subject("matter", "social_security_card"))
    assert run("补好之前去看病咋办 手机上有没有能用的", card).move != "not_ours"
    assert run("能帮我挂个号去看病吗", card).move == "not_ours"


@pytest.mark.parametrize("text, lang", [("证还没下来能先试营业几天吗", "zh"), ("can we open first and get the permit later", "en")])
def test_opening_before_the_permit_asks_what_happens_not_how_long(text, lang):
    ctx = Context(lang=lang, subject=Subject("event", "starting_a_business"), topic="food_business_permit")
    decision = decide(Message(text, "inform", 0.5), ctx, get_index(), get_catalogue(), rank_answers=rank)
    assert decision.qa == ("food_business_permit", "没拿到许可证就先营业会怎样？")


@pytest.mark.parametrize("text, aspect", [("how i do that", "process"), ("when i should apply", "deadline"),
                                          ("什么时候申请", "deadline")])
def test_questions_in_plain_word_order_ask_the_same(text, aspect):
    assert cues.aspect(text) == aspect


def test_just_married_and_moved_here_is_the_move_not_a_wedding():
    decision = run("Hi! Just got married and moved to Jiangzhou from Chengdu for my husband's job. What do I need "
                   "to sort out?", Context(lang="en"), intent="marriage_registration", confidence=0.6)
    assert decision.subject == Subject("event", "moving_to_the_city")
    assert run("我们想结婚要带什么", intent="marriage_registration", confidence=0.8).subject == \
        Subject("matter", "marriage_registration")


@pytest.mark.parametrize("text, yes_no", [("the money i miss i get back or no", True), ("photocopy ok or not", True),
                                          ("my daughter do it for me can", True), ("how can", False),
                                          ("i am ok", False)])
def test_older_peoples_english_asks_yes_or_no_at_the_end(text, yes_no):
    assert cues.is_yes_no(text) is yes_no


def test_where_a_child_lives_is_not_whom_the_matter_is_for():
    assert cues.who("i go see doctor in shanghai my daughter live there how i pay the hospital") is None
    assert cues.who("my daughter live in shanghai she can do it on phone for me") == "agent"
    assert cues.who("my daughter is 5") == "minor"


def test_hunger_is_no_death_and_a_rude_nurse_is_the_hospitals():
    assert not cues.says("能不能帮我点个外卖 饿死了", "bereavement") and cues.says("我爸昨天死了", "bereavement")
    assert cues.says("my wife she die last week", "bereavement")
    assert cues.not_ours("the nurse at that hospital was so rude to me") == "hospital_complaint"
    assert cues.not_ours("你们窗口态度太差了") is None
    assert not cues.says("卖房的人在国外回不来 能找人代他办吗", "handoff") and cues.says("我要找人工", "handoff")


def test_a_statement_of_who_one_is_is_news_for_the_question_before():
    assert cues.only_status("i not have company i pay the insurance myself")
    assert not cues.only_status("i pay my own insurance, how much is it a year")


def test_a_word_inside_another_is_no_typo_of_it():
    hits = get_index().search("my daughter live there", "en", limit=3)
    assert all(h.matched != "still alive" for h in hits)


@pytest.mark.parametrize("text, who", [("i am 72 i still can drive car or not", "senior"), ("俺今年71了 驾照快到期了", "senior"),
                                       ("my dad is 81", "senior"), ("i paid 80 yuan", None), ("房子85平", None),
                                       ("i am 35", None)])
def test_an_age_of_seventy_or_more_in_figures_is_a_senior(text, who):
    assert cues.who(text) == who


def test_a_free_bus_card_asks_no_fee_and_which_day_the_money_comes_is_when():
    assert cues.aspect("i am 67 year old i want the free bus card") is None and cues.aspect("is it free") == "fee"
    assert cues.aspect("养老金每个月几号到账") == "time"


@pytest.mark.parametrize("text, hiring", [("we plan to hire 2 baristas, what do we have to do for them", True),
                                          ("招了两个服务员要办啥", True), ("can my staff apply for me", False),
                                          ("我请人帮我办", False), ("hire someone to do it for me", False)])
def test_taking_on_staff_is_the_employers_social_insurance(text, hiring):
    assert bool(cues.HIRING.search(cues.normalise(text))) is hiring


def test_hiring_after_the_food_permit_turns_to_enrolling_the_staff():
    ctx = Context(lang="en", subject=Subject("matter", "food_business_permit"))
    decision = decide(Message("we plan to hire 2 baristas, what do we have to do for them", "food_business_permit", 0.6),
                      ctx, get_index(), get_catalogue(), get_matcher().best)
    assert decision.subject == Subject("matter", "social_security")


@pytest.mark.parametrize("text, intent", [("what about his flat? it's only in his name", "property_registration"),
                                          ("the flat is in her name", "out_of_scope")])
def test_a_home_named_after_a_death_is_the_inheritance(text, intent):
    ctx = Context(lang="en", subject=Subject("event", "bereavement"), topic="funeral_subsidy")
    decision = decide(Message(text, intent, 0.6), ctx, get_index(), get_catalogue(), get_matcher().best,
                      rank_answers=rank)
    assert decision.subject == Subject("event", "bereavement") and decision.focus == "property_registration"
    died_at_home = decide(Message("my dad died at home last night", "bereavement", 0.9), Context(lang="en"),
                          get_index(), get_catalogue(), get_matcher().best, rank_answers=rank)
    assert died_at_home.focus != "property_registration"


def test_which_permits_after_one_step_is_the_whole_life_event():
    ctx = Context(lang="zh", subject=Subject("matter", "food_business_permit"))
    decision = decide(Message("需要办哪些证", "ask_materials", 0.7), ctx, get_index(), get_catalogue(), get_matcher().best)
    assert decision.subject == Subject("event", "starting_a_business")
    assert not cues.WHICH_PERMITS.search("身份证需要办哪些手续")


def test_a_child_who_takes_one_along_is_no_childs_matter():
    assert cues.who("my son can take me saturday it open") is None and cues.who("闺女陪俺去") is None
    assert cues.who("my son is 8") == "minor"


@pytest.mark.parametrize("text, asked", [("食品那个证呢 去哪弄 要几天", ("where", "time")),
                                         ("销户口要多长时间，要钱吗", ("time", "fee")),
                                         ("how much to renew n what do i bring", ("fee", "materials")),
                                         ("过期了咋办", ()), ("身份证丢了要带什么材料", ())])
def test_two_questions_in_one_message_are_both_heard(text, asked):
    assert cues.asked_aspects(text) == asked


def test_a_shop_named_by_what_it_sells_is_a_business_to_register():
    assert cues.not_ours("我要开个奶茶店 要办哪些证") is None and cues.not_ours("给我点杯奶茶") == "delivery"


@pytest.mark.parametrize("text, who", [("need a passport for my 6yo", "minor"),
                                       ("我明年到退休年龄，社保一直是自己交的", None), ("我爸退休了", "senior")])
def test_who_from_an_age_in_figures_and_ones_own_retirement(text, who):
    assert cues.who(text) == who


def test_an_approval_spoken_of_in_general_starts_no_case_form():
    retiring = Subject("event", "retiring")
    assert run("批下来以后从哪个月开始发", Context(subject=retiring)).move != "form"


@pytest.mark.parametrize("text, kind", [("whats a good stock to put it into", "stocks"),
                                        ("any tips on which espresso machine to buy", "other"),
                                        ("哪家的证件照拍得好 推荐一下", "other"),
                                        ("我是送外卖的 社保咋交", None), ("帮我点个外卖", "delivery"),
                                        ("赠与和继承哪个划算", None), ("what documents to buy a flat", None)])
def test_shopping_advice_and_jobs_are_told_apart(text, kind):
    assert cues.not_ours(text) == kind


@pytest.mark.parametrize("text, booking", [("my birthday is wrong in my hukou book", False),
                                           ("bring the household register book", False),
                                           ("can i book a slot", True)])
def test_a_book_that_is_a_document_is_no_booking(text, booking):
    assert cues.says(text, "book") is booking


def test_a_homophone_never_runs_across_a_question_word():
    """"有钱领 咋弄" (mended to "怎么办") holds no 领证 (to marry) by sound."""
    hits = get_index().search("我今年八十了 听说有钱领 咋弄", "zh", limit=3)
    assert "marriage_registration" not in {h.id for h in hits}
    assert get_index().search("身份正丢了", "zh", limit=1)[0].id == "id_card"


def test_another_matters_own_question_moves_the_subject():
    ctx = Context(subject=Subject("matter", "pension_claim"))
    decision = decide(Message("退休金要交个税吗 还用做汇算不", "individual_tax", 0.96), ctx, get_index(),
                      get_catalogue(), get_matcher().best)
    assert decision.move == "qa" and decision.subject == Subject("matter", "individual_tax")
    # a question any matter answers stays with the current one
    kept = decide(Message("可以代办吗", "ask_proxy", 0.9), ctx, get_index(), get_catalogue(), get_matcher().best)
    assert kept.subject == Subject("matter", "pension_claim")


def test_arriving_for_work_without_naming_a_matter_is_the_moving_checklist():
    decision = run("我刚从河南老家过来江州进厂打工 要办啥手续不", intent="household_registration", confidence=0.6)
    assert decision.subject == Subject("event", "moving_to_the_city")
