"""Publication-ready stills, without a browser: the view fitted to the frame and the regions,
labels and held shares, the date under a custom title, wrapped attribution, presets, CLI options."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner

from dashboard.cli import cli
from dashboard.core.filters import FilterState
from dashboard.core.ledger import ledger_rows
from dashboard.render.export_figure import image_figure, layer_places, map_fit
from dashboard.render.export_frame import PICKED_CORE_UID, PICKED_UID
from dashboard.render.export_layout import fonts_for
from dashboard.render.export_options import PRESETS, SIZE_PRESETS, ImageOptions
from dashboard.render.geo_fit import GeoFrame, mercator_aspect
from dashboard.render.map_figure import trace_index
from dashboard.render.map_labels import pick_cities
from dashboard.render.text_fit import text_width, wrap
from dashboard.render.theme import CONTROL_LINE, PICKED_LINE
from dashboard.text import text_for
from dashboard.text.en import CATALOGUE

LAST = dt.date(2026, 8, 21)  # the bundled control layer's last snapshot
EN, UK = text_for("en"), text_for("uk")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def data(bundled_data):
    return bundled_data


def figure_for(data, regions=(), day=LAST, text=EN, **options):
    state = FilterState(data.axis.first_day, day, tuple(regions))
    return image_figure(data, state, ImageOptions(**options), text)


def geo_box(figure) -> tuple[float, float, float, float]:
    geo = figure["layout"]["geo"]
    (lon0, lon1), (lat0, lat1) = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    return lon0, lat0, lon1, lat1


def notes(figure) -> dict[str, str]:
    """Annotation name -> its words on one line (wrapped rows joined)."""
    return {n.get("name"): n["text"].replace("<br>", " ") for n in figure["layout"]["annotations"]}


def label_text(figure, role: str) -> str:
    return " ".join(t for trace in figure["data"] if trace.get("name") == role for t in trace["text"])


# -- the view ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_one_small_region_is_zoomed_to_with_a_margin(data):
    figure = figure_for(data, ["UA-23"])
    lon0, lat0, lon1, lat1 = geo_box(figure)
    zx0, zy0, zx1, zy1 = data.layers.ukraine.set_index("code").loc[["UA-23"]].total_bounds
    margin = 0.1 * (zx1 - zx0)
    assert lon0 < zx0 - margin and lon1 > zx1 + margin and lat0 < zy0 - 0.1 * (zy1 - zy0) and lat1 > zy1
    # Most of Ukraine is out of view.
    ukraine = shapely.union_all(data.layers.ukraine.geometry.values)
    shown = shapely.intersection(ukraine, shapely.box(lon0, lat0, lon1, lat1))
    assert shown.area / ukraine.area < 0.35


def test_fit_ukraine_shows_all_of_ukraine(data):
    for figure in (figure_for(data), figure_for(data, ["UA-23"], fit="ukraine")):
        lon0, lat0, lon1, lat1 = geo_box(figure)
        ux0, uy0, ux1, uy1 = data.layers.ukraine.total_bounds
        assert lon0 < ux0 and lat0 < uy0 and lon1 > ux1 and lat1 > uy1
        assert lon1 - lon0 < 2 * (ux1 - ux0)


def test_fit_defaults_to_regions_only_when_some_are_picked(data):
    state = FilterState(data.axis.first_day, LAST)
    assert map_fit(state, ImageOptions()) == map_fit(state, ImageOptions(fit="regions")) == "ukraine"
    picked = FilterState(data.axis.first_day, LAST, ("UA-23",))
    assert map_fit(picked, ImageOptions()) == "regions"
    assert map_fit(picked, ImageOptions(fit="ukraine")) == "ukraine"
    # Codes the layers do not know (a hand-made URL) zoom to nothing: the view is Ukraine's.
    assert geo_box(figure_for(data, ["..", "UA-99"])) == geo_box(figure_for(data))


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1200, 800), *SIZE_PRESETS.values(), (400, 400), (400, 1000), (8000, 1200)])
@pytest.mark.parametrize("regions", [(), ("UA-23",)])
def test_the_view_fills_the_map_box_exactly(data, size, regions):
    """The view's Mercator shape equals its box's, so Plotly leaves no blank band around the map."""
    width, height = size
    figure = figure_for(data, regions, width=width, height=height)
    domain = figure["layout"]["geo"]["domain"]
    box_w = (domain["x"][1] - domain["x"][0]) * width
    box_h = (domain["y"][1] - domain["y"][0]) * height
    assert mercator_aspect(geo_box(figure)) == pytest.approx(box_w / box_h, rel=1e-6)
    # The map takes the frame's full width (beside a legend column at most) and most of its height.
    assert domain["x"][0] == 0 and domain["x"][1] >= 0.55
    if min(size) >= 675:
        assert box_w * box_h / (width * height) > 0.45


# -- labels and shares ------------------------------------------------------------------------


@pytest.mark.slow
def test_region_labels_in_the_export_language(data):
    en, uk = figure_for(data, ["UA-23"]), figure_for(data, ["UA-23"], text=UK)
    assert "Zaporizhzhia" in label_text(en, "region-label")
    uk_labels = label_text(uk, "region-label")
    assert "Запорізька" in uk_labels and "Zaporizhzhia" not in uk_labels
    # Zoomed, the regions around it are named too (smaller); not over the whole of Ukraine.
    assert "Dnipropetrovsk" in label_text(en, "context-label")
    assert label_text(figure_for(data), "context-label") == ""
    labels = set(label_text(figure_for(data), "region-label").split())
    assert {"Luhansk", "Donetsk", "Kherson", "Zaporizhzhia"} <= labels


@pytest.mark.slow
def test_labels_lie_inside_the_map(data):
    for size in [(1200, 800), *SIZE_PRESETS.values()]:
        figure = figure_for(data, ["UA-23"], width=size[0], height=size[1])
        lon0, lat0, lon1, lat1 = geo_box(figure)
        for trace in figure["data"]:
            if trace.get("mode") == "text":
                assert all(lon0 < x < lon1 for x in trace["lon"]) and all(lat0 < y < lat1 for y in trace["lat"])


def test_held_share_under_each_label_is_the_ledgers(data):
    figure = figure_for(data, ["UA-23"])
    shares = label_text(figure, "share-label")
    for row in ledger_rows(data, LAST):
        if row.code in ("UA-23", "UA-14", "UA-65"):
            assert f"{EN.share(row.held.occupied_share)} held by Russian forces" in shares
    assert "75% held by Russian forces" in shares
    uk = label_text(figure_for(data, ["UA-23"], text=UK), "share-label")
    assert "75 % утримують російські сили" in uk
    # Without the control layer (or before its first snapshot), no share is printed.
    state = FilterState(data.axis.first_day, LAST, ("UA-23",))
    assert label_text(image_figure(data, state, ImageOptions(), EN, control=False), "share-label") == ""
    assert label_text(figure_for(data, ["UA-23"], day=dt.date(2015, 1, 1)), "share-label") == ""


def test_picked_outline_is_a_distinct_double_line_in_the_legend(data):
    figure = figure_for(data, ["UA-23", "UA-65"])
    outline, core = (figure["data"][trace_index(figure, uid)] for uid in (PICKED_UID, PICKED_CORE_UID))
    assert outline["visible"] and outline["line"]["color"] == PICKED_LINE != CONTROL_LINE
    assert core["line"]["width"] < outline["line"]["width"] and len(core["lon"]) == len(outline["lon"]) > 100
    assert "Regions picked: Zaporizhzhia, Kherson" in notes(figure).values()
    assert not any(v.startswith("Regions picked") for v in notes(figure_for(data)).values())


def test_cities_most_populous_inside_without_overlaps(data):
    figure = figure_for(data, ["UA-23"])
    frame = GeoFrame(geo_box(figure), (0, 0, 800, 600), 800, 600)
    places = [
        ("Zaporizhzhia", 35.14, 47.84, 710_000),
        ("Melitopol", 35.37, 46.84, 150_000),
        ("Berdiansk", 36.80, 46.76, 100_000),
        ("Enerhodar", 34.65, 47.50, 50_000),
        ("Zaporizhzhia-2", 35.15, 47.845, 900_000),
        ("Kyiv", 30.52, 50.45, 2_900_000),
    ]
    chosen = [p[0] for p, _ in pick_cities(places, frame, 14, limit=3)]
    # Kyiv is out of view; the overlapping twin of Zaporizhzhia beats it on population.
    assert chosen == ["Zaporizhzhia-2", "Melitopol", "Berdiansk"]
    assert [p[0] for p, _ in pick_cities(places, frame, 14, limit=10)] == [
        "Zaporizhzhia-2",
        "Melitopol",
        "Berdiansk",
        "Enerhodar",
    ]
    # Until a gazetteer is plugged in, the region layers' city units are the places.
    assert {p[0] for p in layer_places(data.layers, "uk")} == {"Київ", "Севастополь"}


@pytest.mark.slow
def test_city_labels_are_drawn_from_the_places_given(data):
    state = FilterState(data.axis.first_day, LAST, ("UA-23",))
    places = [("Melitopol", 35.37, 46.84, 150_000), ("Kyiv", 30.52, 50.45, 2_900_000)]
    figure = image_figure(data, state, ImageOptions(), EN, places=places)
    assert label_text(figure, "city-label") == "Melitopol"
    assert (
        label_text(
            image_figure(data, FilterState(data.axis.first_day, LAST), ImageOptions(), EN, places=places), "city-label"
        )
        == ""
    )


# -- title, date, attribution, legend ---------------------------------------------------------


@pytest.mark.slow
def test_a_custom_title_keeps_the_date_and_regions_in_a_subtitle(data):
    figure = figure_for(data, ["UA-23"], title="Frontline in the south")
    assert figure["layout"]["title"]["text"] == "Frontline in the south"
    assert notes(figure)["subtitle"] == "Status as of 21 Aug 2026 · Zaporizhzhia"
    uk = figure_for(data, ["UA-23"], text=UK, title="Південь")
    assert notes(uk)["subtitle"] == "Статус на 21 серп. 2026 · Запорізька область"
    # The default title says both itself.
    default = figure_for(data, ["UA-23"])
    assert "21 Aug 2026" in default["layout"]["title"]["text"] and notes(default)["subtitle"] == ""


@pytest.mark.parametrize("size", [(400, 400), (400, 1000), (8000, 1200), (1080, 1920), (1200, 675)])
@pytest.mark.parametrize("text", [EN, UK])
def test_attribution_lines_fit_the_width(data, size, text):
    width, height = size
    figure = figure_for(data, ["UA-23"], text=text, width=width, height=height)
    fonts = fonts_for(width, height)
    note = next(n for n in figure["layout"]["annotations"] if n.get("name") == "attribution")
    lines = note["text"].split("<br>")
    assert len(lines) >= 4 and "Natural Earth" in note["text"] and "DeepStateMap" in note["text"]
    for line in lines:
        assert text_width(line, note["font"]["size"]) <= width - 2 * note["x"] * width + 0.5
    assert note["font"]["size"] >= min(9, fonts.attribution)
    # Nothing is written below the frame: the attribution ends above its bottom edge.
    assert 1 - note["y"] > 0 and (1 - note["y"]) * height + len(lines) * note["font"]["size"] * 1.3 <= height


@pytest.mark.slow
def test_width_estimate_is_never_narrower_than_the_font():
    """Every English and Ukrainian catalogue string, measured with DejaVu Sans itself."""
    if not DEJAVU.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("DejaVu Sans is needed to check the width estimate")
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    from PIL import ImageFont

    basic = ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(DEJAVU), 100, layout_engine=basic)
    bold = ImageFont.truetype(str(DEJAVU.with_name("DejaVuSans-Bold.ttf")), 100, layout_engine=basic)
    strings = [
        line
        for key in CATALOGUE
        for s in (EN.template(key), UK.template(key))
        for line in s.splitlines()
        if line.strip()
    ]
    assert len(strings) > 500
    extra = ["Автономна Республіка Крим", "Дніпропетровська область", "WWW MMM ЖЖЖ ШЩЮ %%%"]
    for string in strings + extra:
        assert text_width(string, 100) >= font.getlength(string), string
        assert text_width(string, 100, bold=True) >= bold.getlength(string), string


def test_wrap_keeps_dates_whole_and_breaks_long_words():
    lines = wrap("Area held by Russian forces per DeepStateMap, snapshot of 21 Aug 2026", 200, 12)
    assert any("21 Aug 2026" in line for line in lines)
    assert all(text_width(line, 12) <= 200 for line in lines)
    assert all(text_width(line, 10) <= 50 for line in wrap("x" * 80, 50, 10))


def test_legend_says_when_no_control_snapshot_covers_the_date(data):
    figure = figure_for(data, ["UA-23"], day=dt.date(2015, 1, 1))
    assert notes(figure)["control-key"] == "No control data on or before 1 Jan 2015 (loaded: 9 Jul 2024 – 21 Aug 2026)"
    uk = figure_for(data, day=dt.date(2015, 1, 1), text=UK)
    assert notes(uk)["control-key"].startswith("Немає даних про контроль на 1 січ. 2015")
    assert "snapshot of 21 Aug 2026" in notes(figure_for(data))["control-key"]


# -- presets and the CLI ----------------------------------------------------------------------


def test_presets_map_to_sizes():
    assert SIZE_PRESETS == {
        "social-square": (1080, 1080),
        "social-landscape": (1200, 675),
        "story": (1080, 1920),
        "a4-landscape": (3508, 2480),
    }
    assert all(PRESETS[name] == size for name, size in SIZE_PRESETS.items())
    for width, height in SIZE_PRESETS.values():
        ImageOptions(width=width, height=height)  # each within the limits


@pytest.mark.slow
def test_portrait_and_square_put_the_legend_under_the_map_and_landscape_beside_it(data):
    def legend_x(size):
        figure = figure_for(data, width=size[0], height=size[1])
        return min(n["x"] for n in figure["layout"]["annotations"] if n.get("name") == "legend")

    assert legend_x(SIZE_PRESETS["story"]) < 0.1
    assert legend_x(SIZE_PRESETS["a4-landscape"]) > 0.5 and legend_x((1200, 800)) > 0.5


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--preset", "story", "--width", "900"], "use either --preset or --width/--height, not both"),
        (["--preset", "story", "--height", "900"], "use either --preset or --width/--height, not both"),
        (["--preset", "poster"], "'poster' is not one of"),
        (["--fit", "world"], "'world' is not one of"),
    ],
)
def test_cli_option_errors(tmp_path, args, fragment):
    result = CliRunner().invoke(cli, ["export", *args, "-o", str(tmp_path / "map.png")])
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert not (tmp_path / "map.png").exists()


def test_cli_help_names_the_presets_and_fit():
    result = CliRunner().invoke(cli, ["export", "--help"])
    for word in ("--preset", "social-square", "story", "a4-landscape", "--fit", "regions|ukraine"):
        assert word in result.stdout
