"""A department's Chinese note, as an English-speaking applicant reads it (knowledge/case_notes.py)."""

from knowledge.case_notes import for_reader, in_english


def test_standard_reasons_are_given_in_english() -> None:
    assert in_english("照片不符合要求，请补交近期白底免冠证件照一张。") == (
        "The photo does not meet the requirements; please hand in one recent bareheaded ID photo on a white "
        "background.")
    assert in_english("材料齐全，正在审核。") == "All documents are complete; it is being reviewed."
    assert in_english("请补交户口簿复印件；身份证已过期") == "Please hand in the hukou booklet; the ID card has expired."


def test_a_note_with_any_unknown_clause_is_shown_as_written_and_labelled() -> None:
    note = "照片不符合要求，房子的事请来一趟。"
    assert in_english(note) is None
    assert for_reader(note, "en") == f"{note} (as the department wrote it, in Chinese)"


def test_chinese_readers_get_the_note_as_written() -> None:
    assert for_reader("照片不符合要求。", "zh") == "照片不符合要求。"
    assert for_reader("", "en") == ""
