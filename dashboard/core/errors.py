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
