"""Every store command, option and filter is documented in docs/store.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from sambandh.cli import cli
from sambandh.store import FILTERS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "store.md").read_text(encoding="utf-8")
COMMANDS = ("ingest", "reprocess", "events", "dyad", "export", "stats")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_its_options_are_documented(name):
    import click

    cmd = cli.get_command(click.Context(cli), name)
    assert f"sambandh {name}" in DOC
    missing = [opt for param in cmd.params if isinstance(param, click.Option) for opt in param.opts
               if opt.startswith("--") and opt not in DOC]
    assert not missing, f"sambandh {name}: {', '.join(missing)} not in docs/store.md"


def test_filters_are_documented():
    for name in FILTERS:
        assert f"`{name}`" in DOC
