"""MP4 (H.264) and WebM (VP9) animations, encoded by imageio-ffmpeg's own ffmpeg binary.

Nothing system-wide is needed: the pip package `imageio-ffmpeg` carries ffmpeg.
ffmpeg writes and reads files, so encoding and the read-back check use a
private temporary directory; the caller writes the checked bytes where asked.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dashboard.core.errors import DashboardError
from dashboard.render.animation import decode_frames, iter_frames
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
        raise DashboardError(
            "MP4 and WebM export need the Python package imageio-ffmpeg: pip install 'imageio-ffmpeg>=0.5'"
        ) from None
    return imageio_ffmpeg


def encode_video(images: Iterable[Any], fps: float, fmt: str) -> bytes:
    """The frames (RGB Pillow images of one size) as an MP4 or WebM file's bytes. `images` may be a
    generator: each frame goes to ffmpeg (a process of its own) as soon as it exists, so encoding
    runs while the browser draws the next frame."""
    ffmpeg = _ffmpeg()
    codec, options = CODECS[fmt]
    with tempfile.TemporaryDirectory(prefix="contested-video-") as folder:
        target = Path(folder) / f"animation.{fmt}"
        writer = None
        try:
            for image in images:
                if writer is None:
                    # yuv420p needs even sides: an odd one is padded with the frame's white margin.
                    size = (image.size[0] + image.size[0] % 2, image.size[1] + image.size[1] % 2)
                    writer = ffmpeg.write_frames(
                        str(target),
                        size,
                        fps=fps,
                        codec=codec,
                        quality=None if fmt == "webm" else 7,
                        macro_block_size=2,
                        output_params=options,
                        ffmpeg_log_level="error",
                    )
                    writer.send(None)
                writer.send(_padded(image, size).tobytes())
        finally:
            if writer is not None:
                writer.close()
        if writer is None:
            raise DashboardError("an animation needs at least one frame")
        return target.read_bytes()


def _padded(image: Any, size: tuple[int, int]) -> Any:
    if image.size == size:
        return image
    from PIL import Image

    padded = Image.new("RGB", size, "white")
    padded.paste(image, (0, 0))
    return padded


def _streamed(job: ExportJob) -> Iterable[Any]:
    for png in iter_frames(job):
        yield decode_frames([png])[0]


def render_mp4(job: ExportJob) -> bytes:
    return encode_video(_streamed(job), job.fps, "mp4")


def render_webm(job: ExportJob) -> bytes:
    return encode_video(_streamed(job), job.fps, "webm")


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
    except (RuntimeError, OSError, ValueError) as exc:  # ffmpeg could not read it
        line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DashboardError(
            f"animation export failed: the {fmt.upper()} file does not decode ({line}); nothing was saved"
        ) from None
    wanted = expected / job.fps
    if frames != expected:
        raise DashboardError(
            f"animation export failed: the {fmt.upper()} file has {frames} frames instead of "
            f"{expected}; nothing was saved"
        )
    # ffmpeg reports the duration to a hundredth of a second; a frame's length is the tolerance.
    if not math.isclose(seconds, wanted, abs_tol=max(0.05, 1 / job.fps)):
        raise DashboardError(
            f"animation export failed: the {fmt.upper()} file lasts {seconds:.2f} s instead of "
            f"{wanted:.2f} s; nothing was saved"
        )


def check_mp4(content: bytes, job: ExportJob) -> None:
    _check_video(content, job, "mp4")


def check_webm(content: bytes, job: ExportJob) -> None:
    _check_video(content, job, "webm")
