"""`sambandh serve`: the HTTP API and the dashboard on uvicorn."""

from __future__ import annotations

import os

import click

from ._store import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--token-env", metavar="NAME",
              help="Environment variable holding the token POST /ingest needs; without it ingest is off.")
@click.option("--read-token-env", metavar="NAME",
              help="Environment variable holding a token every API call needs; without it reading is open.")
@click.option("--max-body", default=2_000_000, show_default=True, help="Largest request body, in bytes.")
@click.option("--max-page", default=1000, show_default=True, help="Largest page of events (_size).")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(db: str | None, host: str, port: int, token_env: str | None, read_token_env: str | None, max_body: int,
          max_page: int, log_level: str) -> None:
    """Serve the HTTP API and the dashboard (open the printed address in a browser).

    \b
    sambandh serve --db sambandh.db
    SAMBANDH_TOKEN=s3cret sambandh serve --token-env SAMBANDH_TOKEN --port 8080
    """
    import socket

    import uvicorn

    from ..web import create_app

    tokens = {}
    for opt, name in (("--token-env", token_env), ("--read-token-env", read_token_env)):
        if name:
            value = os.environ.get(name, "")
            if not value.strip():
                raise click.UsageError(f"{opt} {name}: the environment variable {name} is empty or not set")
            tokens[opt] = value.strip()
    app = create_app(db, tokens.get("--token-env"), read_token=tokens.get("--read-token-env"), max_body=max_body,
                     max_page=max_page)
    # Bind first, so the printed address is the real one (also with --port 0).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sambandh: serving {app.state.store.url} at http://{shown}:{bound}/ "
               f"(API schema: http://{shown}:{bound}/openapi.json; ingest {'on' if tokens.get('--token-env') else 'off'}"
               f"); Ctrl+C stops", err=True)
    click.echo(f"http://{shown}:{bound}/")
    config = uvicorn.Config(app, log_level=log_level, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
