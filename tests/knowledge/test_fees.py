"""Fees are quoted in the catalogue's own words on every path, cut only at the end of a part: an
elderly person who lost an ID card must hear 40 yuan, not "about 20" from the first-card amount."""

import pytest

from knowledge.answers import essentials, fee
from knowledge.catalogue import get_catalogue
from knowledge.replies import ELDERLY_FEE_CHARS, elderly_steps, fee_text


@pytest.mark.parametrize("lang, replacement", [("zh", "40元"), ("en", "40 yuan")])
def test_every_elderly_path_names_the_replacement_fee(lang, replacement):
    id_card = get_catalogue().matters["id_card"]
    assert replacement in fee(id_card, lang, yes_no=False, elderly=True)
    assert any(replacement in step for step in elderly_steps(id_card, lang))
    assert replacement in essentials(id_card, lang).text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fee_is_cut_at_the_end_of_a_part_and_never_mid_sentence(lang):
    for matter in get_catalogue().matters.values():
        whole, said = matter.fees(lang).strip(), fee_text(matter, lang, ELDERLY_FEE_CHARS[lang])
        if said == whole:
            continue
        assert whole.startswith(said[:-1]) and whole[len(said) - 1] in "；;。.", (whole, said)
