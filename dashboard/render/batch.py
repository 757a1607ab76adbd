"""A batch of still images (one per day or event) with one warm browser, for the CLI and the page.

Rendering is here; writing is the caller's (`write`, given each file's name and
checked bytes), so the CLI writes files and the page could pack them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from dashboard.core.dataset import Dataset
from dashboard.core.errors import DashboardError
from dashboard.core.filters import FilterState
from dashboard.render.export_options import ImageOptions, file_name
from dashboard.render.exporter import Exporter, render_image
from dashboard.text import Text, text_for

T = TypeVar("T")


def batch_names(
    states: Sequence[FilterState], options: ImageOptions, labels: Sequence[str | None] | None = None
) -> list[str]:
    """Each image's file name, named by what it shows (and by its label, such as an event id)."""
    names = []
    for state, label in zip(states, labels or [None] * len(states), strict=True):
        name = file_name(state, options, label) if label else file_name(state, options)
        if "/" in name or "\\" in name or name.startswith(".") or name in ("", "..", "."):
            # names come from data: never trust a join
            raise DashboardError(f"refusing to write outside the output directory: {name!r}")
        names.append(name)
    return names


def export_batch(
    data: Dataset,
    exporter: Exporter,
    states: Sequence[FilterState],
    options: ImageOptions,
    write: Callable[[str, bytes], T],
    labels: Sequence[str | None] | None = None,
    control: bool = True,
    text: Text | None = None,
    progress: Callable[[T], None] | None = None,
) -> list[T]:
    """One image per state, each handed to `write(name, content)` as soon as it is rendered and checked,
    in the words of `text` (default: English); returns what `write` returned, in order."""
    text = text or text_for()
    names = batch_names(states, options, labels)
    written: list[T] = []
    for state, name in zip(states, names, strict=True):
        result = write(name, render_image(exporter, data, state, options, text, control))
        written.append(result)
        if progress:
            progress(result)
    return written
