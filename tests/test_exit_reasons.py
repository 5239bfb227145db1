"""The five global-exclusion reasons: wording in any case or code in, one reason out."""

from __future__ import annotations

import pytest

from caljobs_bot.jobfile.exit_reasons import EXIT_REASONS, parse_exit_reason, wording_pattern

MOVED_AWAY = (
    "'Moved away' is not a hard-exit reason; choose one of: Institutionalized, Health/Medical, "
    "Deceased, Reservist called to Active Duty, In Foster Care and moved from area by foster "
    "care system (or a code 01-05). If no global exclusion fits, create a regular Closure "
    "instead."
)


def test_the_five_reasons_as_the_2021_dropdown_lists_them() -> None:
    assert [(r.code, r.label) for r in EXIT_REASONS] == [
        ("01", "Institutionalized"),
        ("02", "Health/Medical"),
        ("03", "Deceased"),
        ("04", "Reservist called to Active Duty"),
        ("05", "In Foster Care and moved from area by foster care system"),
    ]
    assert [r.youth_only for r in EXIT_REASONS] == [False, False, False, False, True]
    assert all(r.meaning for r in EXIT_REASONS)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Institutionalized", "01"),
        ("institutionalized", "01"),
        ("  INSTITUTIONALIZED ", "01"),
        ("health/medical", "02"),
        ("Health / Medical", "02"),
        ("deceased", "03"),
        ("reservist   called to\tactive duty", "04"),
        ("in foster care and moved from area by foster care system", "05"),
        ("01", "01"),
        ("2", "02"),
        (" 03 ", "03"),
        (4, "04"),
        (5, "05"),
    ],
)
def test_wording_in_any_case_or_code(given: str | int, code: str) -> None:
    assert parse_exit_reason(given).code == code


def test_unknown_reason_names_the_choices_and_the_closure() -> None:
    with pytest.raises(ValueError) as caught:
        parse_exit_reason("Moved away")
    assert str(caught.value) == MOVED_AWAY


@pytest.mark.parametrize("given", ["Ineligible", "ineligible", "06", "6", 6])
def test_ineligible_belongs_to_vocational_rehabilitation(given: str | int) -> None:
    with pytest.raises(ValueError, match="Vocational Rehabilitation; it is not valid for WIOA"):
        parse_exit_reason(given)


@pytest.mark.parametrize("given", ["Criminal offender", "CRIMINAL  OFFENDER", "07", 7])
def test_criminal_offender_belongs_to_adult_education(given: str | int) -> None:
    with pytest.raises(ValueError, match="adult education; it is not valid for WIOA"):
        parse_exit_reason(given)


@pytest.mark.parametrize("given", ["", "   ", "0", "00", "08", "Closure", "Deceased!", True, -1])
def test_everything_else_is_refused(given: object) -> None:
    with pytest.raises(ValueError):
        parse_exit_reason(given)  # type: ignore[arg-type]


def test_schema_pattern_agrees_with_the_parser() -> None:
    import re

    pattern = re.compile(wording_pattern())
    for text in ["institutionalized", "HEALTH / medical", "05", " 3 "]:
        assert pattern.match(text)
        parse_exit_reason(text)
    for text in ["Moved away", "Ineligible", "06", "Deceased!"]:
        assert not pattern.match(text)
