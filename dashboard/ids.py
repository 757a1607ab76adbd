"""Component ids, shared by layout, callbacks and tests.

`map` and `statements` are public (issue 4): scripts and tests find them.
"""

from enum import StrEnum


class Ids(StrEnum):
    MAP = "map"
    STATEMENTS = "statements"
