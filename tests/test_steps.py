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


# The modules of bots/steps/ that define a step, by the name each gives it; and those that
# hold what several steps share (they must import no step, so nothing imports back up).
STEP_MODULES = {
    "find_participant": "FIND_PARTICIPANT", "open_application": "OPEN_APPLICATION",
    "create_outcome": "CREATE_OUTCOME", "general_information": "GENERAL_INFORMATION",
    "exit_information": "EXIT_INFORMATION", "alternate_contacts": "ALTERNATE_CONTACTS",
    "case_manager": "CASE_MANAGER", "case_note": "CASE_NOTE", "review": "REVIEW",
    "save": "SAVE", "confirm": "CONFIRM",
}
BELOW_THE_STEPS = ("step", "targets", "instructions", "practice_checks", "framing", "filling",
                   "walk_ends")


def _steps_imported_by(module: str) -> set[str]:
    """The bots/steps/ modules this one imports, at run time or for type checking alone (a
    structure drawing shows both)."""
    import ast
    from pathlib import Path

    source = Path(__file__).parents[1] / "bots" / "steps" / f"{module}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("caljobs_bot.steps."):
                found.add(node.module.rsplit(".", 1)[1])
            elif node.module == "caljobs_bot.steps":
                found |= {alias.name for alias in node.names}
    return found


def test_each_step_is_defined_in_a_module_of_its_own_in_help_sheet_order() -> None:
    import importlib

    assert list(STEP_MODULES) == [s.key for s in STEPS]
    for module, name in STEP_MODULES.items():
        defined = getattr(importlib.import_module(f"caljobs_bot.steps.{module}"), name)
        assert defined is step(module)


@pytest.mark.parametrize("module", [*BELOW_THE_STEPS, *STEP_MODULES])
def test_no_step_module_is_imported_back(module: str) -> None:
    """The Step type and the shared helpers import no step and not the list of them; a step
    imports no other step: each reads downwards only."""
    imported = _steps_imported_by(module)
    assert not imported & {*STEP_MODULES, "definitions"}, imported
    if module in BELOW_THE_STEPS:
        assert imported <= set(BELOW_THE_STEPS) | {"results", "state", "preflight"}, imported


def test_only_the_page_objects_find_elements_by_caption() -> None:
    """pages/fields.py finds things by literal words; outside pages/ everything asks a page
    object, which reads the wording table in force, so a site that words things its own
    way (a wording file) reaches the trainer tools as it reaches the bot."""
    import ast
    from pathlib import Path

    root = Path(__file__).parents[1]
    importers = []
    for folder in ("bots", "bench", "fixtures"):
        for source in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [a.name for a in node.names] if isinstance(node, ast.Import)
                         else [])
                if isinstance(node, ast.ImportFrom) and node.module == "caljobs_bot.pages":
                    names += [f"caljobs_bot.pages.{a.name}" for a in node.names]
                if "caljobs_bot.pages.fields" in names:
                    importers.append(str(source.relative_to(root)))
    assert importers == []
