"""The palette and line styles, in one place: the map, the legend, exports and the browser's
recolouring all read them from here (the browser gets them as data)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Colours chosen from the Okabe-Ito palette, distinguishable with colour-blindness.
CONTESTED_FILL = "#E69F00"
UKRAINE_FILL = "#F4F1EA"
NEIGHBOUR_FILL = "#E3E3E3"
OCEAN_FILL = "#DCE9F2"
BORDER_COLOUR = "#6E6E6E"
UKRAINE_BORDER = "#1F1F1F"

#: Status colours (Okabe-Ito): sky blue, yellow and vermillion stay distinct
#: for the common kinds of colour-blindness, and differ in lightness too.
STATUS_FILLS: Mapping[str, str] = MappingProxyType(
    {
        "no_annexation_declared": "#56B4E9",
        "uncertain": "#F0E442",
        "annexation_declared": "#D55E00",
    }
)
#: Regions of the record picked with "Show regions on map": purple, unlike the region
#: filter's black outline, and legible on every status fill.
HIGHLIGHT_LINE = "#7B2D8E"
HIGHLIGHT_WIDTH = 4.0
#: Regions picked in the region filter (or by a map click).
SELECTED_LINE = "#000000"
SELECTED_WIDTH = 2.6
PLAIN_WIDTH = 1.0
OTHER_PLAIN_WIDTH = 0.5
NEIGHBOUR_WIDTH = 0.6
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
INK = "#1f1f1f"
MUTED = "#555555"
#: The area held by Russian forces (control layer): black hatching and outline read on
#: every status fill and in greyscale print; the grey zone is a dotted dark-grey outline.
CONTROL_LINE = "#000000"
CONTROL_GREY_LINE = "#4D4D4D"
CONTROL_HATCH_WIDTH = 0.8
CONTROL_OUTLINE_WIDTH = 1.6
#: The change layer (render/change_layer.py): "taken" a dense dark-red cross-hatch, "no longer
#: held" a thick dark-blue dashed outline; both dark enough to read on every status fill and in greyscale.
CHANGE_TAKEN_LINE = "#7A0019"
CHANGE_TAKEN_HATCH_WIDTH = 0.7
CHANGE_TAKEN_OUTLINE_WIDTH = 1.2
CHANGE_LOST_LINE = "#08306B"
CHANGE_LOST_WIDTH = 2.2

#: Record kinds on the timeline: colour and marker shape, so the kind never rests on colour alone
#: (Okabe-Ito blue, reddish purple and bluish green).
KIND_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "statement": "#0072B2",
        "event": "#CC79A7",
        "assessment": "#009E73",
    }
)
KIND_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "statement": "circle",
        "event": "diamond",
        "assessment": "square",
    }
)
#: Control-share lines per contested region: colour and dash, distinct without colour too.
REGION_LINES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "UA-43": ("#E69F00", "solid"),
        "UA-40": ("#56B4E9", "dot"),
        "UA-14": ("#D55E00", "solid"),
        "UA-09": ("#0072B2", "dash"),
        "UA-65": ("#009E73", "dashdot"),
        "UA-23": ("#7B2D8E", "longdash"),
    }
)
#: The selected date range on the timeline, and the rules at declared annexations.
RANGE_FILL = "rgba(11, 92, 173, 0.10)"
RULE_LINE = STATUS_FILLS["annexation_declared"]
BIN_FILL = "#8C8C8C"

#: Exported stills: the regions picked are outlined with a double line (a thick dark-blue
#: line with a white core), which no other line on the map looks like: the held area's
#: outline is a single black line over black hatching.
PICKED_LINE = "#0B2E8A"
PICKED_WIDTH = 5.0
PICKED_CORE = "#FFFFFF"
PICKED_CORE_WIDTH = 1.4
#: Labels on exported stills: names in ink on a white halo; the held share a little lighter,
#: context regions (around the subject) muted; cities a dark dot.
HALO = "#FFFFFF"
LABEL_SHARE = "#262626"
LABEL_CONTEXT = "#5A5A5A"
PLACE_DOT = "#1F1F1F"
