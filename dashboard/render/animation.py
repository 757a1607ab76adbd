"""Animated exports: one frame per step of the range, rendered with one warm browser, then encoded.

Each frame is the still export's figure (export_figure.image_figure) for the
frame's day, with that day stamped large in the corner; the geometry comes
from one cached template, so a frame costs only its render. Frames are
rendered one at a time through the Exporter, each holding its lock only for
itself, so a long animation never keeps other exports waiting for long.
GIF is encoded here with Pillow; MP4 and WebM in video.py.
"""

from __future__ import annotations

import io
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
    stamp = {"name": DATE_STAMP_NAME, "text": f"<b>{plotly_text(job.text.day(state.date_to))}</b>",
             "xref": "paper", "yref": "paper", "x": 0.985, "y": 0.915, "xanchor": "right", "yanchor": "top",
             "showarrow": False, "font": {"size": 20}, "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 4}
    return {"data": figure["data"], "layout": {**figure["layout"],
                                               "annotations": [*figure["layout"]["annotations"], stamp]}}


def render_frames(job: ExportJob) -> list[bytes]:
    """Every frame as PNG bytes (each checked by the Exporter), in order; `job.progress` after each."""
    exporter = job.require_exporter()
    if job.options.format != "png":
        raise DashboardError("animation frames are rendered as PNG")
    count = job.check_frame_count()
    frames: list[bytes] = []
    for index in range(count):
        frames.append(exporter.render(frame_figure(job, index), job.options))
        if job.progress is not None:
            job.progress()
    return frames


def decode_frames(frames: list[bytes]) -> list[Any]:
    """The frames as RGB Pillow images."""
    from PIL import Image

    return [Image.open(io.BytesIO(frame)).convert("RGB") for frame in frames]


def frame_ms(fps: float) -> int:
    """How long one frame shows, in whole milliseconds (GIF counts in hundredths of a second)."""
    return max(20, round(1000 / fps / 10) * 10)


def render_gif(job: ExportJob) -> bytes:
    return encode_gif(decode_frames(render_frames(job)), job.fps)


def encode_gif(images: list[Any], fps: float) -> bytes:
    """An animated GIF that loops for ever, each frame with its own optimised palette."""
    from PIL import Image

    if not images:
        raise DashboardError("an animation needs at least one frame")
    # A per-frame adaptive palette (fast octree) keeps the map's flat colours exact and the
    # anti-aliased text smooth; `optimize` then drops the palette entries a frame does not use.
    quantised = [image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
                 for image in images]
    out = io.BytesIO()
    quantised[0].save(out, format="GIF", save_all=True, append_images=quantised[1:], duration=frame_ms(fps),
                      loop=0, optimize=True, disposal=1)
    return out.getvalue()


def check_gif(content: bytes, job: ExportJob) -> None:
    """Raise unless `content` is a GIF whose frames all decode, one per step, at the requested size,
    with each frame differing from the one before (every frame stamps its own day)."""
    from PIL import Image, ImageSequence

    expected = len(job.days)
    try:
        with Image.open(io.BytesIO(content)) as gif:
            if gif.format != "GIF":
                raise DashboardError(f"animation export failed: the encoder returned {gif.format}, not GIF; "
                                     "nothing was saved")
            frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]
    except DashboardError:
        raise
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise DashboardError(f"animation export failed: the GIF does not decode ({exc}); nothing was saved") from None
    _check_frames(frames, expected, job)


def _check_frames(frames: list[Any], expected: int, job: ExportJob) -> None:
    from PIL import ImageChops

    if len(frames) != expected:
        raise DashboardError(f"animation export failed: {len(frames)} frames instead of {expected}; nothing was saved")
    size = (round(job.options.width * job.options.scale), round(job.options.height * job.options.scale))
    if frames and abs(frames[0].size[0] - size[0]) > 1:
        raise DashboardError(f"animation export failed: frames of {frames[0].size[0]} × {frames[0].size[1]} "
                             f"instead of {size[0]} × {size[1]}; nothing was saved")
    days = job.days
    for i in range(1, len(frames)):
        if days[i] != days[i - 1] and ImageChops.difference(frames[i], frames[i - 1]).getbbox() is None:
            raise DashboardError(f"animation export failed: the frames for {days[i - 1].isoformat()} and "
                                 f"{days[i].isoformat()} are identical; nothing was saved")
