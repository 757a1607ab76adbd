"""Pure domain of control: shares on synthetic polygons, the coastline rule, labels, the typed objects."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from dashboard.core.control import ControlGeometry, ControlShares
from dashboard.core.control_labels import ControlClass, classify_label, classify_style
from dashboard.core.control_measure import ShareUnits, snapshot_shares

# An equal-area CRS in metres; the units are squares built in it and handed over in EPSG:4326.
CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
KM = 1000.0


def _units(squares: dict[str, tuple[float, float, float, float]], neighbours=()) -> ShareUnits:
    ukraine = gpd.GeoDataFrame({"code": list(squares)}, geometry=[box(*b) for b in squares.values()], crs=CRS).to_crs(
        4326
    )
    nb = gpd.GeoDataFrame(
        {"name": [f"n{i}" for i in range(len(neighbours))]}, geometry=[box(*b) for b in neighbours], crs=CRS
    ).to_crs(4326)
    return ShareUnits.build(ukraine, nb, CRS)


def _wgs(geom) -> MultiPolygon:
    return gpd.GeoSeries([geom], crs=CRS).to_crs(4326).iloc[0]


def test_half_covered_square_is_half():
    # Landlocked unit A (neighbours all round) 100 km x 100 km, occupied its western half.
    units = _units(
        {"A": (0, 0, 100 * KM, 100 * KM)},
        neighbours=[
            (-200 * KM, -200 * KM, 300 * KM, 0),
            (-200 * KM, 100 * KM, 300 * KM, 300 * KM),
            (-200 * KM, 0, 0, 100 * KM),
            (100 * KM, 0, 300 * KM, 100 * KM),
        ],
    )
    rows = snapshot_shares(
        units,
        date(2024, 1, 1),
        _wgs(box(-50 * KM, -10 * KM, 50 * KM, 110 * KM)),
        _wgs(box(50 * KM, 0, 75 * KM, 100 * KM)),
        "test",
    ).set_index("code")
    assert rows.loc["A", "occupied_km2"] == pytest.approx(5000, rel=2e-3)
    assert rows.loc["A", "occupied_share"] == pytest.approx(0.5, abs=1e-3)
    assert rows.loc["A", "grey_share"] == pytest.approx(0.25, abs=1e-3)
    assert not rows.loc["A", "coast_rule"]


def test_no_grey_layer_means_empty_grey_not_zero():
    units = _units({"A": (0, 0, 10 * KM, 10 * KM)})
    rows = snapshot_shares(units, date(2024, 1, 1), _wgs(box(0, 0, 5 * KM, 10 * KM)), None, "t")
    assert np.isnan(rows["grey_km2"]).all() and np.isnan(rows["grey_share"]).all()


def test_coast_rule_fills_a_coastal_sliver_but_not_an_inland_gap():
    # Unit A: 100 x 100 km, its east side on the sea; B is a landlocked neighbour to the west.
    units = _units(
        {"A": (0, 0, 100 * KM, 100 * KM), "B": (-100 * KM, 0, 0, 100 * KM)},
        neighbours=[
            (-200 * KM, -100 * KM, 100 * KM, 0),
            (-200 * KM, 100 * KM, 100 * KM, 200 * KM),
            (-200 * KM, 0, -100 * KM, 100 * KM),
        ],
    )
    sliver = _wgs(box(-1 * KM, -1 * KM, 99 * KM, 101 * KM))  # everything but a 1 km strip on the coast
    rows = snapshot_shares(units, date(2024, 1, 1), sliver, None, "t").set_index("code")
    assert rows.loc["A", "occupied_share_raw"] == pytest.approx(0.99, abs=2e-3)
    assert rows.loc["A", "occupied_share"] == 1.0 and rows.loc["A", "coast_rule"]
    inland = _wgs(MultiPolygon([box(-1 * KM, -1 * KM, 40 * KM, 101 * KM), box(42 * KM, -1 * KM, 101 * KM, 101 * KM)]))
    rows = snapshot_shares(units, date(2024, 1, 1), inland, None, "t").set_index("code")
    assert rows.loc["A", "occupied_share"] == pytest.approx(0.98, abs=2e-3)  # a real 2 km front stays
    assert not rows.loc["A", "coast_rule"]


@pytest.mark.parametrize(
    ("label", "cls"),
    [
        ("Окуповано", ControlClass.OCCUPIED),
        ("ОРДЛО", ControlClass.OCCUPIED),
        ("Крим", ControlClass.OCCUPIED),
        ("Ізюм. Окуповано\xa0", ControlClass.OCCUPIED),
        ("Під питанням", ControlClass.GREY),
        ("Звільнено 25.03", ControlClass.OTHER),
        ("Окуповано/// Occupied\n", ControlClass.OCCUPIED),
        ("Під питанням /// Contested\n", ControlClass.GREY),
        ("Звільнено /// Taken back", ControlClass.OTHER),
        ("Статус невідомий /// Unknown status", ControlClass.GREY),
        ("ОРДЛО /// CADR and CALR\n", ControlClass.OCCUPIED),
        ("Окупований Крим /// Occupied Crimea", ControlClass.OCCUPIED),
        ("Окуповано /// Occupied\xa0/// geoJSON.status.occupied", ControlClass.OCCUPIED),
        ("Статус невідомий /// Unknown status\xa0/// geoJSON.status.unknown\n", ControlClass.GREY),
        ("Звільнено 25.03 /// Liberated 25.03\xa0/// geoJSON.status.dismissed_at {{at:25.03}}", ControlClass.OTHER),
        ("ОРДЛО /// CADR and CALR\xa0/// geoJSON.territories.ordlo", ControlClass.OCCUPIED),
        ("Придністров'я/// Transnistria /// geoJSON.territories.transnistria", ControlClass.OTHER),
        ("Придністров'я", ControlClass.OTHER),
    ],
)
def test_labels_of_every_scheme(label, cls):
    assert classify_label(label) is cls


def test_label_without_status_is_none_and_mapping_wins():
    assert classify_label("Багатокутник 11") is None
    assert classify_label("Mystery zone") is None
    assert classify_label("  mystery\xa0ZONE\n", {"mystery zone": ControlClass.GREY}) is ControlClass.GREY
    assert classify_label("Окуповано", {"окуповано": ControlClass.OTHER}) is ControlClass.OTHER
    assert classify_style("#poly-A52714-1200-77") is ControlClass.OCCUPIED
    assert classify_style("#0f9d58") is ControlClass.OTHER and classify_style("#123456") is None


def _shares(days: list[date]) -> ControlShares:
    frames = [
        pd.DataFrame(
            {
                "snapshot_date": [d, d],
                "code": ["UA-65", "UA-43"],
                "occupied_km2": [1.0, 2.0],
                "occupied_share": [0.1 * i, 1.0],
                "occupied_share_raw": [0.1 * i, 0.99],
                "grey_km2": [np.nan, np.nan],
                "grey_share": [np.nan, np.nan],
                "coast_rule": [False, True],
                "source": ["s", "s"],
            }
        )
        for i, d in enumerate(days)
    ]
    return ControlShares.from_snapshots(frames)


def test_at_returns_last_snapshot_on_or_before_and_none_before_first():
    shares = _shares([date(2024, 8, 17), date(2024, 8, 20)])
    assert shares.at(date(2024, 8, 16)) is None
    rows = shares.at(date(2024, 8, 19))
    assert set(rows["snapshot_date"]) == {date(2024, 8, 17)} and set(rows["date"]) == {date(2024, 8, 19)}
    assert shares.at(date(2030, 1, 1))["snapshot_date"].iloc[0] == date(2024, 8, 20)
    assert shares.dates == (date(2024, 8, 17), date(2024, 8, 20))
    assert (shares.first_day, shares.last_day) == (date(2024, 8, 17), date(2024, 8, 20))
    row = shares.row(date(2024, 8, 19), "UA-43")
    assert (row.snapshot_date, row.occupied_share, row.coast_rule, row.grey_share) == (
        date(2024, 8, 17),
        1.0,
        True,
        None,
    )
    assert shares.row(date(2024, 8, 1), "UA-43") is None
    span = shares.between(date(2024, 8, 16), date(2024, 8, 18), ["UA-43"])
    assert list(span["date"]) == [date(2024, 8, 17), date(2024, 8, 18)] and set(span["code"]) == {"UA-43"}


def test_geometry_at_names_its_snapshot():
    geometry = ControlGeometry(
        pd.DataFrame(
            {
                "snapshot_date": [date(2024, 1, 1), date(2024, 1, 8)],
                "occupied": [MultiPolygon([box(0, 0, 1, 1)]), MultiPolygon([box(0, 0, 2, 2)])],
                "grey": [None, None],
            }
        )
    )
    assert geometry.at(date(2023, 12, 31)) is None
    day, occupied, grey = geometry.at(date(2024, 1, 5))
    assert day == date(2024, 1, 1) and occupied.area == 1 and grey is None


def test_core_control_has_no_io_or_ui_imports():
    import ast
    from pathlib import Path

    import dashboard.core.control as core
    import dashboard.core.control_labels as labels

    for module in (core, labels):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for n in node.names}
        imported |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & {"dash", "plotly", "flask", "click", "kaleido", "pyogrio", "pyarrow", "os", "io"}
        names = {
            node.attr if isinstance(node, ast.Attribute) else node.id
            for node in ast.walk(tree)
            if isinstance(node, (ast.Attribute, ast.Name))
        }
        assert not names & {"open", "read_text", "read_bytes", "read_file", "to_file", "write_text"}
        dashboard_imports = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard")
        }
        assert all(m.startswith("dashboard.core") for m in dashboard_imports)
