"""The `contested-map` command line.

Every command's bad input ends in one line, `contested-map: error: ...`, and
a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import sys

import click

from dashboard.core.errors import DashboardError

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
            _fail(str(exc), getattr(exc, "exit_code", EXIT_DATA))
        except KeyboardInterrupt:
            sys.exit(130)
        if isinstance(result, int) and result:
            sys.exit(result)
        return result


@click.group(cls=_OneLineErrors, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="contested-regions-dashboard", prog_name="contested-map")
def cli() -> None:
    """Map Ukraine's contested regions and the dated claims made about them."""


def _commands() -> list[click.Command]:
    """Every command, in the order `--help` lists them (imported here: no cycle with the group)."""
    from dashboard.cli.claims import statements, status
    from dashboard.cli.control import control
    from dashboard.cli.draft import draft
    from dashboard.cli.export import export
    from dashboard.cli.places import place
    from dashboard.cli.regions import regions
    from dashboard.cli.serve import serve

    return [serve, regions, statements, status, control, place, export, draft]


for _command in _commands():
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="contested-map")


if __name__ == "__main__":
    main()
