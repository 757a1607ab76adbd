"""Every export format, registered once: its name, file extensions, media type, whether it is
animated, how it renders an ExportJob to bytes and how those bytes are checked before anyone
writes or sends them. The CLI's `--format` choices, `-o` name handling and the page's format
dropdown all come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from dashboard.core.errors import DashboardError
from dashboard.render import animation, embed, embed_check, video
from dashboard.render.export_job import ExportJob
from dashboard.render.export_options import file_stem
from dashboard.render.exporter import render_image
from dashboard.render.image_check import check_image


@dataclass(frozen=True)
class ExportFormat:
    name: str
    #: File extensions without the dot, the usual one first.
    extensions: tuple[str, ...]
    media_type: str
    #: Frames over time (GIF, MP4, WebM): needs a range and a step.
    animated: bool
    #: One step per day/week/month of the range (animations and the HTML map's slider).
    stepped: bool
    render: Callable[[ExportJob], bytes]
    check: Callable[[bytes, ExportJob], None]
    #: Drawn by rendering a still image at the job's options (png/svg/pdf); its check (check_image)
    #: is the one the Exporter runs on every render, so export() does not run it twice.
    still: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def export(self, job: ExportJob) -> bytes:
        """The file's bytes, rendered and checked."""
        if self.stepped:
            job.check_frame_count()
        content = self.render(job)
        if not self.still:
            self.check(content, job)
        return content


def _still(job: ExportJob) -> bytes:
    # The Exporter checks every render with check_image before it returns it.
    return render_image(job.require_exporter(), job.data, job.state, job.options, job.text, job.control)


def _checked_by_renderer(content: bytes, job: ExportJob) -> None:
    check_image(content, job.options)


_REGISTRY: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    if fmt.name in _REGISTRY:
        raise ValueError(f"export format {fmt.name!r} is registered twice")
    taken = {ext for other in _REGISTRY.values() for ext in other.extensions}
    if taken & set(fmt.extensions):
        raise ValueError(f"export format {fmt.name!r} reuses an extension: {sorted(taken & set(fmt.extensions))}")
    _REGISTRY[fmt.name] = fmt
    return fmt


register(ExportFormat("png", ("png",), "image/png", False, False, _still, _checked_by_renderer, still=True))
register(ExportFormat("svg", ("svg",), "image/svg+xml", False, False, _still, _checked_by_renderer, still=True))
register(ExportFormat("pdf", ("pdf",), "application/pdf", False, False, _still, _checked_by_renderer, still=True))
register(ExportFormat("gif", ("gif",), "image/gif", True, True, animation.render_gif, animation.check_gif))
register(ExportFormat("mp4", ("mp4", "m4v"), "video/mp4", True, True, video.render_mp4, video.check_mp4))
register(ExportFormat("webm", ("webm",), "video/webm", True, True, video.render_webm, video.check_webm))
register(ExportFormat("html", ("html", "htm"), "text/html", False, True, embed.render_html, embed_check.check_html))

#: Format names in the order they are offered.
FORMAT_NAMES: tuple[str, ...] = tuple(_REGISTRY)
ANIMATED: tuple[str, ...] = tuple(name for name, fmt in _REGISTRY.items() if fmt.animated)


def export_format(name: str) -> ExportFormat:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise DashboardError(f"unknown export format {name!r}; expected one of: {', '.join(FORMAT_NAMES)}") from None


def all_formats() -> tuple[ExportFormat, ...]:
    return tuple(_REGISTRY.values())


def format_for_path(path: str | PurePath) -> ExportFormat | None:
    """The format a file name's extension names (case ignored), or None."""
    suffix = PurePath(path).suffix.lower().lstrip(".")
    return next((fmt for fmt in _REGISTRY.values() if suffix in fmt.extensions), None)


def export_file_name(job: ExportJob, fmt: ExportFormat, label: str | None = None) -> str:
    """What the file shows, as a safe name: contested-regions[_regions]_END[_label][_from-START].ext.
    A stepped export names its range's start too."""
    extra = f"from-{job.state.date_from.isoformat()}" if fmt.stepped else None
    label = "-".join(part for part in (label, extra) if part) or None
    return f"{file_stem(job.state, label, 200 - len(fmt.extension) - 1)}.{fmt.extension}"
