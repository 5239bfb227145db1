"""The CI workflow for the systems we cannot run here (.github/workflows/ci.yml) is valid and
does what issue 10 asks: three systems, two Pythons, fast and browser tests, the README's
Windows steps typed literally in cmd ending with the demo, and a leg that forces Edge.

No browser and no network: the file is read with PyYAML and checked against the parts of
GitHub's workflow schema we use (the workflow checks itself against the full schema with
check-jsonschema)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
CMD_CHECK = "if errorlevel 1 exit /b 1"
PS_CHECK = "if ($LASTEXITCODE) { exit $LASTEXITCODE }"

JOB_KEYS = {"name", "runs-on", "timeout-minutes", "strategy", "env", "steps", "needs", "if",
            "permissions", "defaults", "continue-on-error", "outputs"}
STEP_KEYS = {"name", "id", "uses", "run", "with", "env", "if", "shell", "working-directory",
             "continue-on-error", "timeout-minutes"}
SHELLS = {"bash", "pwsh", "powershell", "cmd", "sh", "python"}


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def readme_block(language: str) -> list[str]:
    """The lines of the first ```language block of the README's Windows section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    windows = text[text.index("### Windows"):]
    block = re.search(rf"```{language}\n(.*?)```", windows, re.S)
    assert block, f"no {language} block in the README's Windows section"
    return block.group(1).strip().splitlines()


def test_the_workflow_is_well_formed(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads the key `on` as True: accept either, as GitHub does.
    triggers = workflow.get("on", workflow.get(True)) or {}
    assert {"push", "pull_request"} <= set(triggers)
    assert set(workflow) <= {"name", "on", True, "permissions", "env", "jobs", "concurrency"}
    for name, job in workflow["jobs"].items():
        assert set(job) <= JOB_KEYS, name
        assert job["runs-on"] and job["steps"], name
        for step in job["steps"]:
            assert set(step) <= STEP_KEYS, step
            assert ("run" in step) != ("uses" in step), f"a step needs run or uses: {step}"
            assert "with" not in step or "uses" in step, step
            assert step.get("shell", "bash") in SHELLS, step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step


def test_three_systems_and_two_pythons_run_fast_and_browser_tests(
    workflow: dict[Any, Any]
) -> None:
    matrix = workflow["jobs"]["test"]["strategy"]["matrix"]
    assert set(matrix["os"]) == {"ubuntu-latest", "windows-latest", "macos-latest"}
    assert matrix["python"] == ["3.11", "3.13"], "versions as strings (3.10 would read 3.1)"
    commands = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert 'python -m pytest -m "not browser"' in commands
    assert "python -m pytest -m browser" in commands
    assert 'python -m pytest -p tests.portability -m "not browser"' in commands
    assert any("check-jsonschema --builtin-schema vendor.github-workflows" in c for c in commands)


def test_every_leg_lints_as_make_lint_does_before_the_tests(workflow: dict[Any, Any]) -> None:
    """`.ci/run` runs `make lint` before `make test`; each leg of the workflow runs the same
    commands as the Makefile's lint target (the workflow cannot call make on Windows), and runs
    them before any test, so a type error fails fast on every system."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint = makefile[makefile.index("\nlint:"):].split("\n\n")[0].splitlines()[1:]
    tools = [line.strip().replace("$(BIN)/", "").split()[0] for line in lint
             if line.startswith("\t")]
    assert tools == ["ruff", "mypy", "pyright"]
    commands = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    first_test = next(i for i, command in enumerate(commands) if "pytest" in command)
    for tool in tools:
        assert any(command.startswith(f"python -m {tool}")
                   for command in commands[:first_test]), tool
    # Installed as `make setup` installs, so mypy and pyright read the package.
    assert any("--config-settings editable_mode=strict" in command
               for command in commands[:first_test])
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # CI runs every test, the slow ones too (`make test` leaves them out).
    assert ci.index("make lint") < ci.index("make test-all")


def test_the_browser_check_names_a_module_that_exists(workflow: dict[Any, Any]) -> None:
    commands = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    [which] = [c for c in commands if c.startswith("python -m caljobs_bot.")]
    module = which.split()[-1].removeprefix("caljobs_bot.").split(".")
    assert (REPO / "bots").joinpath(*module).with_suffix(".py").is_file(), which


def test_a_leg_forces_edge(workflow: dict[Any, Any]) -> None:
    job = workflow["jobs"]["test"]
    edge = [leg for leg in job["strategy"]["matrix"]["include"] if leg.get("browser") == "edge"]
    assert edge and edge[0]["os"] == "windows-latest"
    assert "msedge.exe" in job["env"]["CALJOBS_BROWSER_PATH"]
    assert "matrix.browser == 'edge'" in job["env"]["CALJOBS_BROWSER_PATH"]


def test_windows_types_the_readme_commands_literally_in_cmd(workflow: dict[Any, Any]) -> None:
    job = workflow["jobs"]["readme-windows"]
    assert job["runs-on"] == "windows-latest"
    [cmd] = [step for step in job["steps"] if step.get("shell") == "cmd"]
    typed = [line.strip() for line in cmd["run"].strip().splitlines()]
    assert typed[-1].endswith("caljobs-bot demo")
    assert [line for line in typed if line != CMD_CHECK] == readme_block("bat")


def test_powershell_types_the_readme_commands_too(workflow: dict[Any, Any]) -> None:
    job = workflow["jobs"]["readme-windows"]
    [ps] = [step for step in job["steps"] if step.get("shell") == "powershell"]
    typed = [line.strip() for line in ps["run"].strip().splitlines()
             if line.strip() != PS_CHECK and not line.startswith("Remove-Item")]
    setup = [line for line in readme_block("powershell") if "CALJOBS_PASSWORD" not in line
             and " run " not in line]
    assert typed == setup
