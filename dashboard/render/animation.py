"""Animated exports: one frame per step of the range, rendered with one warm browser, then encoded.

Each frame is the still export's figure (export_figure.image_figure) for the
frame's day, with that day stamped large in the corner; the geometry comes
from one cached template, so a frame costs only its render. Frames are
rendered one at a time through the Exporter, each holding its lock only for
itself, so a long animation never keeps other exports waiting for long.
GIF is encoded here with Pillow; MP4 and WebM in video.py.
"""

from __future__ import annotations

import concurrent.futures
import io
from collections.abc import Iterator
from typing import Any

from dashboard.core.errors import DashboardError
from dashboard.render.export_figure import image_figure
from dashboard.render.export_job import ExportJob
from dashboard.render.markup import plotly_text

#: The frame's day, large, in the map's top right corner, on a white box (the title may be the
#: user's own words and may not name the day).
DATE_STAMP_NAME = "frame-date"


def frame_figure(job: ExportJob, index: int) -> dict[str, Any]:
    """The figure of frame `index`: the still export for the frame's day, with the day stamped in."""
    state = job.frame_states()[index]
    figure = image_figure(job.data, state, job.options, job.text, job.control)
    stamp = {
        "name": DATE_STAMP_NAME,
        "text": f"<b>{plotly_text(job.text.day(state.date_to))}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0.985,
        "y": 0.915,
        "xanchor": "right",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 20},
        "bgcolor": "rgba(255,255,255,0.85)",
        "borderpad": 4,
    }
    return {
        "data": figure["data"],
        "layout": {**figure["layout"], "annotations": [*figure["layout"]["annotations"], stamp]},
    }


def iter_frames(job: ExportJob) -> Iterator[bytes]:
    """Every frame as PNG bytes (each checked by the Exporter), in order; `job.progress` after each."""
    exporter = job.require_exporter()
    if job.options.format != "png":
        raise DashboardError("animation frames are rendered as PNG")
    count = job.check_frame_count()
    for index in range(count):
        frame = exporter.render(frame_figure(job, index), job.options)
        if job.progress is not None:
            job.progress()
        yield frame


def render_frames(job: ExportJob) -> list[bytes]:
    return list(iter_frames(job))


def decode_frames(frames: list[bytes]) -> list[Any]:
    """The frames as RGB Pillow images."""
    from PIL import Image

    return [Image.open(io.BytesIO(frame)).convert("RGB") for frame in frames]


def frame_ms(fps: float) -> int:
    """How long one frame shows, in whole milliseconds (GIF counts in hundredths of a second)."""
    return max(20, round(1000 / fps / 10) * 10)


def render_gif(job: ExportJob) -> bytes:
    """Each frame is decoded and given its palette in a worker thread while the browser draws the
    next one (Pillow lets go of the GIL while it decodes and quantises)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="gif-frames") as pool:
        pending = [pool.submit(_palette_frame, png) for png in iter_frames(job)]
        return save_gif([future.result() for future in pending], job.fps)


def _palette_frame(png: bytes) -> Any:
    return _quantise(decode_frames([png])[0])


def _quantise(image: Any) -> Any:
    """A per-frame adaptive palette (fast octree): the map's flat colours stay exact and the
    anti-aliased text smooth; saving with `optimize` then drops the entries a frame does not use."""
    from PIL import Image

    return image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def encode_gif(images: list[Any], fps: float) -> bytes:
    """An animated GIF of RGB frames that loops for ever, each frame with its own optimised palette."""
    return save_gif([_quantise(image) for image in images], fps)


def save_gif(quantised: list[Any], fps: float) -> bytes:
    if not quantised:
        raise DashboardError("an animation needs at least one frame")
    out = io.BytesIO()
    quantised[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=quantised[1:],
        duration=frame_ms(fps),
        loop=0,
        optimize=True,
        disposal=1,
    )
    return out.getvalue()


def check_gif(content: bytes, job: ExportJob) -> None:
    """Raise unless `content` is a GIF whose frames all decode, one per step, at the requested size,
    with each frame differing from the one before (every frame stamps its own day)."""
    from PIL import Image, ImageSequence

    expected = len(job.days)
    try:
        with Image.open(io.BytesIO(content)) as gif:
            if gif.format != "GIF":
                raise DashboardError(
                    f"animation export failed: the encoder returned {gif.format}, not GIF; nothing was saved"
                )
            frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]
    except DashboardError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many unrelated types for a damaged file
        raise DashboardError(f"animation export failed: the GIF does not decode ({exc}); nothing was saved") from None
    _check_frames(frames, expected, job)


def _check_frames(frames: list[Any], expected: int, job: ExportJob) -> None:
    from PIL import ImageChops

    if len(frames) != expected:
        raise DashboardError(f"animation export failed: {len(frames)} frames instead of {expected}; nothing was saved")
    size = (round(job.options.width * job.options.scale), round(job.options.height * job.options.scale))
    if frames and abs(frames[0].size[0] - size[0]) > 1:
        raise DashboardError(
            f"animation export failed: frames of {frames[0].size[0]} × {frames[0].size[1]} "
            f"instead of {size[0]} × {size[1]}; nothing was saved"
        )
    days = job.days
    for i in range(1, len(frames)):
        if days[i] != days[i - 1] and ImageChops.difference(frames[i], frames[i - 1]).getbbox() is None:
            raise DashboardError(
                f"animation export failed: the frames for {days[i - 1].isoformat()} and "
                f"{days[i].isoformat()} are identical; nothing was saved"
            )
