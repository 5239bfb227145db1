"""The help-sheet steps are data: ordered, unique, and each explained."""

import pytest

from caljobs_bot.steps.definitions import STEPS, number, step


def test_steps_follow_the_help_sheet_order() -> None:
    keys = [s.key for s in STEPS]
    assert keys.index("open_application") < keys.index("create_outcome")
    assert keys.index("general_information") < keys.index("exit_information")
    assert keys.index("exit_information") < keys.index("alternate_contacts")
    assert keys.index("alternate_contacts") < keys.index("case_manager") < keys.index("case_note")
    assert keys[-2:] == ["save", "confirm"]
    assert len(set(keys)) == len(keys)


def test_each_step_has_a_title_and_an_explanation() -> None:
    for s in STEPS:
        assert s.title and len(s.explanation) > 40


def test_lookup_by_key() -> None:
    assert step("save").title == "Save the outcome"
    assert number("find_participant") == 1
    with pytest.raises(KeyError, match="unknown step"):
        step("nope")
