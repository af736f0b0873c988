"""Every command is documented in the README, and every README command parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from sambandh.cli import COMMANDS, cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name):
    assert re.search(rf"\bsambandh {name}\b", README), f"`sambandh {name}` is not in README.md"


def readme_commands() -> list[list[str]]:
    out = []
    for block in re.findall(r"```\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("sambandh "):
                out.append(shlex.split(line)[1:])
    return out


@pytest.mark.parametrize("args", readme_commands(), ids=lambda a: " ".join(a)[:50])
def test_readme_commands_have_valid_options(args):
    """Each README command's subcommand and options exist (checked with --help, nothing is run)."""
    import click

    ctx = click.Context(cli)
    command: click.Command = cli
    path: list[str] = []
    words = list(args)
    while words and isinstance(command, click.Group):
        sub = command.get_command(ctx, words[0])
        assert sub is not None, f"no command {' '.join(path + words[:1])}"
        command = sub
        path.append(words.pop(0))
    help_text = CliRunner().invoke(cli, [*path, "--help"]).output
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in help_text, f"{' '.join(path)}: no option {word}"
