"""Where an export's parts go in its frame: title and subtitle, map, legend, attribution.

Pure pixel arithmetic (origin top left, at scale 1), planned before Chromium
draws anything: type sizes follow the frame, every text is wrapped to the room
it has (text_fit.py), and the legend goes beside the map or under it,
whichever leaves the larger map of the shape the view wants. Nothing here
knows about Plotly; export_figure.py turns a plan into a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.render.text_fit import block_height, wrap

#: Frame size (min(width, 1.5 × height)) at which type has its base size; it scales from there.
BASE_FRAME = 900
#: The same for square and portrait frames.
PHONE_FRAME = 720


@dataclass(frozen=True)
class Fonts:
    """Type sizes and the padding in pixels for one frame."""

    title: int
    subtitle: int
    legend: int
    attribution: int
    label: int
    share: int
    city: int
    pad: int
    #: Line widths (borders, outlines, hatching) are multiplied by this: 1 at 1200 × 800.
    line: float = 1.0


def fonts_for(width: int, height: int, boost: float = 1.0) -> Fonts:
    """Type that grows with the frame (A4 at 300 dpi prints the legend at about 12 pt) and never
    shrinks below legibility on small frames (9 px); `boost` makes it larger still."""
    # Square and portrait frames (social posts, stories) are seen on phones: larger type.
    unit = boost * min(width, 1.5 * height) / (BASE_FRAME if width >= 1.2 * height else PHONE_FRAME)

    def size(base: float, least: int) -> int:
        return max(least, round(base * unit))

    return Fonts(
        title=size(23, 14),
        subtitle=size(16, 10),
        legend=size(12.5, 10),
        attribution=size(11, 9),
        label=size(13, 10),
        share=size(11, 9),
        city=size(11, 9),
        pad=size(18, 6),
        line=max(0.6, min(width, 1.5 * height) / 1200),
    )


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: `swatch` names how its key is drawn (a status key, "hatch", "grey",
    "picked", or "" for words alone) and `text` says what it means (Plotly markup)."""

    swatch: str
    text: str
    name: str = "legend"  # the annotation's name (the control layer's row is found by it)


@dataclass(frozen=True)
class PlacedEntry:
    entry: LegendEntry
    x: float  # left of the swatch
    y: float  # top of the row
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    width: int
    height: int
    fonts: Fonts
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    subtitle_top: float
    map_box: tuple[float, float, float, float]
    legend: tuple[PlacedEntry, ...]
    attribution_lines: tuple[str, ...]
    attribution_top: float
    side: bool  # the legend beside the map (wide frames) rather than under it

    def fill(self, aspect: float) -> float:
        """How much of the map box a view `aspect` wide covers before it is widened to fill it."""
        x0, y0, x1, y1 = self.map_box
        shape = (x1 - x0) / max(y1 - y0, 1.0)
        return min(shape, aspect) / max(shape, aspect)

    @property
    def swatch(self) -> tuple[float, float]:
        """A legend key's width and height."""
        return 1.9 * self.fonts.legend, 1.15 * self.fonts.legend

    @property
    def legend_text_dx(self) -> float:
        """From a key's left to its words' left."""
        return self.swatch[0] + 0.6 * self.fonts.legend


def _legend_rows(entries: list[LegendEntry], width: float, fonts: Fonts) -> list[tuple[LegendEntry, list[str], float]]:
    """Each entry wrapped to `width` (key included), with its row height."""
    dx = 1.9 * fonts.legend + 0.6 * fonts.legend
    rows = []
    for entry in entries:
        room = width - (dx if entry.swatch else 0)
        lines = wrap(entry.text, room, fonts.legend)
        rows.append(
            (entry, lines, max(1.15 * fonts.legend, block_height(len(lines), fonts.legend)) + 0.5 * fonts.legend)
        )
    return rows


def _columns(rows: list, count: int) -> list[list]:
    """Rows split in order into `count` columns of about equal height."""
    total = sum(r[2] for r in rows)
    columns: list[list] = [[]]
    height = 0.0
    for row in rows:
        if columns[-1] and height + row[2] / 2 > total / count * len(columns) and len(columns) < count:
            columns.append([])
        columns[-1].append(row)
        height += row[2]
    return columns


#: Type is made up to this much larger while the view would fill less than FULL_ENOUGH of the map
#: box (Ukraine in a story frame): the room goes to words that read on a phone, not to empty land.
BOOSTS = (1.0, 1.15, 1.3, 1.45)
FULL_ENOUGH = 0.72


def plan_layout(
    width: int, height: int, title: str, subtitle: str, legend: list[LegendEntry], attribution: list[str], aspect: float
) -> Plan:
    """The plan for a `width` × `height` frame whose view is best drawn `aspect` (width/height) wide
    (`_plan`), with type made larger while the view leaves much of the map box empty."""
    plan = _plan(width, height, title, subtitle, legend, attribution, aspect, 1.0)
    for boost in BOOSTS[1:]:
        if plan.fill(aspect) >= FULL_ENOUGH:
            break
        larger = _plan(width, height, title, subtitle, legend, attribution, aspect, boost)
        # Larger type only where it just takes the surplus: same arrangement, the view fuller.
        if larger.side != plan.side or larger.fill(aspect) < plan.fill(aspect):
            break
        plan = larger
    return plan


def _plan(
    width: int,
    height: int,
    title: str,
    subtitle: str,
    legend: list[LegendEntry],
    attribution: list[str],
    aspect: float,
    boost: float,
) -> Plan:
    """The plan for a `width` × `height` frame whose view is best drawn `aspect` (width/height) wide.

    Both arrangements are tried, the legend beside the map and under it; the
    one kept gives the largest area of the view itself (the map box's area
    times how much of it the view's shape fills).
    """
    fonts = fonts_for(width, height, boost)
    pad = fonts.pad
    inner = width - 2 * pad
    title_lines = wrap(title, inner, fonts.title)
    subtitle_lines = wrap(subtitle, inner, fonts.subtitle) if subtitle else []
    subtitle_top = pad + block_height(len(title_lines), fonts.title) + 0.2 * fonts.subtitle
    header = (
        subtitle_top + block_height(len(subtitle_lines), fonts.subtitle)
        if subtitle_lines
        else pad + block_height(len(title_lines), fonts.title)
    ) + 0.6 * pad
    attribution_lines = [line for text in attribution for line in wrap(text, inner, fonts.attribution)]
    attribution_top = height - 0.6 * pad - block_height(len(attribution_lines), fonts.attribution)
    footer = attribution_top - 0.5 * pad

    candidates = []
    # Beside: a column at the right, from under the title to above the attribution.
    column = min(max(0.3 * width, 15 * fonts.legend), 0.42 * width)
    if column >= 11 * fonts.legend and width - column >= 0.5 * width:
        rows = _legend_rows(legend, column - 1.5 * pad, fonts)
        box = (0.0, header, width - column, footer)
        y = header + 0.4 * pad
        placed = []
        for entry, lines, h in rows:
            placed.append(PlacedEntry(entry, width - column + pad, y, tuple(lines)))
            y += h
        if y <= footer:
            candidates.append((box, tuple(placed), True))
    # Under: one or two columns between the map and the attribution.
    count = 2 if inner >= 2 * 34 * fonts.legend else 1
    gutter = 1.5 * fonts.legend
    col_width = (inner - gutter * (count - 1)) / count
    columns = _columns(_legend_rows(legend, col_width, fonts), count)
    legend_height = max((sum(r[2] for r in col) for col in columns), default=0.0)
    top = footer - legend_height
    placed = []
    for i, col in enumerate(columns):
        y = top
        for entry, lines, h in col:
            placed.append(PlacedEntry(entry, pad + i * (col_width + gutter), y, tuple(lines)))
            y += h
    candidates.append(((0.0, header, float(width), top - 0.4 * pad), tuple(placed), False))

    def score(candidate) -> float:
        x0, y0, x1, y1 = candidate[0]
        w, h = x1 - x0, max(y1 - y0, 1.0)
        shape = w / h
        return w * h * min(shape, aspect) / max(shape, aspect)

    box, placed_entries, side = max(candidates, key=score)
    x0, y0, x1, y1 = box
    if y1 - y0 < 2 * pad:  # a frame too small for its words: the map keeps a sliver, never a negative box
        y1 = y0 + 2 * pad
    return Plan(
        width,
        height,
        fonts,
        tuple(title_lines),
        tuple(subtitle_lines),
        subtitle_top,
        (x0, y0, x1, y1),
        placed_entries,
        tuple(attribution_lines),
        attribution_top,
        side,
    )
