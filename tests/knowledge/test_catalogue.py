"""The catalogue loads, is complete, and a broken file fails naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.core.topics import LIFE_EVENTS, MATTERS
from knowledge.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from knowledge.generate import generate


def test_every_matter_and_life_event_loads():
    catalogue = load_catalogue()
    assert set(catalogue.matters) == set(MATTERS)
    assert set(catalogue.events) == set(LIFE_EVENTS)
    for matter in catalogue.matters.values():
        assert matter.name.zh and matter.name.en and matter.synonyms.zh and matter.synonyms.en
        assert len(matter.faq) >= 2 and matter.materials and matter.legal_basis
        assert matter.time.promised_days <= matter.time.statutory_days


@pytest.fixture()
def catalogue_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_missing_field_names_file_and_field(catalogue_copy: Path):
    _edit(catalogue_copy / "passport.yaml", lambda d: d["where"].pop("window"))
    with pytest.raises(CatalogueError) as err:
        load_catalogue(catalogue_copy)
    assert "passport.yaml" in str(err.value) and "where.window" in str(err.value)


def test_wrong_type_in_a_material_names_its_position(catalogue_copy: Path):
    _edit(catalogue_copy / "id_card.yaml", lambda d: d["materials"][1].update(form="photocopy"))
    with pytest.raises(CatalogueError) as err:
        load_catalogue(catalogue_copy)
    assert "id_card.yaml" in str(err.value) and "materials[1].form" in str(err.value)


def test_unknown_related_matter_is_rejected(catalogue_copy: Path):
    _edit(catalogue_copy / "passport.yaml", lambda d: d.update(related=["visa_on_arrival"]))
    with pytest.raises(CatalogueError, match=r"passport.yaml: field related\[0\]"):
        load_catalogue(catalogue_copy)


def test_promise_beyond_the_law_is_rejected(catalogue_copy: Path):
    _edit(catalogue_copy / "passport.yaml", lambda d: d["time"].update(promised_days=99))
    with pytest.raises(CatalogueError, match=r"passport.yaml: field time"):
        load_catalogue(catalogue_copy)


def test_id_must_match_the_file_name(catalogue_copy: Path):
    _edit(catalogue_copy / "passport.yaml", lambda d: d.update(id="id_card"))
    with pytest.raises(CatalogueError, match=r"passport.yaml: field id"):
        load_catalogue(catalogue_copy)


def test_broken_yaml_and_missing_files_are_named(catalogue_copy: Path):
    (catalogue_copy / "passport.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"passport.yaml: cannot read YAML"):
        load_catalogue(catalogue_copy)
    (catalogue_copy / "passport.yaml").unlink()
    with pytest.raises(CatalogueError, match="missing catalogue files for passport"):
        load_catalogue(catalogue_copy)


def test_life_event_step_with_unknown_material_is_named(catalogue_copy: Path):
    path = catalogue_copy / "life_events" / "retiring.yaml"
    _edit(path, lambda d: d["steps"][0].update(materials=["pet_passport"]))
    with pytest.raises(CatalogueError, match=r"retiring.yaml: field steps\[0\].materials"):
        load_catalogue(catalogue_copy)


def test_generated_files_are_up_to_date():
    """The Rasa files that come from the catalogue were regenerated after the last edit."""
    assert generate(check=True) == [], "run `civic catalogue generate`"


def test_cli_check_command(capsys):
    from assistant.cli import main

    assert main(["catalogue", "check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_every_matter_says_who_may_apply_for_you_the_deadline_and_how_to_collect():
    for matter in load_catalogue().matters.values():
        assert matter.proxy and matter.deadline and matter.collect, matter.id
        if not matter.bookable_here:
            assert matter.booking is not None, matter.id


def test_matters_outside_the_hall_are_not_bookable_here():
    matters = load_catalogue().matters
    elsewhere = {m.id for m in matters.values() if not m.bookable_here}
    assert {"driver_license", "marriage_registration"} <= elsewhere
    for matter_id in elsewhere:
        assert "政务服务中心" not in matters[matter_id].where.hall.zh


def test_the_variants_conversations_ask_about_are_there():
    matters = load_catalogue().matters
    minor_passport = matters["passport"].variant("minor")
    assert minor_passport is not None and "监护人" in minor_passport.note.zh
    assert {m.id for m in minor_passport.materials or []} >= {"child_household_booklet", "guardian_id_card"}
    assert "120" in minor_passport.note.zh  # the fee is the same as for adults
    assert matters["id_card"].variant("minor") is not None
    foreign_permit = matters["residence_permit"].variant("foreigner")
    assert foreign_permit is not None and "Exit and Entry" in foreign_permit.note.en
    assert "70" in matters["driver_license"].variant("senior").note.zh
    assert matters["household_registration"].variant("agent").materials
    assert matters["passport"].variant("disabled") is None


def test_not_bookable_here_without_booking_is_rejected(catalogue_copy: Path):
    _edit(catalogue_copy / "driver_license.yaml", lambda d: d.pop("booking"))
    with pytest.raises(CatalogueError, match=r"driver_license.yaml: .*booking"):
        load_catalogue(catalogue_copy)


def test_unknown_kind_of_applicant_is_rejected(catalogue_copy: Path):
    _edit(catalogue_copy / "passport.yaml", lambda d: d["variants"][0].update(who="toddler"))
    with pytest.raises(CatalogueError, match=r"passport.yaml: field variants\[0\].who"):
        load_catalogue(catalogue_copy)


NEW_MATTERS = ("social_security_card", "food_business_permit", "pension_claim", "death_registration",
               "funeral_subsidy")


def test_the_matters_real_conversations_asked_for_are_complete_and_linked_both_ways():
    matters = load_catalogue().matters
    for matter_id in NEW_MATTERS:
        matter = matters[matter_id]
        assert len(matter.faq) >= 3, matter_id
        for qa in matter.faq:
            assert qa.also.zh and qa.also.en, (matter_id, qa.q.en)
        assert matter.related and any(matter_id in matters[other].related for other in matter.related)
    assert "社保卡" in matters["social_security_card"].synonyms.zh
    assert "社保卡" not in matters["social_security"].synonyms.zh  # a term names one matter
    assert "不需要委托书" in matters["death_registration"].proxy.zh  # the family needs no authorisation
