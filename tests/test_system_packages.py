"""scripts/system-packages.sh decides what `make run` / `make test` need from Debian, and what to do about it.

Runs the real script with --dry-run and its test hooks (which packages count as missing, which privilege this user
has), so nothing here installs anything or needs the network. The one real call checks the fast path on this
machine, where the packages must already be present for the rest of the suite to pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-packages.sh"
RUN_PACKAGES = ["libgl1", "libglib2.0-0"]
TEST_PACKAGES = RUN_PACKAGES + ["fonts-droid-fallback", "fonts-dejavu-core", "chromium", "chromium-driver"]


def _script(*args: str, missing: str | None = None, privilege: str | None = None,
            apt: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENLEAF_SYSPKG_")}
    if missing is not None:
        env["GREENLEAF_SYSPKG_TEST_MISSING"] = missing
    if privilege is not None:
        env["GREENLEAF_SYSPKG_TEST_PRIVILEGE"] = privilege
    if apt is not None:
        env["GREENLEAF_SYSPKG_TEST_APT"] = apt
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


def test_everything_present_does_nothing_and_says_so():
    done = _script("test", "--dry-run", missing="")
    assert done.returncode == 0
    assert "nothing to install" in done.stdout
    assert "apt-get" not in done.stdout + done.stderr


def test_as_root_installs_exactly_the_missing_packages_with_apt():
    done = _script("test", "--dry-run", missing="chromium libgl1", privilege="root")
    assert done.returncode == 0
    assert done.stdout.strip().endswith("apt-get install -y -qq libgl1 chromium")
    assert "apt-get update" in done.stdout
    assert "sudo" not in done.stdout


def test_with_passwordless_sudo_installs_through_sudo():
    done = _script("test", "--dry-run", missing="fonts-droid-fallback", privilege="sudo")
    assert done.returncode == 0
    assert "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback" in done.stdout


def test_without_root_or_sudo_it_stops_with_the_one_command_in_both_languages():
    done = _script("test", "--dry-run", missing="chromium-driver fonts-dejavu-core", privilege="none")
    assert done.returncode == 1
    assert "当前用户无权安装" in done.stderr and "This user cannot install them" in done.stderr
    commands = [line.strip() for line in done.stderr.splitlines() if "apt-get install" in line]
    assert len(commands) == 1
    assert re.search(r"apt-get update && apt-get install -y fonts-dejavu-core chromium-driver'$", commands[0])


def test_without_apt_it_stops_and_names_the_packages():
    done = _script("run", "--dry-run", missing="libgl1", privilege="root", apt="absent")
    assert done.returncode == 1
    assert "没有 apt-get" in done.stderr and "no apt-get" in done.stderr and "libgl1" in done.stderr


def test_run_needs_only_the_ocr_libraries_and_test_needs_all():
    everything = " ".join(TEST_PACKAGES)
    run = _script("run", "--dry-run", missing=everything, privilege="root")
    test = _script("test", "--dry-run", missing=everything, privilege="root")
    assert run.stdout.split("install -y -qq ")[1].split() == RUN_PACKAGES
    assert test.stdout.split("install -y -qq ")[1].split() == TEST_PACKAGES


def test_usage_errors_exit_2():
    assert _script().returncode == 2
    assert _script("deploy").returncode == 2


def test_on_this_machine_the_check_is_a_quick_no_op():
    started = time.monotonic()
    done = _script("test")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    assert time.monotonic() - started < 2.0


def test_the_package_list_lives_only_in_the_script():
    for path in (ROOT / ".ci" / "run", ROOT / "Makefile"):
        text = path.read_text(encoding="utf-8")
        assert "scripts/system-packages.sh" in text
        assert "apt-get" not in text and "chromium-driver" not in text
