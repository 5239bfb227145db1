"""The `caljobs-bot` command line: parse, call, print. The work happens elsewhere.

One module per command group, added to the group here: running a job (run, validate),
reading what the site holds (audit),
checking a site (check, calibrate), setting up (config, login, wording), the trainers
(walkthrough, guide, practice), job files (import, schema) and the mock site (sandbox, demo). The
options several commands share are in options.py, and how they become settings, a sign-in and
a browser in site.py. Heavy imports (Playwright, Flask) happen inside the commands that need
them, so `--help` and `validate` start fast and work without a browser.
"""

from __future__ import annotations

from caljobs_bot.cli.auditing import audit
from caljobs_bot.cli.checking import calibrate, check
from caljobs_bot.cli.common import EXAMPLE_JOB
from caljobs_bot.cli.group import main
from caljobs_bot.cli.jobs import import_command, schema
from caljobs_bot.cli.running import run, validate
from caljobs_bot.cli.sandbox import demo, sandbox
from caljobs_bot.cli.setting_up import config, login, wording
from caljobs_bot.cli.trainers import guide, practice, walkthrough
from caljobs_bot.fixtures.sandbox import SANDBOX_PASSWORD, SANDBOX_USERNAME

for _command in (run, validate, audit, check, calibrate, config, login, wording, walkthrough, guide,
                 practice, import_command, schema, sandbox, demo):
    main.add_command(_command)

__all__ = ["EXAMPLE_JOB", "SANDBOX_PASSWORD", "SANDBOX_USERNAME", "main"]
