"""Settings from flags, CALJOBS_ variables and caljobs-bot.toml, and the password's sources.

No browser and no real keyring: every test passes its own environment, folder and keyring.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from caljobs_bot.cli.options import SettingOption
from caljobs_bot.form_fields import GENERAL_INFORMATION
from caljobs_bot.settings.config import (
    ConfigError,
    Settings,
    confirm_production,
    find_config_file,
    load_settings,
)
from caljobs_bot.settings.config_show import describe
from caljobs_bot.settings.credentials import (
    SERVICE,
    CredentialsError,
    get_password,
    get_username,
    keyring_key,
    password_source,
    store_password,
)
from caljobs_bot.settings.keys import BY_NAME, KEYS, Key
from caljobs_bot.settings.values import Origin, Source

LOCAL_URL = "http://127.0.0.1:8765/vosnet/Default.aspx"
REMOTE_URL = "https://caljobs.example.gov/vosnet/Default.aspx"

LAYERED = f"""
base_url = "{LOCAL_URL}"
timeout = 20
retries = 3

[profiles.training]
timeout = 30
username = "sandbox"

[profiles.production]
production = true
base_url = "{REMOTE_URL}"
"""


def write(folder: Path, text: str, name: str = "caljobs-bot.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path, flags: dict[str, object] | None = None,
         env: dict[str, str] | None = None, **options: object) -> Settings:
    """load_settings with this folder as the working folder and a clean environment."""
    env = {"HOME": str(folder / "home"), **(env or {})}
    return load_settings(flags=flags or {}, env=env, cwd=folder, **options)  # type: ignore[arg-type]


# -- precedence ------------------------------------------------------------------------------

def test_flag_beats_env_beats_profile_beats_file_beats_default(tmp_path: Path) -> None:
    config = write(tmp_path, LAYERED)
    env = {"CALJOBS_TIMEOUT": "40"}

    flagged = load(tmp_path, {"timeout": 50.0}, env, profile="training")
    assert (flagged.timeout_seconds, str(flagged.sources["timeout"])) == (50, "flag --timeout")
    from_env = load(tmp_path, {"timeout": None}, env, profile="training")
    assert from_env.timeout_seconds == 40
    assert from_env.sources["timeout"] == Origin(Source.ENVIRONMENT, "CALJOBS_TIMEOUT")
    assert str(from_env.sources["timeout"]) == "env CALJOBS_TIMEOUT"
    from_profile = load(tmp_path, {}, {}, profile="training")
    assert from_profile.timeout_seconds == 30
    assert str(from_profile.sources["timeout"]) == f"file {config} [training]"
    top = load(tmp_path, {}, {})
    assert (top.timeout_seconds, str(top.sources["timeout"])) == (20, f"file {config}")
    config.unlink()
    default = load(tmp_path)
    assert (default.timeout_seconds, str(default.sources["timeout"])) == (15, "default")


def test_profile_inherits_what_it_does_not_override(tmp_path: Path) -> None:
    write(tmp_path, LAYERED)
    settings = load(tmp_path, profile="training")
    assert settings.retries == 3 and settings.base_url == LOCAL_URL
    assert settings.username == "sandbox" and settings.profile == "training"


def test_env_values_are_parsed_as_text_and_empty_ones_do_not_count(tmp_path: Path) -> None:
    settings = load(tmp_path, env={"CALJOBS_HEADLESS": "false", "CALJOBS_WORKERS": "3",
                                   "CALJOBS_BASE_URL": LOCAL_URL, "CALJOBS_USERNAME": ""})
    assert settings.headless is False and settings.workers == 3
    assert settings.username is None and str(settings.sources["username"]) == "default"


def test_relative_runs_dir_in_a_file_is_relative_to_that_file(tmp_path: Path) -> None:
    elsewhere = tmp_path / "conf"
    elsewhere.mkdir()
    config = write(elsewhere, 'runs_dir = "evidence"\n')
    settings = load(tmp_path, config_path=config)
    assert settings.runs_dir == elsewhere / "evidence"
    assert load(tmp_path, {"runs_dir": Path("mine")}).runs_dir == Path("mine")


# -- finding the file ------------------------------------------------------------------------

def test_config_file_search_order(tmp_path: Path) -> None:
    """The Linux/macOS order; named, so the test means the same on Windows (which reads
    APPDATA instead: test_windows_uses_appdata, tests/test_portability.py)."""
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert find_config_file(cwd=tmp_path, env=env, platform="linux") is None
    home_file = write_nested(tmp_path / "home" / ".config" / "caljobs-bot")
    assert find_config_file(cwd=tmp_path, env={"HOME": env["HOME"]},
                            platform="linux") == home_file
    xdg_file = write_nested(tmp_path / "xdg" / "caljobs-bot")
    assert find_config_file(cwd=tmp_path, env=env, platform="linux") == xdg_file
    local = write(tmp_path, "")
    assert find_config_file(cwd=tmp_path, env=env, platform="linux") == local
    chosen = write(tmp_path, "", name="other.toml")
    assert find_config_file(chosen, cwd=tmp_path, env=env, platform="linux") == chosen


def test_windows_uses_appdata(tmp_path: Path) -> None:
    appdata_file = write_nested(tmp_path / "AppData" / "caljobs-bot")
    found = find_config_file(cwd=tmp_path, env={"APPDATA": str(tmp_path / "AppData")},
                             platform="win32")
    assert found == appdata_file


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"--config .*nope\.toml: no such file"):
        find_config_file(Path("nope.toml"), cwd=tmp_path, env={})


def write_nested(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return write(folder, "")


# -- profiles --------------------------------------------------------------------------------

def test_profile_from_env_and_flag_wins(tmp_path: Path) -> None:
    write(tmp_path, LAYERED)
    by_env = load(tmp_path, env={"CALJOBS_PROFILE": "production"})
    assert by_env.profile == "production"
    assert str(by_env.sources["profile"]) == "env CALJOBS_PROFILE"
    by_flag = load(tmp_path, env={"CALJOBS_PROFILE": "production"}, profile="training")
    assert by_flag.profile == "training"


def test_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path, LAYERED)
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, profile="trainig")
    assert "'trainig'" in str(caught.value)
    assert "Known profiles: production, training." in str(caught.value)


def test_profile_without_a_config_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no config file was found"):
        load(tmp_path, profile="training")


def test_production_profile_must_be_confirmed_by_name(tmp_path: Path) -> None:
    write(tmp_path, LAYERED)
    production = load(tmp_path, profile="production")
    training = load(tmp_path, profile="training")
    assert production.production and not training.production
    asked: list[str] = []

    def answer_yes(question: str) -> str:
        asked.append(question)
        return "yes"

    assert not confirm_production(production, answer_yes)
    assert "Type the profile name to continue" in asked[0]
    assert confirm_production(production, lambda _q: "production")
    assert confirm_production(training, lambda _q: pytest.fail("must not ask"))


def test_production_outside_a_profile_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "production = true\n")
    with pytest.raises(ConfigError, match=r"caljobs-bot\.toml:1: production: belongs in a "
                                          r"\[profiles\.NAME\]"):
        load(tmp_path)


# -- what the file may not hold, and how mistakes are reported -------------------------------

@pytest.mark.parametrize("text, line, table", [
    ('username = "sandbox"\npassword = "hunter2"\n', 2, ""),
    ('[profiles.training]\nusername = "sandbox"\npassword = "hunter2"\n', 3,
     "[profiles.training] "),
])
def test_password_in_the_file_is_refused_without_echoing_it(tmp_path: Path, text: str,
                                                            line: int, table: str) -> None:
    config = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, profile="training" if table else None)
    message = str(caught.value)
    assert message.startswith(f"{config}:{line}: {table}password: a password must never")
    assert "CALJOBS_PASSWORD" in message and "hunter2" not in message


def test_bad_toml_names_the_file_and_line(tmp_path: Path) -> None:
    config = write(tmp_path, 'timeout = 15\nworkers = \n')
    with pytest.raises(ConfigError, match=rf"^{config}:2: .*\(column \d+\)"):
        load(tmp_path)


@pytest.mark.parametrize("text, expected", [
    ('workers = "two"\n', r":1: workers: must be a whole number from 1 to 8, not 'two'"),
    ('workers = true\n', r":1: workers: must be a whole number"),
    ('workers = 9\n', r":1: workers: must be a whole number from 1 to 8, not 9"),
    ('headless = "no"\n', r":1: headless: must be true or false"),
    ('trace = "sometimes"\n', r":1: trace: must be one of always, on-failure, off"),
    ('base_url = "caljobs.ca.gov"\n', r":1: base_url: must be the full address"),
    ('\n[profiles.training]\ntimeout = 15000\n',
     r":3: \[profiles.training\] timeout: must be a number from 1 to 600 seconds"),
])
def test_type_errors_name_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected):
        load(tmp_path, profile="training" if "profiles" in text else None)


def test_env_type_error_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"workers \(env CALJOBS_WORKERS\): must be a whole"):
        load(tmp_path, env={"CALJOBS_WORKERS": "lots"})


def test_misspelt_key_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path, "worker = 1\n")
    with pytest.raises(ConfigError, match="worker: unknown setting. Did you mean workers?"):
        load(tmp_path)


# -- politeness ------------------------------------------------------------------------------

def test_non_local_site_caps_workers_and_defaults_the_rate(tmp_path: Path) -> None:
    settings = load(tmp_path, {"workers": 4, "base_url": REMOTE_URL})
    assert settings.workers == 2 and settings.rate_limit == 30
    assert "capped" in str(settings.sources["workers"])
    assert settings.sources["workers"] == Origin(Source.SITE_LIMIT,
                                                 capped=Origin(Source.COMMAND_LINE, "--workers"))
    assert str(settings.sources["rate_limit"]) == "default for a non-local site"
    assert any("lowered to 2" in warning for warning in settings.warnings)


def test_non_local_site_keeps_a_lower_rate_and_refuses_a_higher_one(tmp_path: Path) -> None:
    slower = load(tmp_path, {"rate_limit": 10.0}, {"CALJOBS_BASE_URL": REMOTE_URL})
    assert slower.rate_limit == 10
    with pytest.raises(ConfigError, match=r"rate_limit \(flag --rate-limit\): 60 page loads "
                                          r"a minute is too fast .* the most is 30"):
        load(tmp_path, {"rate_limit": 60.0}, {"CALJOBS_BASE_URL": REMOTE_URL})


@pytest.mark.parametrize("url", [LOCAL_URL, "http://localhost:5000/x", "http://[::1]:80/x"])
def test_local_site_has_no_cap(tmp_path: Path, url: str) -> None:
    settings = load(tmp_path, {"workers": 8, "rate_limit": 600.0, "base_url": url})
    assert (settings.workers, settings.rate_limit, settings.warnings) == (8, 600, ())


def test_local_exempt_false_gives_this_machine_the_non_local_limits(tmp_path: Path) -> None:
    off = {"CALJOBS_LOCAL_EXEMPT": "false"}
    settings = load(tmp_path, {"workers": 4, "base_url": LOCAL_URL}, off)
    assert (settings.workers, settings.rate_limit) == (2, 30)
    assert str(settings.sources["local_exempt"]) == "env CALJOBS_LOCAL_EXEMPT"
    with pytest.raises(ConfigError, match="too fast"):
        load(tmp_path, {"rate_limit": 600.0, "base_url": LOCAL_URL}, off)
    # It only ever slows a run: a site that is not this machine is capped either way.
    remote = load(tmp_path, {"workers": 4, "base_url": REMOTE_URL},
                  {"CALJOBS_LOCAL_EXEMPT": "true"})
    assert (remote.workers, remote.rate_limit) == (2, 30)


# -- TLS -------------------------------------------------------------------------------------

def test_ignore_https_errors_is_refused_in_production(tmp_path: Path) -> None:
    write(tmp_path, LAYERED + "ignore_https_errors = true\n")
    with pytest.raises(ConfigError, match=r":13: \[profiles.production\] ignore_https_errors:"
                                          r" not allowed in a production profile"):
        load(tmp_path, profile="production")


def test_ignore_https_errors_on_a_test_profile_warns(tmp_path: Path) -> None:
    write(tmp_path, LAYERED.replace('username = "sandbox"',
                                    'username = "sandbox"\nignore_https_errors = true'))
    settings = load(tmp_path, profile="training")
    assert settings.ignore_https_errors
    assert any("ignores TLS certificate errors" in w for w in settings.warnings)
    assert not load(tmp_path, profile="production").ignore_https_errors


def test_ignore_https_errors_at_top_level_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "ignore_https_errors = true\n")
    with pytest.raises(ConfigError, match="belongs in a"):
        load(tmp_path)


# -- config show -----------------------------------------------------------------------------

def test_describe_names_sources_and_masks_secrets(tmp_path: Path) -> None:
    config = write(tmp_path, LAYERED)
    settings = load(tmp_path, {"workers": 2},
                    {"CALJOBS_BASE_URL": "http://sandbox:s3cret@127.0.0.1:8765/vosnet/"},
                    profile="training")
    shown = describe(settings, password_source="env CALJOBS_PASSWORD")
    lines = {line.split()[0]: line for line in shown.splitlines()[3:] if line.strip()}
    assert "s3cret" not in shown
    assert "http://sandbox:***@127.0.0.1:8765/vosnet/" in lines["base_url"]
    assert lines["base_url"].endswith("env CALJOBS_BASE_URL")
    assert lines["workers"].endswith("flag --workers")
    assert lines["timeout"].endswith(f"file {config} [training]")
    assert lines["retries"].endswith(f"file {config}")
    assert lines["headless"].endswith("default")
    assert lines["password"].split()[1] == "***"
    assert "Profile: training (flag --profile)" in shown


# -- the password ----------------------------------------------------------------------------

class FakeKeyring:
    """The keyring library's get/set/delete, in memory."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service_name: str, username: str) -> str | None:
        return self.entries.get((service_name, username))

    def set_password(self, service_name: str, username: str, password: str) -> None:
        self.entries[(service_name, username)] = password


class BrokenKeyring:
    """A machine without a usable backend, as keyring's fail backend behaves."""

    def get_password(self, service_name: str, username: str) -> str | None:
        raise RuntimeError("No recommended backend was available.")

    def set_password(self, service_name: str, username: str, password: str) -> None:
        raise RuntimeError("No recommended backend was available.")


def no_prompt(_question: str) -> str:
    raise AssertionError("must not prompt")


def test_password_from_env_comes_first() -> None:
    store = FakeKeyring()
    store.set_password(SERVICE, keyring_key(REMOTE_URL, "lac"), "from-keyring")
    found = get_password(REMOTE_URL, "lac", env={"CALJOBS_PASSWORD": "from-env"},
                         keyring_module=store, prompt=no_prompt)
    assert found == "from-env"


def test_password_from_keyring_is_per_host_and_username() -> None:
    store = FakeKeyring()
    store.set_password(SERVICE, "lac@caljobs.example.gov", "kept")
    assert get_password(REMOTE_URL, "lac", env={}, keyring_module=store,
                        prompt=no_prompt) == "kept"
    assert password_source(REMOTE_URL, "lac", env={}, keyring_module=store).startswith(
        "system keyring")
    with pytest.raises(CredentialsError):
        get_password(LOCAL_URL, "lac", env={}, keyring_module=store, interactive=False)


def test_prompted_password_can_be_saved_to_the_keyring() -> None:
    store = FakeKeyring()
    said: list[str] = []
    found = get_password(REMOTE_URL, "lac", env={}, interactive=True, keyring_module=store,
                         prompt=lambda _q: "typed", ask=lambda _q: "y", say=said.append)
    assert found == "typed"
    assert store.entries == {(SERVICE, "lac@caljobs.example.gov"): "typed"}
    assert "typed" not in said[0] and "Saved in the system keyring" in said[0]


def test_prompted_password_is_not_saved_unless_asked() -> None:
    store = FakeKeyring()
    get_password(REMOTE_URL, "lac", env={}, interactive=True, keyring_module=store,
                 prompt=lambda _q: "typed", ask=lambda _q: "")
    assert store.entries == {}


def test_no_terminal_says_which_variables_to_set() -> None:
    with pytest.raises(CredentialsError) as caught:
        get_password(REMOTE_URL, "lac", env={}, interactive=False, keyring_module=FakeKeyring(),
                     prompt=no_prompt)
    assert "CALJOBS_PASSWORD" in str(caught.value) and "CALJOBS_USERNAME" in str(caught.value)
    with pytest.raises(CredentialsError, match="CALJOBS_USERNAME"):
        get_username(None, interactive=False)


def test_broken_keyring_is_quiet_until_asked_to_store() -> None:
    said: list[str] = []
    found = get_password(REMOTE_URL, "lac", env={}, interactive=True,
                         keyring_module=BrokenKeyring(), prompt=lambda _q: "typed",
                         ask=lambda _q: "n", say=said.append)
    assert found == "typed" and said == []
    assert not store_password(REMOTE_URL, "lac", "typed", keyring_module=BrokenKeyring())
    get_password(REMOTE_URL, "lac", env={}, interactive=True, keyring_module=BrokenKeyring(),
                 prompt=lambda _q: "typed", ask=lambda _q: "y", say=said.append)
    assert len(said) == 1 and "no usable system keyring" in said[0]
    assert "typed" not in said[0]


def test_real_keyring_fail_backend_means_not_stored() -> None:
    fail = pytest.importorskip("keyring.backends.fail")
    assert password_source(REMOTE_URL, "lac", env={}, keyring_module=fail.Keyring()).startswith(
        "not stored")
    assert not store_password(REMOTE_URL, "lac", "x", keyring_module=fail.Keyring())


# -- the table: every key has its flag, variable and file key, all generated from it ---------

def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name, command


def test_every_flag_comes_from_its_key_and_every_key_with_a_flag_is_offered() -> None:
    """The old table named --lwia-region and two more flags that no command had; now every
    setting flag of every command is generated from a row, and no command writes one by
    hand."""
    from caljobs_bot.cli import main

    table_flags = {key.flag for key in KEYS if key.flag}
    offered: dict[str, set[str]] = {}
    for name, command in _commands(main):
        for param in command.params:
            if isinstance(param, SettingOption):
                assert BY_NAME[param.key.name] is param.key, (name, param.opts)
                assert param.opts == [param.key.flag], (name, param.opts)
                offered.setdefault(param.key.name, set()).add(name)
            else:
                assert not set(param.opts) & table_flags, (
                    f"{name}: {param.opts} is a setting's flag written by hand")
    assert set(offered) == {key.name for key in KEYS if key.flag}
    # The commands that load a job file with the settings take every General Information
    # default, one per row of the form's table.
    for form_field in GENERAL_INFORMATION:
        key = BY_NAME[form_field.attribute]
        assert key.flag == "--" + form_field.attribute.replace("_", "-")
        assert key.env_name == "CALJOBS_" + form_field.attribute.upper()
        assert {"run", "validate", "config show"} <= offered[key.name]


def test_every_key_is_a_settings_field_or_a_form_default() -> None:
    attributes = {each.name for each in fields(Settings)}
    for key in KEYS:
        if key.attribute is None:
            assert key.name in {f.attribute for f in GENERAL_INFORMATION}
        else:
            assert key.attribute in attributes
    assert len({key.name for key in KEYS}) == len(KEYS)
    assert {key.env_name for key in KEYS if key.env} == {
        "CALJOBS_" + key.name.upper() for key in KEYS if not key.profile_only}


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else json.dumps(str(value))


def _as_text(value: object) -> str:
    return _toml(value).strip('"')


def _config_show(tmp_path: Path, args: list[str], env: dict[str, str],
                 monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """`caljobs-bot config show` in tmp_path, with only these CALJOBS_ variables: each
    setting's line by its key."""
    from caljobs_bot.cli import main

    clean: dict[str, str | None] = {name: None for name in os.environ
                                    if name.startswith("CALJOBS_")}
    home = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
            "APPDATA": str(tmp_path / "appdata")}
    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(main, ["config", "show", *args], env={**clean, **home, **env})
    assert shown.exit_code == 0, shown.output
    return {line.split()[0]: line for line in shown.output.splitlines()[3:] if line.strip()}


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.name)
def test_each_key_from_the_file_a_variable_and_its_flag_with_its_source(
        tmp_path: Path, key: Key, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key, given each way it can be given: `config show` names where its value came
    from, and the settings hold that as a Source."""
    example = key.kind.example
    table = "[profiles.t]\n" if key.profile_only else ""
    profile = ["--profile", "t"] if key.profile_only else []
    config = tmp_path / "conf.toml"
    config.write_text(f"{table}{key.name} = {_toml(example)}\n", encoding="utf-8")

    lines = _config_show(tmp_path, ["--config", str(config), *profile], {}, monkeypatch)
    where = f"file {config}" + (" [t]" if key.profile_only else "")
    assert lines[key.name].endswith(where), lines[key.name]
    settings = load(tmp_path, config_path=config, profile="t" if key.profile_only else None)
    assert settings.sources[key.name].source is (
        Source.PROFILE if key.profile_only else Source.CONFIG_FILE)

    if key.env:
        variables = {key.env_name: _as_text(example)}
        shown = _config_show(tmp_path, [], variables, monkeypatch)[key.name]
        assert shown.endswith(f"env {key.env_name}"), shown
        from_env = load(tmp_path, env=variables)
        assert from_env.sources[key.name] == Origin(Source.ENVIRONMENT, key.env_name)
    else:
        from_env = load(tmp_path, env={key.env_name: _as_text(example)})
        assert from_env.sources[key.name].source is Source.DEFAULT

    if key.flag:
        given = [key.flag] if key.switch is not None else [key.flag, _as_text(example)]
        line = _config_show(tmp_path, given, {}, monkeypatch)[key.name]
        assert line.endswith(f"flag {key.flag}"), line
        value = key.switch if key.switch is not None else example
        flagged = load(tmp_path, {key.name: value})
        assert flagged.sources[key.name] == Origin(Source.COMMAND_LINE, key.flag)
    else:
        with pytest.raises(ValueError, match="no such setting"):
            load(tmp_path, {key.name: example})
    # Not given at all: the default (or, for the rate, the limit of a site that is not
    # this machine, as no base_url says it is this one).
    assert load(tmp_path).sources[key.name].source in {Source.DEFAULT, Source.SITE_LIMIT}


def test_general_information_defaults_reach_the_job_by_flag_variable_and_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate` (which loads a job as `run` does) fills a General Information field the job
    leaves out from each way its setting can be given, and says where it came from."""
    from caljobs_bot.cli import main

    job = tmp_path / "job.yaml"
    job.write_text('records:\n  - participant: {state_id: "34712"}\n'
                   "    exit_date: 2021-06-24\n    exit_reason: Institutionalized\n"
                   "    lwia_region: Los Angeles County WDACS\n", encoding="utf-8")
    write(tmp_path, 'office_location = "2703 - LAO Community and Senior Services"\n')
    monkeypatch.chdir(tmp_path)
    clean: dict[str, str | None] = {name: None for name in os.environ
                                    if name.startswith("CALJOBS_")}
    shown = CliRunner().invoke(main, ["validate", str(job), "--staff-position", "Staff"],
                               env={**clean, "HOME": str(tmp_path)})
    assert shown.exit_code == 0, shown.output
    assert "staff_position 'Staff' for 1 record: from flag --staff-position" in shown.output
    assert "office_location '2703 - LAO Community and Senior Services' for 1 record: from " \
           f"file {tmp_path / 'caljobs-bot.toml'}" in shown.output
    by_env = CliRunner().invoke(main, ["validate", str(job)],
                                env={**clean, "HOME": str(tmp_path),
                                     "CALJOBS_STAFF_POSITION": "Staff"})
    assert "staff_position 'Staff' for 1 record: from env CALJOBS_STAFF_POSITION" in \
        by_env.output
    missing = CliRunner().invoke(main, ["validate", str(job)],
                                 env={**clean, "HOME": str(tmp_path)})
    assert missing.exit_code == 2 and "staff_position" in missing.output


def test_relative_paths_in_a_file_are_relative_to_that_file_whatever_their_kind(
        tmp_path: Path) -> None:
    """browser_path is kept as text (Playwright takes it so), runs_dir and wording as paths;
    all three, written relative in the file, are relative to the file."""
    elsewhere = tmp_path / "conf"
    elsewhere.mkdir()
    config = write(elsewhere, 'browser_path = "bin/msedge.exe"\nwording = "w.toml"\n'
                              'runs_dir = "evidence"\n')
    settings = load(tmp_path, config_path=config)
    assert settings.browser_path == str(elsewhere / "bin" / "msedge.exe")
    assert settings.wording == elsewhere / "w.toml"
    assert settings.runs_dir == elsewhere / "evidence"
    assert load(tmp_path, {"browser_path": "msedge.exe"}).browser_path == "msedge.exe"


def test_a_new_general_information_row_is_a_new_setting_with_no_other_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings table reads the form's table: one more row there (as issue 22's added
    field will be) is one more key, variable and flag for the job-file commands."""
    from caljobs_bot.form_fields import FormField
    from caljobs_bot.settings import keys

    extra = FormField("program_type", "outcome.program_type", "Program Type", "choice",
                      "Program Type, as the dropdown shows it.")
    monkeypatch.setattr(keys, "GENERAL_INFORMATION", (*GENERAL_INFORMATION, extra))
    table = {key.name: key for key in keys._keys()}
    added = table["program_type"]
    assert (added.flag, added.env_name, added.attribute) == (
        "--program-type", "CALJOBS_PROGRAM_TYPE", None)
    assert keys.FlagGroup.JOB_FILE in added.groups and "Program Type" in added.help
    assert set(table) == {key.name for key in KEYS} | {"program_type"}
