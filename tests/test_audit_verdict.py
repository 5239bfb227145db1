"""The audit's verdict rules, without a browser: what the site showed against the job."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caljobs_bot.jobfile.exit_reasons import parse_exit_reason
from caljobs_bot.jobfile.models import ParticipantRef
from caljobs_bot.pages.case import ListedOutcome
from caljobs_bot.running.audit import (
    AuditLedger,
    AuditTarget,
    ParticipantAudit,
    judged,
)
from caljobs_bot.running.audit_report import write_audit_csv, write_audit_html
from caljobs_bot.running.audit_verdict import Expected, Verdict, judge, same_outcome
from caljobs_bot.steps.read_case import ApplicationReading

DECEASED = parse_exit_reason("Deceased")
JOB = Expected(None, date(2021, 6, 24), DECEASED)


def listed(day: str, reason: str) -> ListedOutcome:
    return ListedOutcome.read(f"Exit Date: {day} Exit Reason: {reason}")


def app(number: str, status: str = "Complete", *outcomes: ListedOutcome) -> ApplicationReading:
    return ApplicationReading(number, status, "Adult", tuple(outcomes))


def test_a_listed_outcome_is_read_from_its_words() -> None:
    assert listed("06/24/2021", "Deceased") == ListedOutcome(
        "Exit Date: 06/24/2021 Exit Reason: Deceased", "06/24/2021", "Deceased")
    both_ways = ListedOutcome.read("Exit Reason: Health/Medical Exit Date: 1/2/2021")
    assert (both_ways.exit_date, both_ways.exit_reason) == ("1/2/2021", "Health/Medical")
    assert ListedOutcome.read("Exit Reason: Reservist called to Active Duty Staff: Lac"
                              ).exit_reason == "Reservist called to Active Duty"


@pytest.mark.parametrize(("day", "reason", "same"), [
    ("06/24/2021", "Deceased", True),
    ("6/24/2021", "  deceased ", True),
    ("06/24/2021", "03", True),  # a site that shows the code
    ("06/25/2021", "Deceased", False),
    ("06/24/2021", "Health/Medical", False),
    ("06/24/2021", "Something else", False),
])
def test_an_outcome_is_the_jobs_by_date_and_reason(day: str, reason: str, same: bool) -> None:
    assert same_outcome(JOB, listed(day, reason)) is same


def test_the_jobs_outcome_listed_is_as_the_job_says() -> None:
    judgement = judge(JOB, [app("1", "Exited", listed("06/24/2021", "Deceased"))])
    assert (judgement.verdict, judgement.application) == (Verdict.AS_THE_JOB_SAYS, "1")


def test_after_a_run_the_exited_application_is_still_the_target() -> None:
    # run picked the only open one (2); it has exited since, and 1 had exited before.
    applications = [app("1", "Exited", listed("01/02/2020", "Institutionalized")),
                    app("2", "Exited", listed("06/24/2021", "Deceased"))]
    assert judge(JOB, applications).application == "2"
    assert judge(JOB, applications).verdict is Verdict.AS_THE_JOB_SAYS


def test_no_outcome_on_the_target_is_no_outcome_yet_and_names_other_open_ones() -> None:
    wanted = Expected("2", JOB.exit_date, DECEASED)
    judgement = judge(wanted, [app("1"), app("2")])
    assert (judgement.verdict, judgement.application) == (Verdict.NO_OUTCOME_YET, "2")
    assert "other WIOA applications still open: 1" in judgement.detail


def test_another_outcome_is_different_with_both_values() -> None:
    judgement = judge(JOB, [app("1", "Exited", listed("06/24/2021", "Health/Medical"))])
    assert judgement.verdict is Verdict.DIFFERENT_OUTCOME
    assert "the job says 06/24/2021 Deceased" in judgement.detail
    assert "the site holds 06/24/2021 Health/Medical" in judgement.detail


def test_every_application_exited_otherwise_is_a_different_outcome() -> None:
    judgement = judge(JOB, [app("1", "Exited", listed("01/02/2020", "Deceased")),
                            app("2", "Exited", listed("02/03/2020", "Deceased"))])
    assert judgement.verdict is Verdict.DIFFERENT_OUTCOME
    assert "application 1: 01/02/2020 Deceased; application 2: 02/03/2020" in judgement.detail


def test_several_open_and_none_named_is_other_applications_open() -> None:
    judgement = judge(JOB, [app("1"), app("2"), app("3", "Exited")])
    assert judgement.verdict is Verdict.OTHER_APPLICATIONS_OPEN
    assert "(1, 2)" in judgement.detail


def test_an_application_the_participant_lacks_is_not_readable_as_run_says() -> None:
    judgement = judge(Expected("9", JOB.exit_date, DECEASED), [app("1")])
    assert judgement.verdict is Verdict.NOT_READABLE
    assert judgement.detail.startswith("step 2 'Expand the WIOA application': application 9 "
                                       "is not one of")


def test_a_list_without_a_job_is_only_read() -> None:
    judgement = judge(None, [app("1", "Exited", listed("06/24/2021", "Deceased")), app("2")])
    assert judgement.verdict is Verdict.READ
    assert judgement.detail == "2 WIOA application(s), 1 with an outcome listed"


def target(index: int, state_id: str = "34712") -> AuditTarget:
    return AuditTarget(index, ParticipantRef(state_id=state_id, name="Karen James"),
                       expected=JOB, line=6 + index)


def test_the_audit_ledger_resumes_an_unfinished_audit_only(tmp_path: Path) -> None:
    ledger = AuditLedger(tmp_path / "audit-ledger.jsonl")
    ledger.start("a1")
    first = judged(target(1), [app("1", "Exited", listed("06/24/2021", "Deceased"))])
    ledger.read("a1", first)
    ledger.read("a1", ParticipantAudit(target(2, "2"), Verdict.NOT_READABLE, None, "x"))
    audit, done = ledger.unfinished()
    assert audit == "a1"
    assert set(done) == {target(1).identity}, "a participant not readable is read again"
    text = ledger.path.read_text(encoding="utf-8")
    assert "Karen" not in text and "34712" not in text, "no names or ids in the ledger"
    ledger.end("a1")
    assert ledger.unfinished() == (None, {})


def test_reports_are_safe_from_formulas_and_mask_names(tmp_path: Path) -> None:
    hostile = ParticipantAudit(target(1), Verdict.NOT_FOUND, None, "=HYPERLINK(\"x\")")
    csv_text = write_audit_csv([hostile], tmp_path / "audit.csv").read_text(encoding="utf-8")
    assert ",'=HYPERLINK" in csv_text.replace('"', "")
    html = write_audit_html([hostile], tmp_path / "audit.html", title="t", notes=[],
                            mask_pii=True).read_text(encoding="utf-8")
    assert "Karen" not in html and "34712" not in html
    assert "1 participant not found" in html
