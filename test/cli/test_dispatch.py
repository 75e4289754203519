"""`thermal-fld` lists its subcommands and refuses unknown ones with usage, exit code 2."""

import subprocess
import sys

from thermal_fld_ros import cli


def test_help_lists_every_subcommand(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out


def test_unknown_command_exits_2_with_usage(capsys):
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_every_registered_subcommand_module_has_the_dispatch_interface():
    import importlib

    for name, (module_name, _) in cli.COMMANDS.items():
        module = importlib.import_module(f"thermal_fld_ros.cli.{module_name}")
        assert callable(module.add_arguments) and callable(module.run), name


def test_console_entry_point_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "thermal_fld_ros.cli", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "usage: thermal-fld" in result.stdout
