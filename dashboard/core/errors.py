"""Errors the project raises on bad input.

Every message says which file, record, field or parameter is wrong and what
was expected, so the CLI can print it on one line and the app can show it.
"""


class DashboardError(Exception):
    """Base class: a problem with the user's input or data, never a bug."""


class DataError(DashboardError):
    """A data file (geodata or claims) is missing, unreadable or invalid."""


class UnknownRegionError(DashboardError, LookupError):
    """A region name or code that matches no Ukrainian unit."""


class LimitError(DataError):
    """Input refused before it could exhaust the machine: past an import limit, or not a regular file.

    The CLI exits with `exit_code` (2) for these, so a script can tell a refused
    file from a broken one (1).
    """

    exit_code = 2
