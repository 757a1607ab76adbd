"""Animation export speed: 100 weekly frames at 1200×800, rendered with one warm browser and encoded.

    python -m benchmarks.animation [--frames 100]

Target: the whole GIF (render, encode, read-back check: what `export --animate` does) under
60 s on 2 cores. Also measured: the frames alone through the Exporter (one warm Chromium, one render at a time, its lock
per frame) against kaleido's own batch call (`Kaleido.write_fig_from_object` with a list,
one tab), on the same frames, to show which is faster; and the MP4 encode of the same frames.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path


def _job(frames: int, exporter):
    from dashboard.core.filters import FilterState
    from dashboard.render.export_job import ExportJob
    from dashboard.render.export_options import ImageOptions
    from dashboard.sources.dataset import load_dataset
    from dashboard.text import text_for

    data = load_dataset()
    start = dt.date(2024, 7, 10)
    state = FilterState(start, start + dt.timedelta(weeks=frames - 1))
    return ExportJob(data, state, ImageOptions(width=1200, height=800), text_for(), exporter=exporter, step="week")


def _kaleido_batch_s(job) -> float:
    """The same frames through kaleido's batch API (one tab, files in a temporary folder)."""
    import kaleido

    from dashboard.render.animation import frame_figure
    from dashboard.sources.paths import assets_dir, plotlyjs_bundle

    topojson = (assets_dir() / "topojson").resolve().as_uri() + "/"
    opts = {"format": "png", "width": job.options.width, "height": job.options.height, "scale": 1}

    async def run(folder: Path) -> float:
        async with kaleido.Kaleido(n=1, mathjax=False, plotlyjs=(plotlyjs_bundle().as_uri(), "utf-8")) as k:
            await k.calc_fig(frame_figure(job, 0), opts=opts, topojson=topojson)  # warm, like the Exporter
            figures = [
                {
                    "fig": frame_figure(job, i),
                    "opts": opts,
                    "topojson": topojson,
                    "path": str(folder / f"frame{i:04d}.png"),
                }
                for i in range(len(job.days))
            ]
            started = time.perf_counter()
            await k.write_fig_from_object(figures, cancel_on_error=True)
            return time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(run(Path(tmp)))


def run(frames: int = 100, quick: bool = False) -> dict[str, float]:
    from dashboard.render.animation import check_gif, decode_frames, frame_figure, render_frames, render_gif
    from dashboard.render.exporter import find_browser
    from dashboard.render.video import check_mp4, encode_video
    from dashboard.testing import new_exporter

    if find_browser() is None:
        print("  animation: no Chromium, skipped", flush=True)
        return {}
    frames = 4 if quick else frames
    exporter = new_exporter()
    try:
        job = _job(frames, exporter)
        exporter.render(frame_figure(job, 0), job.options)  # a warm browser, as in a running server
        started = time.perf_counter()
        gif = render_gif(job)
        check_gif(gif, job)
        gif_s = time.perf_counter() - started
        started = time.perf_counter()
        pngs = render_frames(job)
        render_s = time.perf_counter() - started
        images = decode_frames(pngs)
        started = time.perf_counter()
        mp4 = encode_video(images, job.fps, "mp4")
        check_mp4(mp4, job)
        mp4_s = time.perf_counter() - started
    finally:
        exporter.close()
    try:
        kaleido_s = _kaleido_batch_s(job)
    except Exception as exc:  # noqa: BLE001 - one failed measurement is reported, the rest run
        print(f"  kaleido batch measurement failed: {str(exc).splitlines()[0]}", flush=True)
        kaleido_s = float("nan")
    return {
        "animation_frames": float(frames),
        "animation_gif_total_s": gif_s,
        "animation_render_s_per_frame": render_s / frames,
        "animation_mp4_encode_check_s": mp4_s,
        "animation_kaleido_batch_s_per_frame": kaleido_s / frames,
        "animation_gif_mb": len(gif) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.animation", description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for name, value in run(args.frames, args.quick).items():
        print(f"{name:40s} {value:.3f}")


if __name__ == "__main__":
    main()
