"""`contested-map serve`: the dashboard web server (the one command that imports the web layer)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.options import (
    claims_option,
    claims_selection,
    control_cache_option,
    control_selection,
    geodata_option,
)


def _check_host_names(ctx: click.Context, param: click.Parameter, names: tuple[str, ...]) -> tuple[str, ...]:
    from dashboard.web.hosts import normalise_allowed

    try:
        return tuple(normalise_allowed(name) for name in names)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind. Keep 127.0.0.1 unless you mean to share the dashboard.",
)
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option(
    "--debug",
    is_flag=True,
    default=False,
    help="Dash debug mode (reloader and in-browser debugger). Never on a shared host.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    metavar="NAME",
    multiple=True,
    callback=_check_host_names,
    help="Also answer requests for this host name (repeatable), e.g. the name a reverse proxy "
    "forwards. Loopback names and the --host address are always answered; others get 400.",
)
@click.option(
    "--compress/--no-compress",
    default=True,
    show_default=True,
    help="Compress responses (Brotli or gzip) for browsers that accept it.",
)
@click.option(
    "--access-log",
    is_flag=True,
    default=False,
    help="Print one line per request on stderr (off by default: the server is quiet).",
)
@geodata_option
@claims_option
@control_cache_option
def serve(
    host: str,
    port: int,
    debug: bool,
    allowed_hosts: tuple[str, ...],
    compress: bool,
    access_log: bool,
    geodata_dir: Path | None,
    claims_paths: tuple[Path, ...],
    no_bundled: bool,
    control_dir: Path | None,
    no_bundled_control: bool,
) -> None:
    """Start the dashboard web server."""
    from dashboard.web.app import Settings
    from dashboard.web.server import run_server

    settings = Settings(
        geodata_dir=geodata_dir,
        claims_paths=claims_selection(claims_paths, no_bundled),
        debug=debug,
        allowed_hosts=allowed_hosts,
        control_dir=control_dir,
        compress=compress,
        bundled_control=control_selection(control_dir, no_bundled_control)[1],
    )
    run_server(settings, host=host, port=port, access_log=access_log)
