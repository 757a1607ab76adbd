"""VIINA settlement control tables: the reader, the tessellation, and shares checked against DeepStateMap.

The fixture (tests/data/viina/control_fixture.csv.gz, built by build_fixture.py there) holds the
2,851 Ukrainian places of GeoNames cities500, RU where they lie inside DeepStateMap's occupied area
of 2025-08-20 and UA elsewhere. Its tessellated shares must come close to that file's shares.

Tolerance, measured on this fixture: the total occupied area is 0.56% off the daily file's, the
largest unit error is Kherson's 4.2 points (its Dnipro front runs between sparse riverside
places), the next Donetsk's 1.7. A cell is about 15 km across (603,500 km2 / 2,851 places), so a
front line can move by half a cell: the tests allow 1.5% on the total and 5 points per unit, and
Kherson's share must still show a partly held unit (a front through it).
"""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from dashboard.core.control_tessellation import tessellate
from dashboard.core.errors import DataError
from dashboard.sources.control_import import import_paths, share_units
from dashboard.sources.control_viina import VIINA_SOURCE, read_viina_table
from tests.control_helpers import daily

FIXTURE = Path(__file__).parent / "data" / "viina" / "control_fixture.csv.gz"
HEADER = "geonameid,name,asciiname,alternatenames,longitude,latitude,feature_code"


@pytest.fixture(scope="module")
def units():
    return share_units()


@pytest.fixture(scope="module")
def viina(units):
    messages: list[str] = []
    result = import_paths([FIXTURE], units=units, report=messages.append)
    return result, messages


def _csv(tmp_path: Path, rows: list[str], stamps: str = "ctr_20240101120000", name: str = "control_latest.csv"):
    path = tmp_path / name
    path.write_text("\n".join([f"{HEADER},{stamps}", *rows]) + "\n", encoding="utf-8")
    return path


# --- the reader --------------------------------------------------------------------------------


def test_reader_days_last_stamp_of_a_day_wins_by_time_not_column_order():
    table = read_viina_table(FIXTURE)
    assert list(table.days) == [date(2025, 7, 1), date(2025, 8, 20)]
    assert len(table.lon) == 2851 and table.dropped_stamps == 1 and table.repeated_points == 0
    aug = table.days[date(2025, 8, 20)]
    # ctr_20250820060000 (all UA) comes last in the file but is earlier: 20250820180000 wins.
    assert (aug == 1).sum() == 731 and (aug == 2).sum() == 0
    assert (table.days[date(2025, 7, 1)] == 2).sum() == 46


def test_reader_keeps_the_first_row_of_a_repeated_place(tmp_path):
    path = _csv(tmp_path, ["1,A,A,,35.0,48.0,PPL,RU", "2,B,B,,35.0,48.0,PPL,UA", "3,C,C,,30.5,50.4,PPL,UA"])
    table = read_viina_table(path)
    assert table.repeated_points == 1 and table.days[date(2024, 1, 1)].tolist() == [1, 0]


@pytest.mark.parametrize(
    ("rows", "stamps", "fragments"),
    [
        (
            ["1,A,A,,35.0,48.0,PPL,RU", "2,B,B,,30.5,50.4,PPL,occupied"],
            "ctr_20240101120000",
            ["row 3", "column 'ctr_20240101120000'", "'occupied'", "expected UA, RU or CONTESTED"],
        ),
        (
            ["1,A,A,,35.0,48.0,PPL,RU", "2,B,B,,30.5,50.4,PPL,"],
            "ctr_20240101120000",
            ["row 3", "''", "expected UA, RU or CONTESTED"],
        ),
        (["1,A,A,,east,48.0,PPL,RU"], "ctr_20240101120000", ["row 2", "column 'longitude'", "'east'"]),
        (
            ["1,A,A,,35.0,48.0,PPL,RU", "2,B,B,,30.5,50.4,PPL,UA"],
            "ctr_20241399120000",
            ["column 'ctr_20241399120000'", "not a day"],
        ),
    ],
)
def test_bad_tables_are_one_line_errors(tmp_path, rows, stamps, fragments):
    with pytest.raises(DataError) as info:
        read_viina_table(_csv(tmp_path, rows, stamps))
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(tmp_path / "control_latest.csv"))
    for fragment in fragments:
        assert fragment in message, message


def test_a_csv_without_the_columns_is_not_viina(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,x,y\n1,2,3\n")
    with pytest.raises(
        DataError,
        match=r"other.csv: not a VIINA control table .*missing geonameid, longitude, "
        r"latitude, ctr_\*",
    ):
        read_viina_table(path)


# --- the tessellation ---------------------------------------------------------------------------


def test_tessellation_one_cell_per_settlement_holding_it_and_tiling_ukraine(units):
    table = read_viina_table(FIXTURE)
    cells = tessellate(units, table.lon, table.lat)
    assert len(cells) == len(table.lon)
    points = units.project(shapely.multipoints(np.column_stack([table.lon, table.lat])))
    inside = shapely.contains(cells.cells, shapely.get_parts(points))
    assert inside.all()  # each cell holds its own settlement: the cells are in input order
    everything = cells.union(np.ones(len(cells), dtype=bool))
    assert shapely.difference(units.outline, everything).area < 1e-9  # the cells cover Ukraine
    ru, ua = cells.union(table.days[date(2025, 8, 20)] == 1), cells.union(table.days[date(2025, 8, 20)] == 0)
    assert shapely.intersection(ru, ua).area < 1e-9  # statuses never overlap


def test_tessellation_needs_two_places(units):
    with pytest.raises(ValueError, match="at least 2"):
        tessellate(units, [35.0], [48.0])


# --- shares against DeepStateMap ----------------------------------------------------------------


def test_shares_come_close_to_the_daily_file_they_were_built_from(units, viina):
    result, messages = viina
    assert result.formats == {"viina"} and result.days == (date(2025, 7, 1), date(2025, 8, 20))
    assert any(
        "VIINA shares are estimated from a tessellation of 2,851 settlements, not drawn front lines" in m
        for m in messages
    )
    truth = import_paths([daily("2025-08-20")], units=units, report=lambda m: None).shares.frame.set_index("code")
    ours = result.shares.at(date(2025, 8, 20)).set_index("code")
    assert set(ours["source"]) == {VIINA_SOURCE}
    total, expected = ours["occupied_km2"].sum(), truth["occupied_km2"].sum()
    assert abs(total - expected) / expected < 0.015
    error = (ours["occupied_share"] - truth["occupied_share"]).abs()
    assert error.max() < 0.05, error.sort_values().tail(3).to_dict()
    assert 0.6 < ours.loc["UA-65", "occupied_share"] < 0.85  # Kherson: a front through it
    assert ours.loc["UA-46", "occupied_share"] == 0 and (ours["grey_share"] == 0).all()


def test_contested_places_become_the_grey_zone(viina):
    result, _ = viina
    july = result.shares.at(date(2025, 7, 1)).set_index("code")
    aug = result.shares.at(date(2025, 8, 20)).set_index("code")
    assert july["grey_km2"].sum() > 1000  # 46 places near the front, some 20 km2 each at least
    assert july.loc["UA-14", "grey_share"] > 0 and july.loc["UA-46", "grey_share"] == 0
    # A contested place was UA on the other day: grey takes nothing from the occupied area.
    assert july["occupied_km2"].sum() == pytest.approx(aug["occupied_km2"].sum(), rel=1e-9)
    day, occupied, grey = result.geometry.at(date(2025, 7, 1))
    assert day == date(2025, 7, 1) and not grey.is_empty and shapely.intersection(occupied, grey).area < 1e-9


@pytest.mark.slow
def test_plain_csv_reads_like_the_gzipped_one(units, viina, tmp_path):
    plain = tmp_path / "control_latest_fixture.csv"
    with gzip.open(FIXTURE, "rb") as source, plain.open("wb") as target:
        shutil.copyfileobj(source, target)
    again = import_paths([plain], units=units, report=lambda m: None)
    assert again.shares.frame["occupied_km2"].tolist() == viina[0].shares.frame["occupied_km2"].tolist()
