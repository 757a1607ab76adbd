"""The English catalogue: every string the page, exported images and the CLI's human output show.

Keys are dotted by where the string is used; `{name}` placeholders are filled
by `Text(...)`. Wording rule: statuses and claims say who declared or said
what, never what is so.
"""

from dashboard.text.en_control_export import CATALOGUE as _CONTROL_EXPORT

CATALOGUE: dict[str, str] = {
    # -- how dates and numbers are written: CLDR patterns for Babel (translated per language) ---------
    "format.day": "d MMM y",
    "format.month": "LLL y",
    "format.percent": "#,##0%",
    # -- statuses (dashboard.core.status) -------------------------------------------------------
    "status.no_annexation_declared": "No annexation declared",
    "status.uncertain": "Uncertain: Russia's annexation declaration cannot be placed before or after this date",
    "status.annexation_declared": "Annexation declared by Russia (rejected by Ukraine and most states)",
    "status.no_annexation_declared.description": (
        "No record loaded says Russia had declared this region annexed by this date."
    ),
    "status.uncertain.description": (
        "Russia declared this region annexed at a time the sources give only as a year or month that "
        "includes this date (or inside the period asked about), so whether it had happened yet is not known."
    ),
    "status.annexation_declared.description": (
        "Russia has declared this region annexed; Ukraine and most states reject the annexation. "
        "This says nothing about who controls it."
    ),
    # -- parties and kinds (dashboard.core.claims) -----------------------------------------------
    "party.russia": "Russia",
    "party.ukraine": "Ukraine",
    "party.west": "West",
    "party.un": "UN",
    "party.media": "Media",
    "party.russia.description": "The Russian state: Kremlin, president, government, armed forces and "
    "Russian-installed authorities.",
    "party.ukraine.description": 'The Ukrainian state: president, government, armed forces ("Kyiv").',
    "party.west.description": "Western governments and alliances as a group (US, EU, NATO, G7 members).",
    "party.un.description": "United Nations bodies (General Assembly, Security Council, agencies).",
    "party.media.description": "News organisations speaking in their own voice (e.g. Reuters' own assessment).",
    "kind.statement": "Statement",
    "kind.event": "Event",
    "kind.assessment": "Assessment",
    "count.statement.one": "{count} statement",
    "count.statement.other": "{count} statements",
    "count.event.one": "{count} event",
    "count.event.other": "{count} events",
    "count.assessment.one": "{count} assessment",
    "count.assessment.other": "{count} assessments",
    "count.record.one": "{count} record",
    "count.record.other": "{count} records",
    # -- the page shell ---------------------------------------------------------------------------
    "app.title": "Contested Regions Dashboard",
    "app.subtitle": "Who claims what about Crimea (with Sevastopol), Donetsk, Luhansk, Kherson and "
    "Zaporizhzhia, and when. The map's base is Ukraine's internationally recognised "
    "borders; statuses are derived from dated, sourced records and report claims, "
    "not facts on the ground.",
    "footer.boundaries": "Boundaries: Natural Earth (public domain). "
    "Base: Ukraine's internationally recognised borders.",
    "footer.claims": "Claims: {publishers} (quoted with attribution).",
    "footer.no_claims": "none loaded",
    # -- filters panel ----------------------------------------------------------------------------
    "filters.dates": "Dates",
    "filters.regions": "Regions",
    "filters.regions.placeholder": "All regions (click the map to pick)",
    "filters.parties": "Parties",
    "filters.parties.hint": "None ticked: all parties.",
    "filters.article_only": "Article records only",
    "filters.article_only.hint": "Hides the records added from the public record (not from an article); "
    "the map's status then follows the articles alone.",
    "filters.readout": "{start} – {end}. The map shows each region's status on {end}.",
    "filters.data_ends": "The loaded records end on {end}: later days show the last known state.",
    "filters.region_option": "{name} ({code})",
    # -- URL notices (dashboard.core.filters.Notice keys) -----------------------------------------
    "notice.bad_date": "Ignored {key}={value!r}: expected a date like 2023-02-28.",
    "notice.outside": "{key}={value} is outside the timeline ({first} – {last}); using {used}.",
    "notice.too_many": "Ignored {key}: more than {limit} values.",
    "notice.unknown_values": "Ignored unknown {key}: {values}.",
    "notice.too_long_query": "Ignored the URL's query: it is too long.",
    "notice.unknown_key": "Ignored unknown URL parameter {key!r}; known: {known}.",
    "notice.repeated_key": "Ignored repeated URL parameter {key!r}.",
    "notice.too_long_value": "Ignored {key}: value longer than {limit} characters.",
    "notice.swapped": "from ({start}) was after to ({end}); the two were swapped.",
    "notice.unknown_statement": "Ignored statement={value!r}: no loaded record has that id.",
    "notice.more": "… and {count} more values in the URL were ignored or changed.",
    # -- filter state in words (titles, counts) ----------------------------------------------------
    "state.all_regions": "All contested regions",
    "state.describe": "{where} · {start} – {end}{who}",
    "state.parties": " · parties: {parties}",
    "state.article_only": " · article records only",
    # -- map panel --------------------------------------------------------------------------------
    "map.trace.neighbours": "Neighbouring countries",
    "map.trace.others": "Other regions of Ukraine",
    "map.trace.contested": "Contested regions",
    "map.trace.control": "Area held by Russian forces",
    "map.trace.grey": "Grey zone (status unknown)",
    "map.control.toggle": "Show the area held by Russian forces",
    "map.control.legend": "Area held by Russian forces per {source}, snapshot of {day}",
    "map.control.legend_grey": "Grey zone (status unknown) per {source}, snapshot of {day}",
    "map.control.none": "No {source} snapshot on or before {day}: no area held is drawn",
    "map.control.not_loaded": "No control data loaded",
    "map.control.source": "DeepStateMap",
    "export.control_note": "Area held: DeepStateMap via cyterat/deepstate-map-data (GPL-3.0), snapshot of {day}. ",
    "map.hover.status": "Status on {day}: {status}",
    "map.hover.count": "{records} in range",
    "map.hover.count_detail": "{records} in range ({detail})",
    "map.legend.selected": "Picked in the region filter",
    "map.legend.highlighted": "Regions of the record shown with “Show regions on map”",
    "map.clear_selection": "Clear the record's outline",
    # -- statements panel -------------------------------------------------------------------------
    "statements.heading": "Statements",
    "statements.count": "{shown} of {total} records · {state}",
    "statements.empty": "No statements match these filters. Widen the date range, clear the region "
    "filter or tick more parties.",
    "statements.truncated": "Showing the {limit} newest of {count} matching records. Narrow the dates, "
    "regions or parties to see the others.",
    "statements.reported_event": "Reported event",
    "statements.enrichment": "Added from the public record, not from an article",
    "statements.regions": "Regions: {regions}",
    "statements.source": "Source: ",
    "statements.source_link": "link",
    "statements.date_unknown": "date unknown",
    "statements.show_on_map": "Show regions on map",
    "statements.show_on_map.label": "Show regions on map: {record}",
    # Search, show more, permalinks, citations
    "statements.search": "Search statements",
    "statements.search.placeholder": "Speaker, quote or summary",
    "statements.search.hint": "Every word must match; case and accents are ignored.",
    "statements.show_more": "Show {step} more ({hidden} hidden)",
    "statements.record": "{who}, {date}",
    "statements.permalink": "Link to this record",
    "statements.permalink.label": "Link to this record: {record}",
    "statements.copy_citation": "Copy citation",
    "statements.copy_citation.label": "Copy citation: {record}",
    "statements.copied": "Copied",
    "statements.copy_failed": (
        "Could not copy: the browser refused the clipboard. The citation is selected below: press Ctrl+C (⌘C)."
    ),
    # -- citations ("Copy citation"; dashboard.text.Text.citation) --------------------------------
    "citation.source": "{publisher}, “{title}”, {published}",
    "citation.source_url": "{publisher}, “{title}”, {published}, {url}",
    "citation.quoted": "{speaker}, quoted in {source}: “{quote}”",
    "citation.quote": "{source}: “{quote}”",
    "citation.summary": "{source}: {summary}",
    # -- ledger: declared beside held (dashboard.core.ledger, web/panels/ledger.py, the hover card) --
    "ledger.heading": "Declared and held",
    "ledger.intro": "For each contested region on the map's date: what Russia declared, from the loaded "
    "records, beside the share of it held by Russian forces on the ground. The two are kept "
    "apart: a declaration says nothing about who holds the ground.",
    "ledger.caption": "On {day}, the map's date. Held: {source} ({licence}). Declared: the loaded claims records.",
    "ledger.caption.no_control": "On {day}, the map's date. Held: control data not loaded. "
    "Declared: the loaded claims records.",
    "ledger.col.region": "Region",
    "ledger.col.declared": "Declared (by Russia)",
    "ledger.col.held": "Held by Russian forces",
    "ledger.col.snapshot": "Snapshot",
    "ledger.declared.annexation_declared": "Annexation declared by Russia {when}",
    "ledger.declared.uncertain": "Annexation declared by Russia {when}: whether before or after {day} is not known",
    "ledger.declared.no_annexation_declared": "No annexation declared",
    "ledger.declared.rejected": "; rejected by Ukraine and most states",
    "ledger.records.one": "Deciding record: ",
    "ledger.records.other": "Deciding records: ",
    "ledger.records.enrichment": "{date} (added from the public record)",
    "ledger.held.share": "{share} ({area})",
    "ledger.held.grey": "grey zone {share}",
    "ledger.held.coast_rule": "counted fully held: coastline rule (measured {raw})",
    "ledger.held.none": "No {source} snapshot on or before {day}",
    "ledger.held.not_loaded": "Control data not loaded",
    "ledger.snapshot.earlier": "the last on or before {day}",
    "ledger.snapshot.none": "none",
    "ledger.hover.held": "Held by Russian forces: {held} ({source}, {snapshot}{note})",
    "ledger.hover.grey": "{held}, grey zone {grey}",
    "ledger.hover.coast_rule": "; coastline rule",
    "ledger.hover.none": "Held by Russian forces: no {source} snapshot on or before {day}",
    "unit.km2": "{value} km²",
    # -- timeline panel -----------------------------------------------------------------
    "timeline.heading": "Timeline",
    "timeline.hint": "Drag across the chart to choose a date range; click a record to select it. "
    "A dot is a record dated to a day, a bar one known only to a month, a year or a window; "
    "a grey disc counts many records (click it to see them one by one).",
    "timeline.held_axis": "Held by Russian forces",
    "timeline.held_none": "No control data loaded",
    "timeline.held_hover": "{region}: {share} held ({source}, {day})",
    "timeline.rule": "Russia declared annexation: {regions}",
    "timeline.rule_window": "Russia declared annexation: {regions} (between {start} and {end})",
    "timeline.record_hover": "{speaker} · {date}",
    "timeline.bin_hover": "{count}, {start} – {end}",
    "timeline.selected": "Selected record",
    "timeline.bins": "Records counted",
    # -- exact dates and event steps --------------------------------------------------------
    "filters.date_from": "From",
    "filters.date_to": "To",
    "filters.date_input.hint": "YYYY, YYYY-MM or YYYY-MM-DD",
    "filters.date_input.bad": (
        "{field}: “{value}” is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or a day such as 11 Nov 2022."
    ),
    "filters.prev_event": "◀ Previous event",
    "filters.next_event": "Next event ▶",
    "filters.prev_event.title": "Move the end of the range to the previous day an event is known to",
    "filters.next_event.title": "Move the end of the range to the next day an event is known to",
    "filters.no_event": "No {direction} event with an exact day.",
    "filters.no_event.prev": "earlier",
    "filters.no_event.next": "later",
    "filters.handle_from": "From {day}",
    "filters.handle_to": "To {day}",
    # The page's languages, keyboard, the map as a table, print.
    "lang.name": "English",
    "lang.switch": "Language",
    "notice.unknown_lang": "Ignored lang={value!r}: there is no page in that language; known: {known}.",
    "filters.keys": "Keys on a slider handle: ← → a day, Page Up / Page Down a month, "
    "Shift + Page Up / Page Down the next / previous event.",
    "map.region": "Map, export and table",
    "footer.label": "Sources",
    "filters.clear": "Clear the selection",
    # dcc.Dropdown's own words (dashboard/web/dropdowns.py); {num_selected} is filled in by the browser.
    "dropdown.select_all": "Select all",
    "dropdown.deselect_all": "Deselect all",
    "dropdown.selected_count": "{num_selected} selected",
    "dropdown.search": "Search",
    "dropdown.clear_search": "Clear the search",
    "dropdown.no_options": "Nothing matches",
    # plotly.js's own strings, looked up by their English text (dashboard/web/plotly_locale.py): keep each
    # English template exactly as plotly.js writes it.
    "plotly.zoom_in": "Zoom in",
    "plotly.zoom_out": "Zoom out",
    "plotly.reset": "Reset",
    "plotly.reset_view": "Reset view",
    "plotly.pan": "Pan",
    "plotly.box_select": "Box Select",
    "plotly.closest": "Show closest data on hover",
    "plotly.download_png": "Download plot as a PNG",
    "plotly.preparing_image": "Preparing image - this may take a few seconds",
    "plotly.image_done": "Image download succeeded",
    "plotly.image_failed": "Sorry, there was a problem downloading your image!",
    "plotly.legend_isolate": "Double-click on legend to isolate one trace",
    "plotly.zoom": "Zoom",
    "plotly.autoscale": "Autoscale",
    "plotly.reset_axes": "Reset axes",
    "map.table_link": "The map as a table: region, status, deciding records, share held",
    "export.format": "Image format",
    "export.size.label": "Image size",
    "export.title.label": "Image title",
    # -- export panel and images -------------------------------------------------------------------
    "export.label": "Export the map:",
    "export.scale": "Scale ",
    "export.title.placeholder": "Title (default: regions and date)",
    "export.button": "Download image",
    "export.failed": "Export failed: {error}.",
    "export.done": "Downloaded {name} ({width} × {height} px).",
    "export.size": "{width} × {height} px",
    "export.default_where": "Contested regions of Ukraine",
    "export.default_title": "{where}: status on {day}",
    "export.claims_from": "Status from records published by {publishers}. ",
    "export.no_declaration": "No loaded record declares an annexation by this date. ",
    "export.records_end": " Records end {end}.",
    "export.attribution": "{claims}Status shows what Russia has declared, not who controls the ground. "
    "Made with the Contested Regions Dashboard.",
    # -- CLI human output --------------------------------------------------------------------------
    "cli.column.code": "code",
    "cli.column.name": "name",
    "cli.column.name_en": "name_en",
    "cli.column.name_uk": "name_uk",
    "cli.column.name_ru": "name_ru",
    "cli.column.area_km2": "area_km2",
    "cli.column.contested": "contested",
    "cli.column.group": "group",
    "cli.column.date": "date",
    "cli.column.kind": "kind",
    "cli.column.id": "id",
    "cli.column.speaker": "speaker",
    "cli.column.regions": "regions",
    "cli.column.summary": "summary",
    "cli.column.source": "source",
    "cli.column.status": "status",
    "cli.column.label": "label",
    "cli.column.decided_by": "decided_by",
    "cli.column.occupied_km2": "occupied_km2",
    "cli.column.occupied_share": "occupied_share",
    "cli.column.grey_km2": "grey_km2",
    "cli.column.grey_share": "grey_share",
    "cli.column.snapshot_date": "snapshot_date",
    "cli.value.true": "true",
    "cli.value.false": "false",
    "cli.note.control_starts": "note: control data starts on {day}; earlier days have no figures",
    "cli.note.control_ends": "note: control data ends on {day}; later days show that snapshot",
    "cli.export.listed_twice": "{date} is listed twice; exporting it once",
    "cli.export.same_day": "{earlier} and {date} are the same day; exporting it once",
    "cli.export.progress": "Exporting",
    "cli.export.wrote.one": "wrote {count} image to {directory} in {seconds} s ({each} s per image)",
    "cli.export.wrote.other": "wrote {count} images to {directory} in {seconds} s ({each} s per image)",
    "cli.note.status_past": "note: the loaded records end on {end}; {shows}",
    "cli.note.shows_last": "{asked} shows the last known state",
    "cli.note.later_days": "later days of {asked} show the last known state",
    "cli.note.statements_past": "note: the loaded records end on {end}; nothing is known after it "
    "(asked up to {asked})",
    "cli.note.export_past": "note: the loaded records end on {end}; images for later dates show the last known state",
    # -- `contested-map draft`: the draft file's words and the CLI's summary ------------
    "draft.summary": "DRAFT: summary to be written by the reviewer.",
    "draft.reason.summary": "summary to be written",
    "draft.reason.speaker_pronoun": "speaker guessed from a pronoun ('{words}' taken as {name})",
    "draft.reason.speaker_title": "speaker guessed from a title ('{words}' taken as {name})",
    "draft.reason.speaker_continued": "speaker carried over from the quote before it in the paragraph ({name})",
    "draft.reason.speaker_carried": "no attribution in its sentence: speaker carried over from the last "
    "attributed quote ({name})",
    "draft.reason.speaker_unresolved": "speaker not found: '{words}' refers to nobody named before it",
    "draft.reason.speaker_unknown_name": "speaker '{name}' is not in the speaker gazetteer: check the name "
    "and add parties",
    "draft.reason.speaker_party_crossed": "check the speaker: '{words}' is taken as {name}, the person named "
    "last, not {other} ({party}), named before",
    "draft.reason.speaker_no_party": "speaker {name} has no party in the speaker gazetteer: add parties",
    "draft.reason.speaker_unnamed": "its sentence gives the words to someone ('{words}') the rules cannot "
    "name: fill in speaker and parties",
    "draft.reason.speaker_none": "no speaker found: fill in speaker and parties",
    "draft.reason.regions_nearby": "regions taken from nearby paragraphs, not from the quote's own",
    "draft.reason.regions_none": "no region found: fill in regions",
    "draft.reason.date_dateline": "date from the dateline: no date phrase in the attribution",
    "draft.reason.date_then": "date from the sentence before it ('{words}'), which this one refers back to",
    "draft.reason.quote_long": "quote longer than {limit} characters: shorten it",
    "draft.reason.quote_short": "short quoted phrase: check these are the speaker's words, not the writer's",
    "draft.reason.reported": "reported speech: no verbatim quote; evidence marks the sentence",
    "draft.note.reported": "Reported speech (no quote); evidence gives the sentence's offsets.",
    "draft.note.dateline": "Dated by the article's dateline: the text gives no date phrase for it.",
    "draft.header": "Draft claims from {article}, made by `contested-map draft`. NOT reviewed.\n"
    "\n"
    "Each record is a guess for a person to check against the article:\n"
    "- quote: verbatim words; evidence {{start, end}} are character offsets into the article\n"
    "  body (counted from the first character after the header's --- line, or from the\n"
    "  start of the file when it has none; end exclusive);\n"
    "- speaker, parties, regions, date and date_phrase: see review_reasons for what was\n"
    "  guessed;\n"
    "- summary: write one neutral sentence (who says what; never state a claim as fact).\n"
    "Then set `review: done` (review_reasons, evidence and confidence may stay) and load\n"
    "the file with --claims. A record still marked `review: needed` is refused.",
    "cli.draft.records.one": "{count} draft record",
    "cli.draft.records.other": "{count} draft records",
    "cli.draft.summary": "{records} from {article}: {speakers} need a speaker check, {regions} have no region, "
    "{dateline} dated by the dateline; review each and set review: done",
    "cli.draft.none": "no quotes or reported statements found in {article}: the draft is empty",
    "cli.draft.written": "draft written to {path}",
}

# The catalogue continues in en_control_export.py (one module per concern, each small); one dict here.
_SHARED_KEYS = CATALOGUE.keys() & _CONTROL_EXPORT.keys()
if _SHARED_KEYS:
    raise ValueError(f"catalogue keys given twice: {sorted(_SHARED_KEYS)}")
CATALOGUE.update(_CONTROL_EXPORT)
