"""The systemd units in docs/deploy/ are valid and call `murasil` with options it accepts."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

from django.core.management import get_commands, load_command_class

import pytest

UNITS = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))


def exec_start(unit: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(unit)
    return shlex.split(parser["Service"]["ExecStart"].replace("%i", "8000"))


def test_every_unit_is_there():
    names = {unit.name for unit in UNITS.iterdir()}
    assert {
        "murasil@.service",
        "murasil-scheduler@.service",
        "murasil-publish.service",
        "murasil-publish.timer",
    } <= names


@pytest.mark.parametrize("unit", SERVICES, ids=[unit.name for unit in SERVICES])
def test_exec_start_uses_real_options(unit):
    program, command, *options = exec_start(unit)
    assert program.endswith("/bin/murasil")
    parsed = (
        load_command_class(get_commands()[command], command).create_parser("murasil", command).parse_args(options)
    )  # exits on an unknown option
    if unit.name == "murasil@.service":
        assert parsed.no_scheduler
    if unit.name == "murasil-scheduler@.service":
        assert not parsed.no_scheduler


@pytest.mark.parametrize("unit", sorted(UNITS.iterdir()), ids=lambda unit: unit.name)
def test_systemd_accepts_the_unit(unit):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    # The program itself is not installed here; anything else systemd complains about is a mistake.
    problems = [line for line in result.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert problems == []
