"""Change of control between two dates (dashboard/core/control_change.py): synthetic squares with
known areas, then the bundled layer against its own share table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from dashboard.core.control import ControlData, ControlGeometry, ControlShares
from dashboard.core.control_change import ChangeMeter, change_shapes, month_spans, split_net

D = dt.date.fromisoformat
#: A plate carrée whose sphere makes one degree 1000 m: a 1° × 1° square is exactly 1 km².
KM_CRS = "+proj=eqc +R=6371000 +to_meter=111.19492664455873 +no_defs"
OUTLINES = {"UA-43": box(20, 0, 30, 10), "UA-40": box(30, 0, 32, 10), "UA-14": box(0, 0, 10, 10)}
AREAS = {"UA-43": 100.0, "UA-40": 20.0, "UA-14": 100.0}


def _mp(*boxes) -> MultiPolygon:
    return MultiPolygon(list(boxes))


def _control(snapshots: dict[str, MultiPolygon], km2: dict[str, dict[str, float]] | None = None) -> ControlData:
    """Shares from `km2` (day -> code -> occupied km²), else measured from the squares themselves."""
    rows, geoms = [], []
    for day, held in snapshots.items():
        for code, outline in OUTLINES.items():
            area = km2[day][code] if km2 else held.intersection(outline).area
            rows.append(
                {
                    "snapshot_date": D(day),
                    "code": code,
                    "occupied_km2": area,
                    "occupied_share": area / AREAS[code],
                    "occupied_share_raw": area / AREAS[code],
                    "grey_km2": float("nan"),
                    "grey_share": float("nan"),
                    "coast_rule": False,
                    "source": "test squares",
                }
            )
        geoms.append({"snapshot_date": D(day), "occupied": held, "grey": None})
    return ControlData(
        ControlShares(pd.DataFrame(rows)), ControlGeometry(pd.DataFrame(geoms)), "test squares", "CC0", ""
    )


def _meter(control: ControlData) -> ChangeMeter:
    return ChangeMeter.build(control, OUTLINES, crs=KM_CRS)


def _by_code(rows):
    return {r.code: r for r in rows}


def test_gained_lost_and_net_are_the_squares_areas():
    # Donetsk: 0-4 held, then 1-6: 2 × 10 taken, 1 × 10 no longer held. Crimea held in full throughout.
    meter = _meter(
        _control(
            {
                "2024-01-01": _mp(box(0, 0, 4, 10), box(20, 0, 32, 10)),
                "2024-02-01": _mp(box(1, 0, 6, 10), box(20, 0, 32, 10)),
            }
        )
    )
    rows = _by_code(meter.change(D("2024-01-15"), D("2024-03-01")))
    donetsk = rows["UA-14"]
    assert (donetsk.from_snapshot, donetsk.to_snapshot) == (D("2024-01-01"), D("2024-02-01"))
    assert donetsk.gained_km2 == pytest.approx(20.0, abs=1e-6)
    assert donetsk.lost_km2 == pytest.approx(10.0, abs=1e-6)
    assert donetsk.net_km2 == pytest.approx(10.0, abs=1e-6)
    assert (donetsk.share_from, donetsk.share_to) == pytest.approx((0.4, 0.5))
    assert rows["UA-43"].net_km2 == 0 and rows["UA-43"].gained_km2 == 0 and rows["UA-43"].lost_km2 == 0
    assert [r.code for r in meter.change(D("2024-01-01"), D("2024-02-01"))] == ["UA-43", "UA-40", "UA-14"]


def test_same_snapshot_at_both_ends_is_no_change():
    meter = _meter(_control({"2024-01-01": _mp(box(0, 0, 4, 10)), "2024-02-01": _mp(box(1, 0, 6, 10))}))
    row = _by_code(meter.change(D("2024-01-02"), D("2024-01-31")))["UA-14"]
    assert row.from_snapshot == row.to_snapshot == D("2024-01-01")
    assert (row.gained_km2, row.lost_km2, row.net_km2) == (0.0, 0.0, 0.0)


def test_before_the_first_snapshot_says_none_and_invents_nothing():
    meter = _meter(_control({"2024-01-01": _mp(box(0, 0, 4, 10)), "2024-02-01": _mp(box(1, 0, 6, 10))}))
    row = _by_code(meter.change(D("2023-06-01"), D("2024-02-10")))["UA-14"]
    assert row.from_snapshot is None and not row.complete
    assert row.to_snapshot == D("2024-02-01")
    assert (row.gained_km2, row.lost_km2, row.net_km2, row.share_from) == (None, None, None, None)
    assert row.share_to == pytest.approx(0.5)
    both = _by_code(meter.change(D("2023-06-01"), D("2023-07-01")))["UA-14"]
    assert both.to_snapshot is None and both.share_to is None


def test_net_follows_the_share_table_and_the_geometry_only_splits_it():
    # The geometry says +20 / −10 (net 10); the full-resolution table says net 13:
    # the residual 3 is shared 2:1, so taken 22 (+2), no longer held 9 (−1), net 13 exactly.
    control = _control(
        {"2024-01-01": _mp(box(0, 0, 4, 10)), "2024-02-01": _mp(box(1, 0, 6, 10))},
        km2={
            "2024-01-01": {"UA-14": 40.0, "UA-43": 0.0, "UA-40": 0.0},
            "2024-02-01": {"UA-14": 53.0, "UA-43": 0.0, "UA-40": 0.0},
        },
    )
    row = _by_code(_meter(control).change(D("2024-01-01"), D("2024-02-01")))["UA-14"]
    assert row.net_km2 == pytest.approx(13.0)
    assert row.gained_km2 == pytest.approx(22.0)
    assert row.lost_km2 == pytest.approx(9.0)


@pytest.mark.parametrize(
    "gained, lost, net, expected",
    [
        (20.0, 10.0, 10.0, (20.0, 10.0)),  # agree: unchanged
        (20.0, 10.0, 13.0, (22.0, 9.0)),  # residual shared in proportion: +2 taken, −1 lost
        (0.0, 1.3, 0.0, (0.0, 0.0)),  # a coastline sliver the table's coastline rule rules out
        (0.0, 0.0, 5.0, (5.0, 0.0)),  # the geometry saw nothing: the net alone
        (1.0, 1.0, -4.0, (0.0, 4.0)),  # residual larger than the geometry's churn
    ],
)
def test_split_net(gained, lost, net, expected):
    got = split_net(gained, lost, net)
    assert got == pytest.approx(expected)
    assert got[0] - got[1] == pytest.approx(net) and min(got) >= 0


def test_crimea_is_asked_for_as_the_peninsula():
    meter = _meter(_control({"2024-01-01": _mp(box(0, 0, 4, 10))}))
    assert meter.codes_for(["UA-40"]) == ("UA-43", "UA-40")
    assert meter.codes_for(["UA-43", "UA-14"]) == ("UA-43", "UA-40", "UA-14")
    assert [r.code for r in meter.change(D("2024-01-01"), D("2024-01-02"), ["UA-40"])] == ["UA-43", "UA-40"]


def test_month_spans_chain_so_months_add_up():
    spans = month_spans(D("2024-01-10"), D("2024-03-31"))
    assert spans == [
        ("2024-01", D("2024-01-10"), D("2024-01-31")),
        ("2024-02", D("2024-01-31"), D("2024-02-29")),
        ("2024-03", D("2024-02-29"), D("2024-03-31")),
    ]
    assert month_spans(D("2024-12-31"), D("2025-01-01")) == [
        ("2024-12", D("2024-12-31"), D("2024-12-31")),
        ("2025-01", D("2024-12-31"), D("2025-01-01")),
    ]


def test_monthly_rows():
    meter = _meter(
        _control(
            {
                "2024-01-10": _mp(box(0, 0, 2, 10)),
                "2024-02-15": _mp(box(0, 0, 5, 10)),
                "2024-03-05": _mp(box(0, 0, 4, 10)),
            }
        )
    )
    rows = [r for r in meter.monthly(D("2023-12-01"), D("2024-03-31")) if r.code == "UA-14"]
    assert [r.month for r in rows] == ["2023-12", "2024-01", "2024-02", "2024-03"]
    december, january, february, march = rows
    assert december.from_snapshot is None and december.net_km2 is None  # said, not invented
    assert january.from_snapshot is None and january.to_snapshot == D("2024-01-10")
    assert (february.from_snapshot, february.to_snapshot) == (D("2024-01-10"), D("2024-02-15"))
    assert (february.gained_km2, february.lost_km2) == pytest.approx((30.0, 0.0))
    assert (march.gained_km2, march.lost_km2, march.net_km2) == pytest.approx((0.0, 10.0, -10.0))
    whole = _by_code(meter.change(D("2024-01-10"), D("2024-03-31")))["UA-14"].net_km2
    assert sum(
        r.net_km2 for r in meter.monthly(D("2024-01-10"), D("2024-03-31")) if r.code == "UA-14"
    ) == pytest.approx(whole)


def test_change_shapes_are_the_two_differences():
    control = _control({"2024-01-01": _mp(box(0, 0, 4, 10)), "2024-02-01": _mp(box(1, 0, 6, 10))})
    shapes = change_shapes(control.geometry, D("2024-01-05"), D("2024-02-05"))
    assert (shapes.from_snapshot, shapes.to_snapshot) == (D("2024-01-01"), D("2024-02-01"))
    assert shapes.taken.area == pytest.approx(20.0) and shapes.lost.area == pytest.approx(10.0)
    assert change_shapes(control.geometry, D("2023-01-01"), D("2024-02-05")).taken.is_empty


def test_reversed_range_is_refused():
    meter = _meter(_control({"2024-01-01": _mp(box(0, 0, 4, 10))}))
    with pytest.raises(ValueError, match="after"):
        meter.change(D("2024-02-01"), D("2024-01-01"))


# --- the bundled layer (DeepStateMap via cyterat/deepstate-map-data, GPL-3.0) -----------------------


@pytest.fixture(scope="module")
def bundled():
    from dashboard.sources.dataset import load_dataset

    return load_dataset()


@pytest.mark.parametrize(
    "start, end",
    [
        ("2024-07-09", "2025-07-09"),
        ("2025-07-09", "2026-08-21"),
        ("2024-07-09", "2026-08-21"),
        ("2025-10-01", "2025-10-31"),
    ],
)
def test_bundled_net_is_the_share_table_difference(bundled, start, end):
    meter = bundled.change_meter()
    table = bundled.control.shares
    for row in meter.change(D(start), D(end)):
        expected = table.row(D(end), row.code).occupied_km2 - table.row(D(start), row.code).occupied_km2
        assert row.net_km2 == pytest.approx(expected, abs=1e-6)
        assert row.gained_km2 >= 0 and row.lost_km2 >= 0
        assert row.gained_km2 - row.lost_km2 == pytest.approx(row.net_km2, abs=1e-6)


def test_bundled_donetsk_was_taken_and_crimea_did_not_change(bundled):
    rows = _by_code(bundled.change_meter().change(D("2024-07-09"), D("2026-08-21")))
    donetsk = rows["UA-14"]
    assert (donetsk.from_snapshot, donetsk.to_snapshot) == (D("2024-07-09"), D("2026-08-21"))
    # About 5,486 km² more of Donetsk held per DeepStateMap over the two years, 58.8% -> 79.5%.
    assert 5000 < donetsk.net_km2 < 6000
    assert donetsk.share_from == pytest.approx(0.588, abs=0.001)
    assert donetsk.share_to == pytest.approx(0.795, abs=0.001)
    # Both Crimea units are held in full at both ends (coastline rule): nothing taken, nothing lost.
    for code in ("UA-43", "UA-40"):
        assert (rows[code].gained_km2, rows[code].lost_km2, rows[code].net_km2) == (0.0, 0.0, 0.0)


def test_bundled_geometric_split_is_close_to_the_geometry(bundled):
    """The adjustment is small: within 2% of the change plus 20 km² of the geometry's own figures."""
    import shapely

    meter = bundled.change_meter()
    start, end = D("2024-07-09"), D("2025-07-09")
    before, after = meter._clipped(start)[1], meter._clipped(end)[1]
    for i, row in enumerate(meter.change(start, end)):
        geo_gained = shapely.area(shapely.difference(after[i], before[i])) / 1e6
        assert abs(row.gained_km2 - geo_gained) <= 0.02 * abs(row.net_km2) + 20


def test_bundled_months_add_up_to_the_range(bundled):
    meter = bundled.change_meter()
    start, end = D("2024-07-09"), D("2026-08-21")
    months = meter.monthly(start, end)
    assert {r.month for r in months} == {
        f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13) if "2024-07" <= f"{y}-{m:02d}" <= "2026-08"
    }
    whole = _by_code(meter.change(start, end))
    for code, row in whole.items():
        assert sum(r.net_km2 for r in months if r.code == code) == pytest.approx(row.net_km2, abs=1e-6)
