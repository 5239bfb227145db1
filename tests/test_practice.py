"""Practice mode, played by a test as the trainee: one who does every step right, one who
clicks the wrong thing and picks wrong values (and asks Show me once), and three whose result
is wrong however the clicks went: the other participant of the same name, Cancel instead of
Save, and the contacts skipped with a wrong reason saved. The report and the panel judge what
the sandbox stored, not the clicks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from caljobs_bot.cli import EXAMPLE_JOB, SANDBOX_PASSWORD, SANDBOX_USERNAME
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.server import Sandbox
from caljobs_bot.form_fields import BY_ATTRIBUTE as FIELD
from caljobs_bot.jobfile.loader import load_job
from caljobs_bot.jobfile.models import Record
from caljobs_bot.matching import same_name
from caljobs_bot.pages.case import CasePage
from caljobs_bot.pages.fields import action, field, section
from caljobs_bot.pages.outcome_form import OutcomeForm
from caljobs_bot.pages.overlay import next_button, panel
from caljobs_bot.pages.participant_search import ParticipantSearch
from caljobs_bot.trainer.practice import SHOW_ME, Prompt, practise_on
from caljobs_bot.trainer.practice_report import PracticeResult

pytestmark = pytest.mark.browser

LI_WEI: Record = load_job(EXAMPLE_JOB).records[3]  # two applications; a case note


KAREN_JAMES: Record = load_job(EXAMPLE_JOB).records[0]  # a contact, a case manager, a note


def practise(page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path,
             trainee: Callable[[Prompt], None], record: Record = LI_WEI, patience: float = 30
             ) -> tuple[PracticeResult, Path]:
    report = tmp_path / "report.md"
    result = practise_on(page, sandbox_server.sign_in_url, SANDBOX_USERNAME, SANDBOX_PASSWORD,
                         record, sandbox, report, on_prompt=trainee,
                         patience_seconds=patience)
    return result, report


def test_a_trainee_who_does_it_right(page: Page, sandbox_server: Sandbox,
                                     sandbox: SandboxClient, tmp_path: Path) -> None:
    said: list[str] = []

    def trainee(prompt: Prompt) -> None:
        expect(panel(prompt.page)).to_contain_text(prompt.check.say)
        said.append(prompt.check.say)
        prompt.check.show_me(prompt.page)  # the trainee's own clicks and typing, done right

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee)

    assert result.finished and result.mistakes == 0
    assert "Type 34803 in State ID and click Search." in said
    assert "Type 09/01/2021 in Exit Date." in said
    assert "Choose Reservist called to Active Duty in Exit Reason." in said
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1 and stored[0]["exit_reason"] == "Reservist called to Active Duty"
    assert result.outcome == stored[0]
    text = report.read_text(encoding="utf-8")
    assert "Mistakes: 0" in text and "Well done" in text and "Missing or wrong" not in text
    assert "| 5. Enter the Exit Information | yes |" in text
    expect(panel(page)).to_contain_text("Well done")


def test_a_trainee_who_makes_mistakes_gets_hints_and_show_me(
        page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path) -> None:
    hints: list[tuple[str, int, str]] = []
    wrong_reasons = ["Deceased", "Health/Medical"]

    def trainee(prompt: Prompt) -> None:
        check, where = prompt.check, prompt.page
        hints.append((check.say, prompt.misses, prompt.caption.note or ""))
        exit_information = section(where, "Exit Information")
        if check.say.startswith("Type 09/01/2021") and prompt.misses == 0:
            action(exit_information, "Today").click()  # the wrong element
            return
        if check.say.startswith("Choose Reservist") and wrong_reasons:
            field(exit_information, "Exit Reason").select_option(label=wrong_reasons.pop(0))
            return
        if check.step == "case_note":
            expect(next_button(where)).to_have_text(SHOW_ME)
            next_button(where).click()  # the tool does this one
            return
        check.show_me(where)

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee)

    assert result.finished
    steps = result.steps
    assert steps["exit_information"].mistakes == 3
    assert steps["case_note"].shown == 1 and steps["case_note"].mistakes == 0
    assert sum(s.mistakes for s in steps.values()) == 3
    date_hints = [note for say, misses, note in hints if say.startswith("Type 09/01") and misses]
    assert date_hints and date_hints[0].startswith("Not that one") and "Today" in date_hints[0]
    reason_hints = [note for say, misses, note in hints if say.startswith("Choose Reservist")
                    and misses]
    assert reason_hints[0].startswith("Not that one") and "'Deceased'" in reason_hints[0]
    # After two misses the hint names the right value.
    assert reason_hints[1] == "The right one: Reservist called to Active Duty in Exit Reason."
    stored = [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    assert len(stored) == 1 and stored[0]["exit_reason"] == "Reservist called to Active Duty"
    assert stored[0]["exit_date"] in ("2021-09-01", "09/01/2021")
    notes = sandbox.participant(LI_WEI.participant.user_id or "37803")["case_notes"]
    assert any(n["subject"] == LI_WEI.case_note.subject for n in notes)  # type: ignore[union-attr]
    text = report.read_text(encoding="utf-8")
    assert "Mistakes: 3" in text and "| 5. Enter the Exit Information |" in text
    assert "Well done" in text  # mistakes put right on the way: the result is right


def test_a_trainee_who_exits_the_other_maria_garcia_is_told(
        page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path) -> None:
    """Two María Garcías: the trainee searches by name, opens the other one (User ID 37811)
    and hard-exits her. Not "Well done": the wrong person, and nothing for the right one."""
    job = tmp_path / "maria.yaml"
    job.write_text("""version: 1
records:
  - participant: {state_id: "34812", user_id: "37812", name: María García}
    application: "2244312"
    exit_date: 2021-10-01
    exit_reason: Deceased
    lwia_region: Los Angeles County WDACS
    office_location: 2710 - Sunny Hills AJCC
    staff_position: Staff
""", encoding="utf-8")
    maria = load_job(job).records[0]

    def trainee(prompt: Prompt) -> None:
        check, where = prompt.check, prompt.page
        if check.say.startswith("Type 34812"):
            ParticipantSearch(where).search(last_name="García")  # both show up
        elif check.step == "find_participant" and check.say.startswith("In the results"):
            if prompt.misses:
                return  # told; gives up
            ParticipantSearch(where).name_link("37811").click()  # the other María García
            form = CasePage(where).application("2244311").create_outcome()
            form.general.choose(FIELD["lwia_region"], maria.lwia_region)
            form.general.choose(FIELD["office_location"], maria.office_location)
            form.exit.set_exit_date(maria.exit_date)
            form.exit.choose_reason(maria.exit_reason.label)
            assert form.save() is not None
        else:
            check.show_me(where)

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee, maria,
                              patience=5)

    assert [o["application_number"] for o in sandbox.outcomes()][-1] == "2244311"
    text = report.read_text(encoding="utf-8")
    assert "Well done" not in text and "Mistakes: 0" not in text
    assert "No outcome was saved for María García (User ID 37812, State ID 34812)." in text
    assert ("Something was done to María García (User ID 37811, State ID 34811), who is not "
            "the record's participant: an outcome saved (application 2244311)." in text)
    assert "this case is User ID 37811, State ID 34811, not the record's participant" in text
    assert not result.well_done
    expect(panel(page)).to_contain_text("Not right yet")
    expect(panel(page)).not_to_contain_text("Well done")


def test_a_trainee_who_cancels_instead_of_saving_is_told(
        page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path) -> None:
    def trainee(prompt: Prompt) -> None:
        if prompt.check.step == "save":
            if not prompt.misses:
                OutcomeForm(prompt.page).cancel()
            return
        prompt.check.show_me(prompt.page)

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee, patience=5)

    assert not [o for o in sandbox.outcomes() if o["application_number"] == "2244304"]
    text = report.read_text(encoding="utf-8")
    assert "Well done" not in text and "Finished: no" in text
    assert "No outcome was saved for Li Wei (User ID 37803, State ID 34803)." in text
    assert "| 10. Save the outcome | no (0 of 1 checks) |" in text
    assert "| 11. Confirm the outcome is listed | no (0 of 1 checks) |" in text
    assert "the form was closed without a save (Cancel stores nothing)" in text
    assert result.steps["save"].mistakes == 1
    expect(panel(page)).to_contain_text("No outcome was saved")


def test_a_trainee_who_skips_the_contacts_and_saves_a_wrong_reason_is_told(
        page: Page, sandbox_server: Sandbox, sandbox: SandboxClient, tmp_path: Path) -> None:
    """Record 1 on the 2016 screens: the panel says the screen's words (Outcome, Create
    Outcome), the contacts step is on the panel (not skipped in silence), the trainee clicks
    Done without adding the contact, assigns the case manager, and changes the reason to
    Deceased just before Save."""
    sandbox.configure(ui="2016")
    said: list[str] = []
    hints: list[str] = []

    def trainee(prompt: Prompt) -> None:
        check, where = prompt.check, prompt.page
        said.append(check.say)
        if check.step == "open_application" and "Exit / Outcome" in check.say:
            CasePage(where).application("2244266").expand()  # the panel then says "Outcome"
            return
        if check.step == "alternate_contacts":
            hints.append(prompt.caption.note or "")
            expect(next_button(where)).to_have_text("Done")
            next_button(where).click()  # says done; did nothing (twice: told, goes on)
            return
        if check.step == "case_manager":
            picker = OutcomeForm(where).staff.assign_case_manager()
            picker.assign(next(c for c in picker.choices() if same_name("Nguyen, Mai", c)))
            next_button(where).click()
            return
        if check.step == "save":
            OutcomeForm(where).exit.choose_reason("Deceased")
        check.show_me(where)

    result, report = practise(page, sandbox_server, sandbox, tmp_path, trainee, KAREN_JAMES)

    assert "Click Create Outcome." in said and "Click Create Exit/Outcome." not in said
    assert ("Click the (+) left of WIOA #2244266. Click the (+) next to its Outcome section: "
            "no outcome may be listed." in said)
    assert any(say.startswith("Click Manage Alternate Contacts") for say in said)
    assert result.finished and not result.well_done
    text = report.read_text(encoding="utf-8")
    assert "Well done" not in text
    assert "Alternate contact Ana James is not on the site" in text
    assert "Exit reason saved as Deceased; the record says Institutionalized." in text
    assert "Case manager is Nguyen, Mai." in text  # done right, and said so
    assert "| 6. Manage alternate contacts | yes |" in text
    assert hints[0] == ""
    assert hints[1].startswith("Not on the site yet: Alternate contact Ana James is not on")
    assert result.steps["alternate_contacts"].mistakes == 1
    assert result.steps["case_manager"].mistakes == 0
    assert "Mistakes: 2" in text  # the contact once (said at Done), the reason once
    expect(panel(page)).to_contain_text("Alternate contact Ana James is not on the site")
