"""The global-exclusion ("hard exit") reasons an Exit/Outcome may carry, as data.

Federal reporting calls this element "Other Reasons for Exit". Only five of its codes are valid
for the programs exited in CalJOBS (WIOA Title I Adult, Dislocated Worker, Youth, and
Wagner-Peyser); the wording is the 2021 help sheet's dropdown text, which is also what the bot
matches on the live page. Codes 06 and 07 exist in the federal list but belong to other
programs, so they are refused here with a sentence that says why. If no reason fits, the
participant is not a global exclusion and needs a regular Closure (2021 help sheet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ExitReason:
    """One global-exclusion reason: its federal code, dropdown wording and meaning."""

    code: str
    label: str
    meaning: str
    youth_only: bool = False

    def __str__(self) -> str:
        """The dropdown wording, which is what a person reads and the bot selects."""
        return self.label


EXIT_REASONS: tuple[ExitReason, ...] = (
    ExitReason(
        "01",
        "Institutionalized",
        "jailed, or living in a 24-hour hospital or treatment facility",
    ),
    ExitReason(
        "02",
        "Health/Medical",
        "medical treatment over 90 days that prevents work or participation",
    ),
    ExitReason(
        "03",
        "Deceased",
        "the participant died (also valid when death follows a soft exit)",
    ),
    ExitReason(
        "04",
        "Reservist called to Active Duty",
        "National Guard or reserve member called to active duty for 90 days or more",
    ),
    ExitReason(
        "05",
        "In Foster Care and moved from area by foster care system",
        "a youth in foster care moved out of the area by the foster care system",
        youth_only=True,
    ),
)

# Federal codes that look plausible but belong to other programs: refused with a reason.
_OTHER_PROGRAMS: dict[str, tuple[str, str]] = {
    "06": ("Ineligible", "Vocational Rehabilitation"),
    "07": ("Criminal offender", "adult education"),
}

_CHOICES = ", ".join(reason.label for reason in EXIT_REASONS)
CLOSURE_ADVICE = "If no global exclusion fits, create a regular Closure instead."


def normalise(text: str) -> str:
    """Fold case and whitespace so 'health / MEDICAL ' matches 'Health/Medical'."""
    text = re.sub(r"\s*/\s*", "/", text.strip())
    return re.sub(r"\s+", " ", text).casefold()


_BY_WORDING = {normalise(reason.label): reason for reason in EXIT_REASONS}
_BY_CODE = {reason.code: reason for reason in EXIT_REASONS}
_OTHER_BY_WORDING = {normalise(label): code for code, (label, _) in _OTHER_PROGRAMS.items()}


def parse_exit_reason(text: str | int) -> ExitReason:
    """The reason named by its wording (any letter case) or its code (01..05, 1..5).

    Raises ValueError with a sentence a data-team member can act on.
    """
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise ValueError(f"must be text such as 'Deceased' or a code 01-05. {CLOSURE_ADVICE}")
    raw = str(text).strip()
    if not raw:
        raise ValueError(f"is required; choose one of: {_CHOICES} (or a code 01-05)")
    code = _code_of(raw)
    if code is None:
        code = _OTHER_BY_WORDING.get(normalise(raw))
    if code in _BY_CODE:
        return _BY_CODE[code]
    if code in _OTHER_PROGRAMS:
        label, program = _OTHER_PROGRAMS[code]
        raise ValueError(
            f"'{raw}' is '{label}' (code {code}), an exit reason for {program}; it is not "
            "valid for WIOA Adult, Dislocated Worker or Youth exits in CalJOBS. "
            f"{CLOSURE_ADVICE}"
        )
    reason = _BY_WORDING.get(normalise(raw))
    if reason is not None:
        return reason
    raise ValueError(
        f"'{raw}' is not a hard-exit reason; choose one of: {_CHOICES} (or a code 01-05). "
        f"{CLOSURE_ADVICE}"
    )


def _code_of(raw: str) -> str | None:
    """'1', '01' or '001' as the two-digit code '01'; None when the text is not a number."""
    if not raw.isdigit() or not raw.isascii():
        return None
    number = int(raw)
    return f"{number:02d}" if number < 100 else raw


def wording_pattern() -> str:
    """A JSON-Schema regex accepting any reason's wording in any case, or a code 01-05.

    JSON Schema regexes have no case-insensitive flag, so each letter becomes [xX].
    """

    def word(token: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in token)

    alternatives = [
        r"\s*/\s*".join(r"\s+".join(word(w) for w in part.split()) for part in r.label.split("/"))
        for r in EXIT_REASONS
    ]
    return r"^\s*(?:" + "|".join([*alternatives, r"0*[1-5]"]) + r")\s*$"
