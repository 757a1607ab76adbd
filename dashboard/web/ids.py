"""Component ids, shared by layout, callbacks and tests.

`map` and `statements` are public: scripts and tests find them, and so is
`ledger`, the declared-beside-held table, and `timeline`, `date-from`, `date-to`,
`prev-event`, `next-event`, `statement-search` and `show-more`, and `lang` (the page's
language, a store) and `lang-switch` (the language links).
"""

from enum import StrEnum


class Ids(StrEnum):
    URL = "url"
    URL_WRITTEN = "url-written"
    AXIS = "date-axis"
    STATUS_STEPS = "status-steps"
    MAP = "map"
    STATEMENTS = "statements"
    STATEMENT_COUNT = "statement-count"
    DATES = "date-range"
    DATE_READOUT = "date-readout"
    REGIONS = "region-filter"
    PARTIES = "party-filter"
    ARTICLE_ONLY = "article-only"  # public: "Article records only", URL enrichment=no
    NOTICE = "notice"
    NOTICE_FOR = "notice-for"
    REGIONS_SHOWN = "region-filter-shown"
    CLEAR_SELECTION = "clear-selection"
    LEGEND = "legend"
    CONTROL_TOGGLE = "control-layer"
    CONTROL_LEGEND = "control-legend"
    SELECTED = "selected-statement"
    EXPORT_FORMAT = "export-format"
    EXPORT_SIZE = "export-size"
    EXPORT_FIT = "export-fit"
    EXPORT_SCALE = "export-scale"
    EXPORT_TITLE = "export-title"
    EXPORT_BUTTON = "export-button"
    EXPORT_NOTICE = "export-notice"
    DOWNLOAD = "download"
    LEDGER = "ledger"
    # The timeline panel, exact dates and event steps (public), and the URL state
    # the page last applied (history: a write that only restates it replaces, others push).
    TIMELINE = "timeline"
    DATE_FROM = "date-from"
    DATE_TO = "date-to"
    DATE_INPUT_ERROR = "date-input-error"
    PREV_EVENT = "prev-event"
    NEXT_EVENT = "next-event"
    URL_STATE = "url-state"
    HANDLE_TEXT = "date-handle-text"
    # The statements panel's search, "show more" and permalinks
    STATEMENT_SEARCH = "statement-search"
    SHOW_MORE = "show-more"
    STATEMENTS_LIMIT = "statements-limit"
    SCROLL_TO = "statement-scroll-to"
    #: The statements list the page is laid out with, drawn once the map has drawn (a memory store).
    STATEMENTS_FIRST = "statements-first"
    #: The panels under the first screen (timeline, ledger, place, export) and, as the layout is sent,
    #: a memory store holding them until the map has drawn (dashboard/web/after_map.py).
    AFTER_MAP = "after-map"
    AFTER_MAP_CONTENT = "after-map-content"
    #: The values of "Find a place" and of the ledger's "Compare sources", kept in the first screen
    #: for the callbacks there (memory stores; after_map.MIRRORS).
    PLACE_CHOSEN = "place-chosen"
    COMPARE_CHOSEN = "ledger-compare-chosen"
    #: The timeline's last click and brush, kept in the first screen likewise.
    TIMELINE_CLICK = "timeline-click"
    TIMELINE_BRUSH = "timeline-brush"
    # The page's language (a store holding its code) and the visible switch; the map-as-a-table
    # link, the print header and the keyboard hint.
    LANG = "lang"
    LANG_SWITCH = "lang-switch"
    MAP_TABLE_LINK = "map-table-link"
    PRINT_RANGE = "print-range"
    # "Find a place" (public): the place search (URL place=) and the place's control history.
    PLACE_SEARCH = "place-search"
    PLACE_HISTORY = "place-history"
    # The change of control over the range (public): the checkbox, URL change=yes.
    CHANGE_LAYER = "change-layer"
    CHANGE_LEGEND = "change-legend"
    # Control sources (public): the picker (URL source=) and the ledger's "Compare sources" (URL compare=yes).
    CONTROL_SOURCE = "control-source"
    CONTROL_SOURCE_NOTE = "control-source-note"
    LEDGER_COMPARE = "ledger-compare"
    # Animation and embed (public): the export's step, and Play, which steps the range's end through
    # the control snapshots at the chosen speed (a timer, and the snapshot offsets it steps through).
    EXPORT_STEP = "export-step"
    PLAY = "play"
    PLAY_SPEED = "play-speed"
    PLAY_TIMER = "play-timer"
    PLAY_STEPS = "play-steps"


#: Pattern-matching id type of each language link in the switch ({"type": LANG_LINK, "lang": "uk"}).
LANG_LINK = "lang-link"
#: Pattern-matching id type of each statement's "show on map" button.
STATEMENT_BUTTON = "statement-button"
