"""Name and option matching: forgiving of case, accents and order, never of different words."""

import pytest

from caljobs_bot.matching import fold, same_name, same_option


@pytest.mark.parametrize(
    ("expected", "shown"),
    [
        ("Karen James", "James, Karen"),
        ("karen  james", "JAMES, Karen"),
        ("José Álvarez-Núñez", "Álvarez-Núñez, José"),
        ("Jose Alvarez-Nunez", "Álvarez-Núñez, José"),
        ("Shauna O'Connor", "O’Connor, Shauna"),
        ("Nguyễn Thị Hoa", "Nguyen, Thi Hoa"),
    ],
)
def test_same_person_written_differently(expected: str, shown: str) -> None:
    assert same_name(expected, shown)


@pytest.mark.parametrize(
    ("expected", "shown"),
    [
        ("Karen James", "James, Karin"),
        ("Karen James", "James, Karen Ann"),
        ("Shauna O'Connor", "OConnor, Shauna"),
        ("José Álvarez-Núñez", "Álvarez Núñez, José"),
        ("", "James, Karen"),
    ],
)
def test_near_matches_are_not_matches(expected: str, shown: str) -> None:
    assert not same_name(expected, shown)


def test_option_wording_ignores_case_and_spacing_only() -> None:
    assert same_option("health/medical", "Health/Medical")
    assert same_option("2703 - LAO Community  and Senior Services",
                       "2703 - LAO Community and Senior Services")
    assert not same_option("Health", "Health/Medical")
    assert fold("  Ñandú ") == "nandu"


def test_the_job_file_and_the_bot_take_the_same_contacts_for_one_person() -> None:
    from caljobs_bot.jobfile.models import AlternateContact

    ana = AlternateContact(first_name="María", last_name="Álvarez", phone="213-555-0199")
    same = AlternateContact(first_name="maria", last_name="ALVAREZ ", phone="213-555-0100")
    other = AlternateContact(first_name="Mario", last_name="Álvarez", phone="213-555-0100")
    assert ana.same_name(same) and same_name("María Álvarez", "ALVAREZ, maria")
    assert not ana.same_name(other)
