"""The `contested-map` command line.

Every command's bad input ends in one line, `contested-map: error: ...`, and
a non-zero exit code, never a traceback (issue 2, "Bad input").
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli_claims import claims_option, statements, status
from dashboard.cli_control import control
from dashboard.cli_export import export
from dashboard.cli_options import geodata_option
from dashboard.errors import DashboardError
from dashboard.tabular import FORMATS, render

EXIT_USAGE = 2
EXIT_DATA = 1


def _fail(message: str, code: int) -> None:
    click.echo(f"contested-map: error: {message}", err=True)
    sys.exit(code)


class _OneLineErrors(click.Group):
    """A group whose errors print on one line instead of usage + traceback."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `contested-map`
            click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
            sys.exit(EXIT_USAGE)
        except click.UsageError as exc:
            _fail(exc.format_message().strip(), EXIT_USAGE)
        except click.Abort:
            _fail("aborted", 130)
        except DashboardError as exc:
            _fail(str(exc), EXIT_DATA)
        except KeyboardInterrupt:
            sys.exit(130)
        if isinstance(result, int) and result:
            sys.exit(result)
        return result


@click.group(cls=_OneLineErrors, no_args_is_help=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="contested-regions-dashboard", prog_name="contested-map")
def cli() -> None:
    """Map Ukraine's contested regions and the dated claims made about them."""


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@geodata_option
def regions(fmt: str, geodata_dir: Path | None) -> None:
    """List Ukraine's 27 first-level units with names, area and contested flag."""
    from dashboard.layers import load_layers

    layers = load_layers(geodata_dir)
    columns = ["code", "name_en", "name_uk", "name_ru", "area_km2", "contested", "group"]
    click.echo(render(layers.region_rows(), fmt, columns), nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind. Keep 127.0.0.1 unless you mean to share the dashboard.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port.")
@click.option("--debug", is_flag=True, default=False,
              help="Dash debug mode (reloader and in-browser debugger). Never on a shared host.")
@geodata_option
@claims_option
def serve(host: str, port: int, debug: bool, geodata_dir: Path | None,
          claims_paths: tuple[Path, ...]) -> None:
    """Start the dashboard web server."""
    from dashboard.app import Settings
    from dashboard.server import run_server

    settings = Settings(geodata_dir=geodata_dir, claims_paths=list(claims_paths) or None, debug=debug)
    run_server(settings, host=host, port=port)


cli.add_command(statements)
cli.add_command(status)
cli.add_command(export)
cli.add_command(control)


def main() -> None:
    cli(prog_name="contested-map")


if __name__ == "__main__":
    main()
