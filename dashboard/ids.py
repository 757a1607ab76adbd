"""Component ids, shared by layout, callbacks and tests.

`map` and `statements` are public (issue 4): scripts and tests find them.
"""

from enum import StrEnum


class Ids(StrEnum):
    URL = "url"
    MAP = "map"
    STATEMENTS = "statements"
    STATEMENT_COUNT = "statement-count"
    DATES = "date-range"
    DATE_READOUT = "date-readout"
    REGIONS = "region-filter"
    PARTIES = "party-filter"
    NOTICE = "notice"
    LEGEND = "legend"
    SELECTED = "selected-statement"


#: Pattern-matching id type of each statement's "show on map" button.
STATEMENT_BUTTON = "statement-button"
