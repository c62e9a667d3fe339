"""A life event is one checklist: steps in order, where to go, and each document once."""

from __future__ import annotations

from knowledge.catalogue import get_catalogue
from knowledge.life_events import checklist_text, combined_checklist


def test_shared_documents_appear_once_with_every_use():
    catalogue = get_catalogue()
    checklist = combined_checklist(catalogue, catalogue.event("having_a_baby"), "zh")
    ids = [item.material_id for item in checklist.materials]
    assert len(ids) == len(set(ids))
    id_card = next(i for i in checklist.materials if i.material_id == "id_card_original")
    assert id_card.needed_for == ["birth_registration", "medical_insurance", "household_registration"]
    birth = next(i for i in checklist.materials if i.material_id == "birth_medical_certificate")
    # the strictest form wins: birth registration wants original and copy
    assert birth.form == "original_and_copy" and birth.needed_for == ["birth_registration", "medical_insurance"]


def test_steps_are_in_order_with_where_and_deadline():
    catalogue = get_catalogue()
    checklist = combined_checklist(catalogue, catalogue.event("having_a_baby"), "en")
    assert [s.matter for s in checklist.steps] == ["birth_registration", "medical_insurance",
                                                   "household_registration"]
    assert "A15" in checklist.steps[0].where and checklist.steps[0].deadline
    text = checklist_text(checklist, catalogue)
    assert text.count("Both parents' ID cards") == 1
    assert text.index("1. ") < text.index("2. ") < text.index("3. ")


def test_event_only_lists_the_documents_its_steps_need():
    catalogue = get_catalogue()
    checklist = combined_checklist(catalogue, catalogue.event("having_a_baby"), "zh")
    ids = {item.material_id for item in checklist.materials}
    assert "medical_invoices" not in ids  # a newborn's enrolment is not a reimbursement claim


def test_every_event_deduplicates():
    catalogue = get_catalogue()
    for event in catalogue.events.values():
        for lang in ("zh", "en"):
            checklist = combined_checklist(catalogue, event, lang)
            ids = [item.material_id for item in checklist.materials]
            assert len(ids) == len(set(ids)), event.id
            shared = [i for i in checklist.materials if len(i.needed_for) > 1]
            assert shared, f"{event.id} should share at least one document between its steps"


def test_after_a_death_the_steps_come_in_the_order_a_family_needs_them():
    catalogue = get_catalogue()
    checklist = combined_checklist(catalogue, catalogue.event("bereavement"), "zh")
    assert [s.matter for s in checklist.steps] == ["death_registration", "funeral_subsidy", "medical_insurance",
                                                   "social_security", "property_registration"]
    assert "30日" in checklist.steps[0].deadline and all(s.deadline for s in checklist.steps)
    notes = {s.matter: s.note for s in checklist.steps}
    assert "停发养老金" in notes["funeral_subsidy"] and "余额" in notes["medical_insurance"]
    assert "个人账户余额" in notes["social_security"] and "继承" in notes["property_registration"]
    text = checklist_text(combined_checklist(catalogue, catalogue.event("bereavement"), "en"), catalogue)
    assert "hukou" in text and "funeral grant" in text and "inherit" in text


def test_retiring_starts_with_claiming_the_pension_and_food_permit_is_only_for_food():
    catalogue = get_catalogue()
    retiring = combined_checklist(catalogue, catalogue.event("retiring"), "en")
    assert [s.matter for s in retiring.steps][:2] == ["pension_claim", "pension_certification"]
    business = combined_checklist(catalogue, catalogue.event("starting_a_business"), "zh")
    food = next(s for s in business.steps if s.matter == "food_business_permit")
    assert [s.matter for s in business.steps][0] == "business_license"
    assert "饭店" in food.note and "不卖食品的跳过" in food.note


def test_a_babys_own_matter_says_nothing_extra_for_a_child():
    from knowledge.answers import who_note

    catalogue = get_catalogue()
    assert who_note(catalogue.matters["birth_registration"], "minor", "zh") is None
    assert "监护人" in who_note(catalogue.matters["id_card"], "minor", "zh")


def test_a_yes_no_about_the_fee_never_says_no_before_it_is_free():
    from knowledge.answers import fee

    catalogue = get_catalogue()
    said = fee(catalogue.matters["pension_certification"], "en", yes_no=True, elderly=False)
    assert said.startswith("It is free") and not said.startswith("No")
    assert fee(catalogue.matters["passport"], "en", yes_no=True, elderly=False).startswith("There is a fee")


def test_who_may_go_for_you_is_said_for_each_step_in_order():
    from knowledge.answers import event_answer

    catalogue = get_catalogue()
    text = event_answer(catalogue.event("having_a_baby"), catalogue, "proxy", "en", False).text
    # "can grandma go instead?" before a step was picked: the first step's letter, not the order again
    assert text.startswith("Who can go for you: Newborn birth registration") and "letter of authorisation" in text
    zh = event_answer(catalogue.event("having_a_baby"), catalogue, "proxy", "zh", False).text
    assert "委托书" in zh and "。；" not in zh
