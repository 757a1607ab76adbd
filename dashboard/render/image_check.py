"""Is this the image that was asked for? Checked before any export is written or sent.

Chromium answers a canvas past its size limit with three bytes of nothing, and
kaleido hands them on as a PNG; a truncated or empty render would do the same.
So every render is read back first. Pillow is only a test dependency, so the
PNG check reads the format itself: signature, every chunk's length and CRC,
the IHDR size against the request, and IEND at the end.
"""

from __future__ import annotations

import math
import struct
import xml.etree.ElementTree as ET
import zlib
from typing import TYPE_CHECKING

from dashboard.core.errors import DashboardError

if TYPE_CHECKING:
    from dashboard.render.export import ImageOptions

#: Chromium's largest canvas, in pixels (16,384 × 16,384); past it a PNG export comes back empty.
RENDERER_MAX_PIXELS = 2**28
#: Formats drawn on a canvas, so bound by RENDERER_MAX_PIXELS (SVG and PDF stay vectors).
RASTER_FORMATS: tuple[str, ...] = ("png",)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def canvas_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """The pixel size of a raster export: plotly.js sizes its canvas width × scale, rounded down."""
    return math.floor(width * scale), math.floor(height * scale)


def check_image(content: bytes, options: ImageOptions) -> None:
    """Raise a one-line DashboardError unless `content` is a whole image of the requested format and size."""
    if not content:
        problem: str | None = "an empty image"
    elif options.format == "png":
        problem = _png_problem(content, options)
    elif options.format == "svg":
        problem = _svg_problem(content)
    else:
        problem = _pdf_problem(content)
    if problem:
        raise DashboardError(f"image export failed: the renderer returned {problem}; nothing was saved")


def _png_problem(content: bytes, options: ImageOptions) -> str | None:
    if not content.startswith(PNG_SIGNATURE):
        return f"{len(content):,} bytes that are not a PNG image"
    size, problem = _walk_png_chunks(memoryview(content))
    if problem or size is None:
        return problem or "a PNG image with no IHDR chunk (not a PNG image)"
    wanted = (options.width * options.scale, options.height * options.scale)
    if any(abs(got - want) >= 1 for got, want in zip(size, wanted, strict=True)):
        expected = canvas_size(options.width, options.height, options.scale)
        return f"a {size[0]} × {size[1]} image instead of {expected[0]} × {expected[1]}"
    return None


def _walk_png_chunks(data: memoryview) -> tuple[tuple[int, int] | None, str | None]:
    """(width, height) from IHDR, or what is wrong: a chunk past the end, a bad CRC, no IEND."""
    position, size = len(PNG_SIGNATURE), None
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            break
        body = data[position + 8 : end - 4]
        if zlib.crc32(body, zlib.crc32(kind)) != struct.unpack(">I", data[end - 4 : end])[0]:
            return None, f"a damaged PNG image (bad checksum in its {kind.decode('latin-1')!r} chunk)"
        if size is None and kind != b"IHDR":
            return None, "a PNG image that does not start with IHDR (not a PNG image)"
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if kind == b"IEND":
            return (size, None) if end == len(data) else (None, "a damaged PNG image (data after IEND)")
        position = end
    return None, "a truncated PNG image (it stops before its IEND chunk)"


def _svg_problem(content: bytes) -> str | None:
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        return f"text that is not valid SVG ({exc})"
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return f"text that is not valid SVG (its root element is <{root.tag}>, not <svg>)"
    return None


def _pdf_problem(content: bytes) -> str | None:
    if not content.startswith(b"%PDF-"):
        return f"{len(content):,} bytes that are not a PDF document (no %PDF- header)"
    if b"%%EOF" not in content[-1024:]:
        return "data that is not a PDF document (no %%EOF at its end: truncated)"
    return None
