"""The `sambandh` command. Only argument parsing lives here and in each
command module; the work is done by the library.

Commands are registered by name -> "module:function" and imported only when
used, so `sambandh --help` and start-up stay fast. A command module adds one
line to COMMANDS.
"""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__
from .errors import SambandhError

COMMANDS: dict[str, str] = {
    "extract": "sambandh.commands.extract:extract",
    "ingest": "sambandh.commands.ingest:ingest",
    "reprocess": "sambandh.commands.ingest:reprocess",
    "events": "sambandh.commands.events:events",
    "dyad": "sambandh.commands.dyad:dyad",
    "export": "sambandh.commands.export:export",
    "stats": "sambandh.commands.stats:stats",
    "serve": "sambandh.commands.serve:serve",
    "eval": "sambandh.commands.evaluate:evaluate",
    "bench": "sambandh.commands.bench:bench",
    "kb": "sambandh.commands.kb:kb",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sambandh")
def cli() -> None:
    """sambandh: structured, verifiable records of what states do to each other, from Hindi and English news."""


def main() -> None:
    """Entry point: a SambandhError becomes one line on stderr and exit status 2, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SambandhError as exc:
        click.echo(f"sambandh: error {exc.code}: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        click.echo(f"sambandh: error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "),
                   err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
