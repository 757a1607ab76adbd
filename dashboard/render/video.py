"""MP4 (H.264) and WebM (VP9) animations, encoded by imageio-ffmpeg's own ffmpeg binary.

Nothing system-wide is needed: the pip package `imageio-ffmpeg` carries ffmpeg.
ffmpeg writes and reads files, so encoding and the read-back check use a
private temporary directory; the caller writes the checked bytes where asked.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from dashboard.core.errors import DashboardError
from dashboard.render.animation import decode_frames, render_frames
from dashboard.render.export_job import ExportJob

#: name -> (codec, extra ffmpeg output options). yuv420p everywhere: what browsers and players decode.
CODECS: dict[str, tuple[str, list[str]]] = {
    "mp4": ("libx264", ["-movflags", "+faststart", "-tune", "stillimage"]),
    "webm": ("libvpx-vp9", ["-row-mt", "1", "-deadline", "good", "-cpu-used", "4", "-b:v", "0", "-crf", "32"]),
}


def _ffmpeg() -> Any:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise DashboardError("MP4 and WebM export need the Python package imageio-ffmpeg: "
                             "pip install 'imageio-ffmpeg>=0.5'") from None
    return imageio_ffmpeg


def encode_video(images: list[Any], fps: float, fmt: str) -> bytes:
    """The frames (RGB Pillow images of one size) as an MP4 or WebM file's bytes."""
    ffmpeg = _ffmpeg()
    codec, options = CODECS[fmt]
    if not images:
        raise DashboardError("an animation needs at least one frame")
    # yuv420p needs even sides: pad an odd one with the frame's white margin.
    width, height = images[0].size
    even = (width + width % 2, height + height % 2)
    with tempfile.TemporaryDirectory(prefix="contested-video-") as folder:
        target = Path(folder) / f"animation.{fmt}"
        writer = ffmpeg.write_frames(str(target), even, fps=fps, codec=codec, quality=None if fmt == "webm" else 7,
                                     macro_block_size=2, output_params=options, ffmpeg_log_level="error")
        writer.send(None)
        try:
            for image in images:
                if image.size != even:
                    from PIL import Image

                    padded = Image.new("RGB", even, "white")
                    padded.paste(image, (0, 0))
                    image = padded
                writer.send(image.tobytes())
        finally:
            writer.close()
        return target.read_bytes()


def render_mp4(job: ExportJob) -> bytes:
    return encode_video(decode_frames(render_frames(job)), job.fps, "mp4")


def render_webm(job: ExportJob) -> bytes:
    return encode_video(decode_frames(render_frames(job)), job.fps, "webm")


def video_facts(content: bytes, fmt: str) -> tuple[int, float]:
    """(frames, seconds) of a video file's bytes, as ffmpeg decodes them."""
    ffmpeg = _ffmpeg()
    with tempfile.TemporaryDirectory(prefix="contested-video-") as folder:
        source = Path(folder) / f"check.{fmt}"
        source.write_bytes(content)
        return ffmpeg.count_frames_and_secs(str(source))


def _check_video(content: bytes, job: ExportJob, fmt: str) -> None:
    expected = len(job.days)
    try:
        frames, seconds = video_facts(content, fmt)
    except DashboardError:
        raise
    except Exception as exc:  # ffmpeg could not read it
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DashboardError(f"animation export failed: the {fmt.upper()} file does not decode ({line}); "
                             "nothing was saved") from None
    wanted = expected / job.fps
    if frames != expected:
        raise DashboardError(f"animation export failed: the {fmt.upper()} file has {frames} frames instead of "
                             f"{expected}; nothing was saved")
    # ffmpeg reports the duration to a hundredth of a second; a frame's length is the tolerance.
    if not math.isclose(seconds, wanted, abs_tol=max(0.05, 1 / job.fps)):
        raise DashboardError(f"animation export failed: the {fmt.upper()} file lasts {seconds:.2f} s instead of "
                             f"{wanted:.2f} s; nothing was saved")


def check_mp4(content: bytes, job: ExportJob) -> None:
    _check_video(content, job, "mp4")


def check_webm(content: bytes, job: ExportJob) -> None:
    _check_video(content, job, "webm")
