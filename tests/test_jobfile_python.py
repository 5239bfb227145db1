"""Job models built from Python, as bench and tests build them: YAML may hand over dates."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from test_jobfile import TODAY

from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.jobfile.problems import JobFileError

# --- models used from Python (YAML may hand over dates) -------------------------------------


def python_record(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "participant": {"state_id": 34712},
        "exit_date": date(2021, 6, 24),
        "exit_reason": 3,
        "lwia_region": "Los Angeles County WDACS",
        "office_location": "2703 - LAO Community and Senior Services",
        "staff_position": "Staff",
    }
    return data | changes


def test_models_accept_dates_and_midnight_datetimes_from_python() -> None:
    from datetime import datetime

    from pydantic import ValidationError

    context = {"today": TODAY}
    built = Record.model_validate(python_record(), context=context)
    assert built.exit_date == date(2021, 6, 24) and built.participant.state_id == "34712"
    midnight = python_record(exit_date=datetime(2021, 6, 24))
    assert Record.model_validate(midnight, context=context).exit_date == date(2021, 6, 24)
    with pytest.raises(ValidationError, match="must be a date without a time"):
        Record.model_validate(python_record(exit_date=datetime(2021, 6, 24, 9, 30)))
    with pytest.raises(ValidationError, match="is in the future"):
        Record.model_validate(
            python_record(exit_date="2021-07-01"), context={"today": date(2021, 6, 30)}
        )
    assert (
        Record.model_validate(python_record(exit_reason=built.exit_reason)).exit_reason.code == "03"
    )


def test_settings_fill_what_neither_record_nor_defaults_give(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        defaults: {staff_position: Case Manager}
        records:
          - participant: {state_id: "34712"}
            exit_date: 2021-06-24
            exit_reason: Deceased
            lwia_region: City of Los Angeles
        """), encoding="utf-8")
    fallback = {"lwia_region": "Los Angeles County WDACS",
                "office_location": "2710 - Sunny Hills AJCC", "staff_position": "Staff"}
    [record] = load_job(path, fallback=fallback).records
    assert record.lwia_region == "City of Los Angeles"  # the record wins
    assert record.staff_position == "Case Manager"  # then the job's defaults
    assert record.office_location == "2710 - Sunny Hills AJCC"  # then the settings
    with pytest.raises(JobFileError, match="office_location: is required"):
        load_job(path)
