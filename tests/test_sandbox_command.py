"""`caljobs-bot sandbox` is a click command like the rest: its --help, its bad-value messages,
and the same command behind `python -m caljobs_bot.fixtures.sandbox` (which the bench and
people start by hand)."""

from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner

from caljobs_bot.cli import main
from caljobs_bot.fixtures.sandbox.__main__ import parse_args
from caljobs_bot.fixtures.sandbox.client import SandboxClient
from caljobs_bot.fixtures.sandbox.faults import FAULT_KNOBS
from caljobs_bot.fixtures.sandbox.wording import VARIANTS


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def test_help_is_clicks_and_lists_every_option_with_its_default() -> None:
    shown = CliRunner().invoke(main, ["sandbox", "--help"], prog_name="caljobs-bot")
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("Usage: caljobs-bot sandbox [OPTIONS]")
    assert "Options:" in shown.output and "-h, --help" in shown.output
    text = " ".join(shown.output.split())  # click wraps long lines
    for name, values in VARIANTS.items():
        assert f"{flag(name)} [{'|'.join(values)}]" in text
        assert f"[default: {values[0]}]" in text
    for name in FAULT_KNOBS:
        assert flag(name) in text
    for option in ("--port", "--host", "--db", "--markup-seed", "--rename KEY=WORDS",
                   "--rename-seed [1|2|3]", "--verbose", "[default: 8765;"):
        assert option in text


def test_a_bad_value_is_clicks_usage_error_naming_the_flag() -> None:
    for args, message in (
        (["--ui", "2019"], "Invalid value for '--ui': '2019' is not one of '2021', '2016'."),
        (["--latency-ms", "soon"], "Invalid value for '--latency-ms': 'soon' is not a number"),
        (["--error-rate", "2"], "Invalid value for '--error-rate': error_rate must be a "
                                "number from 0 to 1"),
        (["--rename", "case.create_button"], "Invalid value for '--rename': --rename "
                                             "'case.create_button': write KEY=WORDS"),
        (["--port", "99999"], "Invalid value for '--port'"),
    ):
        shown = CliRunner().invoke(main, ["sandbox", *args], prog_name="caljobs-bot")
        assert shown.exit_code == 2, (args, shown.output)
        assert "Usage: caljobs-bot sandbox [OPTIONS]" in shown.output
        assert message in " ".join(shown.output.split()), shown.output


def test_parse_args_reads_variants_faults_and_renames_as_the_command_does() -> None:
    options = parse_args(["--ui", "2016", "--maintenance", "--save-error-for", "1,2",
                          "--rename-seed", "2", "--rename", "case.create_button=New Exit",
                          "--port", "0"])
    assert options.port == 0 and options.variants["ui"] == "2016"
    assert options.variants["popup"] == "window"  # the first value is the default
    assert options.faults == {"maintenance": True, "save_error_for": ["1", "2"]}
    assert options.renames == {"outcome.exit_date": "Date of Exit",
                               "outcome.office_location": "Office",
                               "case.create_button": "New Exit"}


def test_python_dash_m_is_the_same_command_and_serves() -> None:
    """The module runs the click command: its --help is click's under its own name, and it
    starts the site and says where on its first line (what bench/harness.py reads)."""
    shown = subprocess.run([sys.executable, "-m", "caljobs_bot.fixtures.sandbox", "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Usage: python -m caljobs_bot.fixtures.sandbox [OPTIONS]")
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "caljobs_bot.fixtures.sandbox", "--port", "0",
         "--latency-ms", "5", "--ui", "2016"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"Sandbox at (http://\S+?)/vosnet/Default\.aspx", first)
        assert found is not None, first
        config = SandboxClient(found[1]).config()
        assert config["ui"] == "2016" and config["faults"]["latency_ms"] == 5
    finally:
        process.terminate()
        process.wait(timeout=10)
