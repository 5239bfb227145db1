"""A small disk for the full-disk tests: a tmpfs of a given size, where the test may mount
one (root on Linux); elsewhere the test skips and its simulated-ENOSPC twin still runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_tmpfs(tmp_path: Path, size_kb: int) -> Iterator[Path]:
    """A folder on a tmpfs of `size_kb` KB, unmounted afterwards; skips the test where none
    can be mounted."""
    geteuid = getattr(os, "geteuid", None)  # Windows has none
    if not sys.platform.startswith("linux") or geteuid is None or geteuid() != 0 \
            or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    place = tmp_path / "small"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                              str(place)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"tmpfs could not be mounted here: {mounted.stderr.strip()}")
    try:
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], capture_output=True, check=False)
