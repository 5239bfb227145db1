"""The help-sheet steps for creating an Exit/Outcome, written once, in order.

The bulk run logs these, the trainers' walkthrough shows them on screen and the guide prints
them, so the wording here is what a new case manager reads. The explanations are in our own
words, after CalJOBS Help Sheet 10 (2021) and Help Sheet 12 (2016).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of the walkthrough: a stable key for code, a title and an explanation for people."""

    key: str
    title: str
    explanation: str


STEPS: tuple[Step, ...] = (
    Step(
        "find_participant",
        "Find the participant",
        "From the staff dashboard open Services for Workforce Staff, Manage Individuals, Assist "
        "an Individual, and search by State ID or User ID. Check the name before you open the "
        "case: an outcome cannot be undone without a Data Change Request.",
    ),
    Step(
        "open_application",
        "Expand the WIOA application",
        "On the Programs tab of the Case Management Profile, click the (+) to the left of the "
        "WIOA application, then the (+) next to its Exit / Outcome section. If an outcome is "
        "already listed there, the participant has exited: do not create another.",
    ),
    Step(
        "create_outcome",
        "Create the Exit/Outcome",
        "Click Create Exit/Outcome (Create Outcome on older screens). Outcomes are only for a "
        "hard exit: the participant cannot continue services because of a global exclusion.",
    ),
    Step(
        "general_information",
        "Check General Information",
        "Login Name, User ID, State ID and Name are filled in for you: make sure they are the "
        "right person. Then select the LWIA/Region, Office Location and Staff Position.",
    ),
    Step(
        "exit_information",
        "Enter the Exit Information",
        "Type the Exit Date (MM/DD/YYYY, not in the future) and choose the Exit Reason. Only "
        "the global exclusions are hard exits: Institutionalized, Health/Medical, Deceased, "
        "Reservist called to Active Duty, and (Youth only) In Foster Care and moved from area. "
        "If none fits, create a regular Closure instead.",
    ),
    Step(
        "alternate_contacts",
        "Manage alternate contacts",
        "Click Manage Alternate Contacts. A pop-up lists the participant's contacts: edit one, "
        "or click Add New Contact, fill it in and Save. Close the pop-up when done.",
    ),
    Step(
        "case_manager",
        "Assign or remove the case manager",
        "In Staff Information, use Assign Case Manager to pick a staff member, or Remove Case "
        "Manager Assignment to clear it. These links only show if your account may use them.",
    ),
    Step(
        "case_note",
        "Add a case note",
        "Click Add a new Case Note and explain the reason for the global exclusion; attach the "
        "verifying document. Keep medical details out of the note.",
    ),
    Step(
        "review",
        "Check the form before saving",
        "Adding a note or changing the case manager reloads the form, and some values may be "
        "lost. Look over every field once more and re-enter anything that is blank.",
    ),
    Step(
        "save",
        "Save the outcome",
        "Click Save at the bottom of the form. If the site lists errors, correct them; nothing "
        "is stored until the save succeeds.",
    ),
    Step(
        "confirm",
        "Confirm the outcome is listed",
        "Back on the case, the confirmation shows and the outcome is listed under the "
        "application's Exit / Outcome section; the application now shows as exited.",
    ),
)

_BY_KEY = {step.key: step for step in STEPS}


def step(key: str) -> Step:
    """The step with this key (KeyError names the known keys)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown step {key!r}; known: {', '.join(_BY_KEY)}") from None


def number(key: str) -> int:
    """The 1-based position of a step, as a person counts it."""
    return STEPS.index(step(key)) + 1
