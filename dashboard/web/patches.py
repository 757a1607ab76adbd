"""Setting trace properties in a `dash.Patch`: the one loop every panel's partial update uses."""

from __future__ import annotations

from collections.abc import Mapping

from dash import Patch

__all__ = ["assign", "assign_traces"]


def assign(patch: Patch, trace: int, key: str, value: object) -> None:
    """One property of trace `trace`; a dotted key (`marker.size`) names a nested property."""
    target = patch["data"][trace]
    *parents, last = key.split(".")
    for part in parents:
        target = target[part]
    target[last] = value


def assign_traces(patch: Patch, index: Mapping[str, int], props: Mapping[str, Mapping[str, object]]) -> Patch:
    """Each trace's properties (uid -> {key: value}) onto the trace `index` finds for its uid; a uid
    the figure does not hold is skipped."""
    for uid, values in props.items():
        if uid in index:
            for key, value in values.items():
                assign(patch, index[uid], key, value)
    return patch
