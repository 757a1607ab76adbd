"""dcc.Dropdown's own words in the page's language.

Dash draws a dropdown's "Select all" / "Deselect all" buttons, its count of chosen options (which
screen readers read as part of its name), its search field, its clear buttons and its "no options"
line in English unless its `labels` say otherwise. Every dropdown on the page takes them from here.
"""

from __future__ import annotations

from dashboard.text import Text

__all__ = ["dropdown_labels"]


def dropdown_labels(text: Text) -> dict[str, str]:
    """dcc.Dropdown's `labels` in `text`'s language ({num_selected} is left for the browser to fill in)."""
    return {
        "select_all": text("dropdown.select_all"),
        "deselect_all": text("dropdown.deselect_all"),
        "selected_count": text("dropdown.selected_count"),
        "search": text("dropdown.search"),
        "clear_search": text("dropdown.clear_search"),
        "clear_selection": text("filters.clear"),
        "no_options_found": text("dropdown.no_options"),
    }
