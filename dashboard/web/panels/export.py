"""The export panel: download the map as filtered, with title, legend and attribution drawn in,
as a still image, an animation over the page's date range (one frame per step) or one offline
HTML map with a date slider; the formats come from the registry (render/formats.py)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from dashboard.core.errors import DashboardError
from dashboard.core.steps import STEPS
from dashboard.render.export_job import ExportJob
from dashboard.render.export_options import FITS, MAX_SCALE, MIN_SCALE, PRESETS, SIZE_PRESETS, ImageOptions
from dashboard.render.export_queue import ExportBusy
from dashboard.render.formats import FORMAT_NAMES, export_file_name, export_format
from dashboard.web.context import PageContext
from dashboard.web.control_source import data_for_state
from dashboard.web.controls import state_from_controls
from dashboard.web.dropdowns import dropdown_labels
from dashboard.web.ids import Ids

IDS = (
    Ids.EXPORT_FORMAT,
    Ids.EXPORT_SIZE,
    Ids.EXPORT_FIT,
    Ids.EXPORT_SCALE,
    Ids.EXPORT_TITLE,
    Ids.EXPORT_STEP,
    Ids.EXPORT_BUTTON,
    Ids.EXPORT_NOTICE,
    Ids.DOWNLOAD,
)


def _scale(value: Any) -> Any:
    """The scale field's text as a number; an empty field is scale 1. ImageOptions checks the range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1.0
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise DashboardError(f"image scale must be from {MIN_SCALE} to {MAX_SCALE}, got {value!r}") from None
    return value


def image_options(fmt: Any, size: Any, scale: Any, title: Any, fit: Any = None) -> ImageOptions:
    """Export options from the controls; raises DashboardError naming the bad value. A format that is
    not a still image (animation, HTML) renders its frames as PNG at this size. `fit` None (a page
    without the field): the regions when some are picked, else Ukraine."""
    if not isinstance(size, str) or size not in PRESETS:
        raise DashboardError(f"unknown image size {size!r}; expected one of: {', '.join(PRESETS)}")
    if fit is not None and fit not in FITS:
        raise DashboardError(f"unknown map view {fit!r}; expected one of: {', '.join(FITS)}")
    width, height = PRESETS[size]
    title = title.strip() if isinstance(title, str) and title.strip() else None
    name = fmt if isinstance(fmt, str) else repr(fmt)
    if name in FORMAT_NAMES and not export_format(name).still:
        name = "png"
    return ImageOptions(format=name, width=width, height=height, scale=_scale(scale), title=title, fit=fit)


def size_label(key: str, text) -> str:
    """A size's words: "1200 × 800 px", or a named one's "Story, portrait (1080 × 1920 px)"."""
    width, height = PRESETS[key]
    return text(f"export.preset.{key}" if key in SIZE_PRESETS else "export.size", width=width, height=height)


def layout(page: PageContext) -> html.Div:
    text = page.text
    return html.Div(
        className="export",
        children=[
            html.Span(text("export.label"), className="export-label"),
            html.Label(text("export.format"), htmlFor=Ids.EXPORT_FORMAT, className="visually-hidden"),
            dcc.Dropdown(
                id=Ids.EXPORT_FORMAT,
                labels=dropdown_labels(page.text),
                options=[{"label": f.upper(), "value": f} for f in FORMAT_NAMES],
                value="png",
                clearable=False,
                searchable=False,
                className="export-format",
                maxHeight=400,
            ),  # all formats without a scrolling list (axe: scrollable-region-focusable)
            # Animations and the HTML map: one frame (slider step) per day, week or month of the page's range.
            html.Label(text("export.step.label"), htmlFor=Ids.EXPORT_STEP, className="visually-hidden"),
            dcc.Dropdown(
                id=Ids.EXPORT_STEP,
                labels=dropdown_labels(page.text),
                value="week",
                clearable=False,
                searchable=False,
                options=[{"label": text(f"export.step.{step}"), "value": step} for step in STEPS],
                className="export-step",
            ),
            html.Label(text("export.size.label"), htmlFor=Ids.EXPORT_SIZE, className="visually-hidden"),
            dcc.Dropdown(
                id=Ids.EXPORT_SIZE,
                labels=dropdown_labels(page.text),
                value="1200x800",
                clearable=False,
                searchable=False,
                options=[{"label": size_label(key, text), "value": key} for key in PRESETS],
                className="export-size",
            ),
            html.Label(text("export.fit.label"), htmlFor=Ids.EXPORT_FIT, className="visually-hidden"),
            # "regions" with none picked draws Ukraine, so it is the default either way.
            dcc.Dropdown(
                id=Ids.EXPORT_FIT,
                labels=dropdown_labels(page.text),
                value="regions",
                clearable=False,
                searchable=False,
                options=[{"label": text(f"export.fit.{fit}"), "value": fit} for fit in FITS],
                className="export-fit",
            ),
            # A text field, checked on the server: a number field with min/max sends None for
            # an out-of-range value, which used to export at scale 1 without a word.
            html.Label(
                [
                    text("export.scale"),
                    dcc.Input(
                        id=Ids.EXPORT_SCALE,
                        type="text",
                        inputMode="decimal",
                        value="1",
                        placeholder="1",
                        debounce=True,
                        className="export-scale",
                    ),
                ]
            ),
            html.Label(text("export.title.label"), htmlFor=Ids.EXPORT_TITLE, className="visually-hidden"),
            dcc.Input(
                id=Ids.EXPORT_TITLE,
                type="text",
                placeholder=text("export.title.placeholder"),
                maxLength=300,
                debounce=True,
                className="export-title",
            ),
            html.Button(text("export.button"), id=Ids.EXPORT_BUTTON, className="export-button", n_clicks=0),
            dcc.Loading(
                html.Div(id=Ids.EXPORT_NOTICE, className="export-notice", role="status"), type="dot", delay_show=200
            ),
            dcc.Download(id=Ids.DOWNLOAD),
        ],
    )


def register(app: Dash, page: PageContext) -> None:
    data = page.data

    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Output(Ids.EXPORT_NOTICE, "children"),
        Input(Ids.EXPORT_BUTTON, "n_clicks"),
        State(Ids.DATES, "value"),
        State(Ids.REGIONS, "value"),
        State(Ids.EXPORT_FORMAT, "value"),
        State(Ids.EXPORT_SIZE, "value"),
        State(Ids.EXPORT_SCALE, "value"),
        State(Ids.EXPORT_TITLE, "value"),
        State(Ids.EXPORT_STEP, "value"),
        State(Ids.CONTROL_TOGGLE, "value"),
        State(Ids.ARTICLE_ONLY, "value"),
        State(Ids.CHANGE_LAYER, "value"),
        State(Ids.CONTROL_SOURCE, "value"),
        State(Ids.EXPORT_FIT, "value"),
        State(Ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def export_image(
        clicks,
        dates,
        regions,
        fmt,
        size,
        scale,
        title,
        step,
        control,
        article_only,
        change=None,
        source=None,
        fit=None,
        lang=None,
    ):
        context = page.for_lang(lang)
        text = context.text
        if not clicks:
            return no_update, no_update
        state = state_from_controls(data, dates, regions, [], article_only, change=change, source=source)
        try:
            # A bounded queue: past one export rendering and a few waiting, refused at once and before
            # any work, so waiting exports never hold every worker thread the page's other requests need.
            with page.export_queue.admit():
                chosen = export_format(fmt if isinstance(fmt, str) else repr(fmt))
                options = image_options(fmt, size, scale, title, fit)
                job = ExportJob(
                    data_for_state(page, state),
                    state,
                    options,
                    text,
                    exporter=page.exporter,
                    control=isinstance(control, list) and "on" in control,
                    # No step sent (a client without the field): the field's default.
                    step="week" if step is None else step if isinstance(step, str) else repr(step),
                    assets=context.embed_assets,
                )
                # An animation renders frame by frame, each holding the one browser's lock only for
                # itself, so other exports wait at most one frame; past MAX_FRAMES it is refused first.
                content = chosen.export(job)
        except ExportBusy as exc:
            return no_update, text("export.busy", ahead=text.number(exc.ahead, 0))
        except DashboardError as exc:
            return no_update, text("export.failed", error=exc)
        name = export_file_name(job, chosen)
        width, height = f"{options.width * options.scale:.0f}", f"{options.height * options.scale:.0f}"
        done = (
            text("export.done_frames", name=name, frames=len(job.days), width=width, height=height)
            if chosen.stepped
            else text("export.done", name=name, width=width, height=height)
        )
        return dcc.send_bytes(content, name, type=chosen.media_type), done
