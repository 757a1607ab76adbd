/* Clientside callbacks of the Contested Regions Dashboard (served from /assets, no CDN).
   Everything they need comes from the server as data: the axis and the URL's parameter
   names (dashboard/web/panels/filters.py, url_format) and the map's colour steps
   (dashboard/render/map_figure.py, colour_steps). No palette or URL rule lives here. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  contested: {
    /* Filters -> address bar, in the form FilterState.to_query() writes:
       ?from=YYYY-MM-DD&to=YYYY-MM-DD[&regions=A,B][&parties=x,y][&enrichment=no][&change=yes][&q=text][&statement=id]
       [&place=id][&source=slug][&compare=yes],
       keys from the server. Lists and text are written only when not empty, encoded as
       Python's quote(safe="") does (encodeURIComponent plus !'()*), so both write one URL.
       The History API, not a Dash output, so the callback graph has no cycle.
       History: a deliberate change pushes an entry, so Back undoes it; restating the
       state the page just took from the URL (`loaded`: load, Back, Forward) replaces instead,
       and so does a date change that follows another within HISTORY_MERGE_MS (keyboard steps
       on the slider while it keeps the focus), so stepping through days does not flood the history. */
    filtersToUrl: function (dates, regions, parties, articleOnly, change, search, selected, place, source, compare,
                            axis, loaded, lang, playStopped) {
      // While Play runs (its timer is enabled) the address bar is left alone; it is written once
      // when Play stops (playStep sets the range again then).
      if (playStopped === false || !axis || !Array.isArray(dates) || dates.length !== 2) {
        return window.dash_clientside.no_update;
      }
      const clamp = (v) => Math.min(Math.max(Math.round(Number(v)) || 0, 0), axis.days);
      const [low, high] = [clamp(dates[0]), clamp(dates[1])].sort((a, b) => a - b);
      const start = Date.parse(axis.first_day + "T00:00:00Z");
      const day = (offset) => new Date(start + offset * 86400000).toISOString().slice(0, 10);
      const list = (values) => (Array.isArray(values) ? values.filter((v) => typeof v === "string") : []);
      const encode = (v) => encodeURIComponent(v).replace(/[!'()*]/g,
        (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
      const text = (v) => (typeof v === "string" ? v.trim().slice(0, axis.max_text) : "");
      // "Article records only" writes the server's value (enrichment=no); unticked, the key is left out.
      const hidden = axis.article_only && list(articleOnly).includes(axis.article_only.on)
        ? axis.article_only.value : "";
      // "Show change over the range" writes change=yes; unticked, the key is left out.
      const changed = axis.change && list(change).includes(axis.change.on) ? axis.change.value : "";
      // The page's language stays in the URL when the page was opened with a valid one (`loaded`,
      // the server's reading of that URL, says so); an ignored `lang=` is dropped like any bad value.
      const keepLang = typeof lang === "string" && /(^|[?&])lang=/.test(loaded || "");
      // "Find a place": the dropdown's value, a geonameid (digits only; anything else is left out).
      const placeId = (typeof place === "string" || typeof place === "number") && /^\d{1,11}$/.test(String(place))
        ? String(place) : "";
      // The control source picker's slug (source=) and "Compare sources" (compare=yes), as the server writes them.
      const compared = axis.compare && list(compare).includes(axis.compare.on) ? axis.compare.value : "";
      // By name: each key's value; the server's key list gives the order.
      const values = {from: day(low), to: day(high), regions: list(regions), parties: list(parties),
                      enrichment: hidden, change: changed, q: text(search), statement: text(selected),
                      place: placeId, source: text(source), compare: compared, lang: keepLang ? lang : ""};
      const pairs = [];
      axis.keys.forEach((key) => {
        const value = values[key];
        if (Array.isArray(value)) {
          if (value.length) { pairs.push(key + "=" + value.map(encode).join(axis.separator)); }
        } else if (value) {
          pairs.push(key + "=" + encode(value));
        }
      });
      const query = "?" + pairs.join("&");
      if (window.location.search === query) {
        return query;
      }
      const HISTORY_MERGE_MS = 10000;
      const now = Date.now();
      const previous = (window.history.state && window.history.state.contested) || null;
      const rest = (q) => q.replace(/(^|[?&])(from|to)=[^&]*/g, "");
      const restates = query === loaded;
      const datesOnly = rest(window.location.search) === rest(query);
      // Only a run of steps on the slider itself merges (its handle keeps the focus: arrow keys,
      // drags); the first date change after any other change pushes, and so do the date inputs,
      // the event buttons and the timeline's brush, which take the focus elsewhere.
      const slider = document.getElementById(axis.slider_id);
      const onSlider = Boolean(slider && document.activeElement && slider.contains(document.activeElement));
      const quickDateStep = !restates && datesOnly && onSlider && previous && previous.dates &&
        previous.query === window.location.search && now - previous.at < HISTORY_MERGE_MS;
      const entry = {contested: {query: query, at: now, dates: !restates && datesOnly}};
      if (restates || quickDateStep) {
        window.history.replaceState(entry, "", window.location.pathname + query);
      } else {
        window.history.pushState(entry, "", window.location.pathname + query);
      }
      return query;
    },

    /* Play: each tick moves the range's end to the next control snapshot (`steps.offsets`, axis
       offsets from the server) and stops on the last; a press while playing stops it. Stopping sets
       the range once more with the timer off, so filtersToUrl writes the URL once. A press when the
       end is already on or past the last snapshot starts again from the first one after the start. */
    playStep: function (_clicks, _ticks, dates, steps, speed, stopped) {
      const no = window.dash_clientside.no_update;
      const offsets = (steps && Array.isArray(steps.offsets)) ? steps.offsets : [];
      if (!Array.isArray(dates) || dates.length !== 2 || !offsets.length) { return [no, true, no, no]; }
      const [low, high] = [Number(dates[0]), Number(dates[1])];
      const pressed = (window.dash_clientside.callback_context.triggered || [])
        .some((t) => t.prop_id === "play.n_clicks");
      const interval = Number(speed) > 0 ? Number(speed) : 700;
      const last = offsets[offsets.length - 1];
      const after = (day) => offsets.find((o) => o > day);
      if (pressed && stopped === false) {
        return [[low, high], true, no, steps.play];
      }
      if (!pressed && stopped !== false) { return [no, no, no, no]; }
      let next = after(high);
      if (pressed && next === undefined) { next = after(low) !== undefined ? after(low) : offsets.find((o) => o >= low); }
      if (next === undefined) { return [[low, high], true, no, steps.play]; }
      const end = Math.max(next, low);
      if (end >= last) { return [[low, end], true, no, steps.play]; }
      return [[low, end], false, interval, steps.stop];
    },

    /* The language switch's links: each reloads the page in its language with every
       other parameter of the address bar kept. */
    langLinks: function (_written, ids) {
      return (ids || []).map((id) => {
        const params = new URLSearchParams(window.location.search);
        params.set("lang", id.lang);
        return "?" + params.toString().replace(/%2C/g, ",");
      });
    },

    /* The record picked (on the timeline or in the list) comes into view in the statements panel:
       the list scrolls, the page does not (the reader stays where they clicked). */
    /* The picked record is brought into view wherever it was picked (the timeline, the map's
       list, a permalink): the list scrolls to it and, when the list itself is off screen, so
       does the page. Nothing moves when the record is already in view. */
    revealSelected: function (selected) {
      if (typeof selected === "string") {
        let tries = 0;
        const reveal = () => {
          const item = Array.from(document.querySelectorAll("#statements [data-statement-id]"))
            .find((el) => el.getAttribute("data-statement-id") === selected);
          if (item) {
            const box = item.getBoundingClientRect();
            const list = document.getElementById("statements").getBoundingClientRect();
            const seen = box.top >= Math.max(0, list.top) && box.bottom <= Math.min(window.innerHeight, list.bottom);
            if (!seen) { item.scrollIntoView({block: "center", inline: "nearest"}); }
          } else if (tries++ < 60) {
            window.requestAnimationFrame(reveal);  // the list is still being drawn
          }
        };
        window.requestAnimationFrame(reveal);
      }
      return typeof selected === "string" ? selected : "";
    },

    /* Slider -> the date fields, in the same frame: the exact days in use (YYYY-MM-DD; the axis's
       first day and length ride on the slider's box as data-first-day / data-days). A field that
       already shows its day is left alone, so a change of the other end never clobbers what someone
       is typing in it. Done here rather than on the server so a field never shows an older day than
       the slider: leaving it (n_blur) enters what it shows. */
    datesToFields: function (dates, shownFrom, shownTo) {
      const box = document.querySelector("[data-slider-id][data-first-day]");
      const noUpdate = window.dash_clientside.no_update;
      if (!box || !Array.isArray(dates) || dates.length !== 2) { return [noUpdate, noUpdate, noUpdate]; }
      const first = Date.parse(box.getAttribute("data-first-day") + "T00:00:00Z");
      const last = Number(box.getAttribute("data-days"));
      const iso = (offset) => {
        const n = Number(offset);
        const clamped = Number.isFinite(n) ? Math.min(Math.max(Math.round(n), 0), last || 0) : 0;
        return new Date(first + clamped * 86400000).toISOString().slice(0, 10);
      };
      const [low, high] = [iso(dates[0]), iso(dates[1])].sort();
      return [shownFrom === low ? noUpdate : low, shownTo === high ? noUpdate : high, null];
    },

    /* The slider handles' dates in words for screen readers (aria-valuetext), as the server
       formatted them. */
    handleText: function (texts, sliderId) {
      if (!Array.isArray(texts)) { return window.dash_clientside.no_update; }
      // On load the words come with the layout, often before the slider's lazy chunk has drawn its
      // handles: wait for them, a frame at a time (at most about ten seconds).
      let tries = 0;
      const apply = () => {
        const slider = document.getElementById(sliderId);
        const handles = slider ? slider.querySelectorAll('[role="slider"]') : [];
        if (!handles.length) {
          if (tries++ < 600) { window.requestAnimationFrame(apply); }
          return;
        }
        handles.forEach((handle, i) => {
          if (typeof texts[i] === "string") { handle.setAttribute("aria-valuetext", texts[i]); }
          if (typeof texts[i + 2] === "string") { handle.setAttribute("aria-label", texts[i + 2]); }
        });
      };
      window.requestAnimationFrame(apply);
      return texts;
    },

    /* The statements list the page was laid out with, drawn once the map has drawn its regions (a
       frame later), so the map's first paint does not wait for the list's hundreds of components.
       No round trip: the list came with the layout. If the filters changed before the map drew, the
       list callback has drawn theirs already: the one laid out for the URL is then left out. */
    showAfterMap: function (children) {
      if (children === null || children === undefined) { return window.dash_clientside.no_update; }
      return window.contestedAfterMap().then(() => {
        const list = document.getElementById("statements");
        return list && list.childElementCount > 0 ? window.dash_clientside.no_update : children;
      });
    },

    /* The panels under the first screen (dashboard/web/after_map.py), put in place once the map has
       drawn. They are laid out for the URL; if the filters changed meanwhile, their callbacks could
       not run (the panels were not there), so the slider's range is set again, as it shows now:
       every panel that follows the filters is then brought up to date. */
    panelsAfterMap: function (children, laidOut) {
      const no = window.dash_clientside.no_update;
      if (children === null || children === undefined) { return [no, no]; }
      return window.contestedAfterMap().then(() => {
        if (!window.contestedFiltersMoved(laidOut)) { return [children, no]; }
        const handles = Array.from(document.querySelectorAll("#date-range [role=slider]"))
          .map((handle) => Number(handle.getAttribute("aria-valuenow")));
        const range = handles.length === 2 && handles.every(Number.isFinite) ? handles.sort((a, b) => a - b) : no;
        return [children, range];
      });
    },

    /* A permalink's record (?statement=ID), once the list shows it: scrolled into view.
       Returns null so it happens once, not on every later filter change. */
    scrollToStatement: function (_children, id) {
      if (typeof id !== "string" || !id) { return window.dash_clientside.no_update; }
      let tries = 0;
      const scroll = () => {
        const item = Array.from(document.querySelectorAll("#statements [data-statement-id]"))
          .find((e) => e.getAttribute("data-statement-id") === id);
        if (item) {
          item.scrollIntoView({block: "center"});
        } else if (tries++ < 120) {
          window.requestAnimationFrame(scroll);  // React has not drawn the new list yet
        }
      };
      scroll();
      return null;
    },

    /* Slider -> the contested trace's colours, as a Patch: the step that holds on the
       range's last day, exactly as the server computed it. */
    statusColours: function (dates, articleOnly, table) {
      const step = window.contestedStatusStep(table, articleOnly, dates);
      if (!step) { return window.dash_clientside.no_update; }
      // The fills painted on the drawn regions now, in this task: the Patch below reaches the graph only
      // once Dash has dispatched every other callback of the change and React has rendered it.
      window.contestedPaintStep(table, step);
      const assign = (key, value) => ({operation: "Assign", location: ["data", table.trace, key], params: {value}});
      return {
        __dash_patch_update: "__dash_patch_update",
        operations: [assign("z", step.z), assign("zmax", step.zmax), assign("colorscale", step.colorscale)],
      };
    },
  },
});

/* The status step that holds on the range's last day (`dates`: the slider's two offsets), from the map's
   step table (dashboard/render/map_figure.py, colour_steps): "Article records only" ticked takes the
   steps from the article records alone. */
window.contestedStatusStep = function (table, articleOnly, dates) {
  const ticked = Array.isArray(articleOnly) ? articleOnly.length > 0 : Boolean(articleOnly);
  const steps = table && ticked && table.article_steps ? table.article_steps : (table ? table.steps : null);
  if (!steps || !Array.isArray(dates) || dates.length !== 2 || !steps.length) { return null; }
  const day = Math.max(Number(dates[0]) || 0, Number(dates[1]) || 0);
  let step = steps[0];
  for (const candidate of steps) {
    if (candidate.from > day) { break; }
    step = candidate;
  }
  return step;
};

/* A step's fills painted on the map's drawn regions (each unit's fill is colorscale[z], as the server
   built the step): no Plotly redraw, so it shows in the next frame. Plotly draws the same colours when
   the figure's Patch arrives. */
window.contestedPaintStep = function (table, step) {
  const fills = {};
  (table.codes || []).forEach((code, i) => {
    const entry = step.colorscale[step.z[i]];
    if (entry) { fills[code] = entry[1]; }
  });
  document.querySelectorAll("#" + CSS.escape(table.graph || "map") + " path.choroplethlocation").forEach((path) => {
    const code = path.__data__ && path.__data__.loc;
    if (Object.prototype.hasOwnProperty.call(fills, code)) { path.style.fill = fills[code]; }
  });
};

/* The map recoloured the moment the slider is let go. Dash sets the slider's value on pointerup, then
   takes tens of milliseconds to dispatch the change's callbacks before the clientside recolouring runs;
   the handles already show the new days (aria-valuenow), and the step table rides on the map panel
   (data-status-steps), so the fills are painted here first. */
document.addEventListener("pointerup", function (event) {
  const box = event.target instanceof Element ? event.target.closest("[data-slider-id]") : null;
  const holder = box && document.querySelector("[data-status-steps]");
  if (!holder) { return; }
  const dates = Array.from(box.querySelectorAll('[role="slider"]')).map((h) => Number(h.getAttribute("aria-valuenow")));
  let table = null;
  try { table = JSON.parse(holder.getAttribute("data-status-steps")); } catch (error) { return; }
  const articleOnly = Boolean(document.querySelector("#article-only input:checked"));
  const step = window.contestedStatusStep(table, articleOnly, dates);
  if (step) { window.contestedPaintStep(table, step); }
}, true);

/* Dash's renderer fetches the page's layout (`_dash-layout`) without the page's query. The server lays
   the page out for the URL's state (filters, record, place, source, language: dashboard/web/app.py), so
   the first paint already shows it and no start-up callback has to change it. The layout is fetched
   from the URL the <head> preloads, which the server chose: the page's query, or none when the query
   asks for the default state (so a reload revalidates the one cached layout). Without that link, the
   page's own query goes with the request. */
(function () {
  if (typeof window.fetch !== "function") { return; }
  const link = document.querySelector('link[rel="preload"][href*="_dash-layout"]');
  const query = link ? (link.getAttribute("href").split("?")[1] || "") : window.location.search.replace(/^\?/, "");
  if (!query) { return; }
  const fetchFirst = window.fetch.bind(window);
  window.fetch = function (resource, init) {
    if (typeof resource === "string" && /(^|\/)_dash-layout$/.test(resource.split("?")[0])) {
      const joiner = resource.includes("?") ? "&" : "?";
      return fetchFirst(resource + joiner + query, init);
    }
    return fetchFirst(resource, init);
  };
})();

/* Keyboard steps on the date slider: the arrow keys move a handle by a day (the
   slider's own); Page Up / Page Down by a calendar month; Shift + Page Up / Page Down press
   "previous event" / "next event" (the end of the range to the neighbouring event's day). The axis
   comes from the slider's container (`data-first-day`, `data-days`), set by the server. */
document.addEventListener("keydown", function (event) {
  const handle = event.target;
  if (!(handle instanceof Element) || handle.getAttribute("role") !== "slider" ||
      (event.key !== "PageUp" && event.key !== "PageDown")) { return; }
  const box = handle.closest("[data-first-day]");
  if (!box || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
  event.preventDefault();
  event.stopPropagation();
  const up = event.key === "PageUp";
  if (event.shiftKey) {
    const button = document.getElementById(up ? "next-event" : "prev-event");
    if (button) { button.click(); }
    return;
  }
  const handles = Array.from(box.querySelectorAll('[role="slider"]'));
  const values = handles.map((h) => Number(h.getAttribute("aria-valuenow")) || 0);
  const index = handles.indexOf(handle);
  const days = Number(box.getAttribute("data-days"));
  const start = Date.parse(box.getAttribute("data-first-day") + "T00:00:00Z");
  const when = new Date(start + values[index] * 86400000);
  const dayOfMonth = when.getUTCDate();
  when.setUTCDate(1);
  when.setUTCMonth(when.getUTCMonth() + (up ? 1 : -1));
  const lastDay = new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth() + 1, 0)).getUTCDate();
  when.setUTCDate(Math.min(dayOfMonth, lastDay));
  let offset = Math.round((when.getTime() - start) / 86400000);
  const low = index === 0 ? 0 : values[0];
  const high = index === 0 ? values[values.length - 1] : days;
  offset = Math.min(Math.max(offset, low), high);
  values[index] = offset;
  window.dash_clientside.set_props(box.getAttribute("data-slider-id"), {value: values});
}, true);

/* Repairs to Dash 4's own markup that axe-core flags as serious, applied to every
   such element as it appears (React re-creates them):
   - dcc.Checklist renders role="listbox" around <label role="option"> holding a real checkbox: a
     checkbox inside an option is nested interactive, and the listbox has no name. The roles are
     removed, so each checkbox is read as a checkbox named by its label.
   - dcc.Dropdown takes the keyboard focus on an <input aria-hidden="true">, so a screen reader hears
     nothing there. It is unhidden and named by the field's <label for> and the dropdown's value.
   - dcc.Dropdown's open list, and its "clear" button's English name (see below). */
(function () {
  function repair(root) {
    root.querySelectorAll('.dash-checklist[role="listbox"]').forEach((list) => list.removeAttribute("role"));
    root.querySelectorAll('.dash-checklist [role="option"], .dash-checklist [aria-selected]').forEach((option) => {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
    // An open dropdown's list: the popup and its listbox are named by the field's label, and the
    // radio or checkbox drawn inside each option (the option itself is what is picked) leaves the tab
    // order and the accessibility tree, so an option holds nothing interactive
    root.querySelectorAll(".dash-dropdown-content[id]").forEach((popup) => {
      const trigger = document.querySelector('[aria-controls="' + CSS.escape(popup.id) + '"]');
      const button = trigger && (trigger.matches("button.dash-dropdown[id]") ? trigger :
        trigger.parentElement && trigger.parentElement.querySelector("button.dash-dropdown[id]"));
      const label = button && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (label) {
        if (!label.id) { label.id = button.id + "-label"; }
        popup.setAttribute("aria-labelledby", label.id);
        popup.querySelectorAll('[role="listbox"]').forEach((list) => list.setAttribute("aria-labelledby", label.id));
      }
      // (inert: neither focusable nor in the tree; style.css lets clicks through it to the option).
      popup.querySelectorAll('[role="option"] .dash-options-list-option-wrapper:not([inert])').forEach((box) => {
        box.setAttribute("inert", "");
      });
    });
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach((input) => {
      const button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown[id]");
      if (!button) { return; }
      const label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (label && !label.id) { label.id = button.id + "-label"; }
      const names = [label ? label.id : "", button.getAttribute("aria-labelledby") || ""].join(" ").trim();
      input.removeAttribute("aria-hidden");
      if (names) { input.setAttribute("aria-labelledby", names); }
    });
  }
  function start() {
    repair(document);
    new MutationObserver(() => repair(document)).observe(document.body, {childList: true, subtree: true,
      attributes: true, attributeFilter: ["role", "aria-hidden", "aria-selected", "inert", "aria-label"]});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

/* "Copy citation" (statements panel): the button carries the citation (data-citation) and
   the panel the words for the outcome (data-copied, data-copy-failed), all rendered by the
   server from the text catalogue. The copy happens here, with no round trip. The outcome is
   shown where the eye is: the button itself reads "Copied" for a few seconds (and is marked
   with a tick), and a status line after it says it to screen readers. Without the async
   clipboard (a page served over plain http to another machine), a hidden text area and
   execCommand copy instead; when both fail, the citation is shown selected, to copy by hand.
   One listener for every record, present and future. */
const COPIED_SECONDS = 3;
function copyByTextArea(textValue) {
  const area = document.createElement("textarea");
  area.value = textValue;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch (error) { done = false; }
  area.remove();
  return done;
}
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.copy-citation") : null;
  if (!button) { return; }
  const words = button.closest("[data-copied]");
  const citation = button.dataset.citation || "";
  let status = button.nextElementSibling;
  if (!status || !status.classList.contains("copy-status")) {
    status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.after(status);
  }
  const say = (key) => {
    const message = (words && words.dataset[key]) || "";
    status.textContent = "";
    // A frame later, so the new live region is in place before it has something to say.
    window.requestAnimationFrame(() => { status.textContent = message; });
    if (key === "copied") {
      if (!button.dataset.label) { button.dataset.label = button.textContent; }
      button.textContent = "\u2713 " + message;
      button.classList.add("copied");
      window.clearTimeout(Number(button.dataset.timer || 0));
      button.dataset.timer = String(window.setTimeout(() => {
        button.textContent = button.dataset.label;
        button.classList.remove("copied");
        status.textContent = "";
      }, COPIED_SECONDS * 1000));
    } else {
      // Nothing reached the clipboard: show the citation, selected, to copy by hand.
      let manual = status.nextElementSibling;
      if (!manual || !manual.classList.contains("copy-manual")) {
        manual = document.createElement("input");
        manual.className = "copy-manual";
        manual.setAttribute("readonly", "");
        manual.setAttribute("aria-label", message);
        status.after(manual);
      }
      manual.value = citation;
      manual.focus();
      manual.select();
    }
  };
  const copy = navigator.clipboard && navigator.clipboard.writeText
    ? navigator.clipboard.writeText(citation)
    : Promise.reject(new Error("no clipboard"));
  copy.then(() => say("copied"),
            () => say(copyByTextArea(citation) ? "copied" : "copyFailed"));
});

/* Resolves in the frame after the map has drawn its first region (at most ten seconds on). */
window.contestedAfterMap = function () {
  const drawn = () => document.querySelector("#map path.choroplethlocation");
  return new Promise((resolve) => {
    const done = () => window.requestAnimationFrame(() => resolve());
    if (drawn()) { done(); return; }
    const observer = new MutationObserver(() => {
      if (drawn()) { observer.disconnect(); window.clearTimeout(timer); done(); }
    });
    const timer = window.setTimeout(() => { observer.disconnect(); done(); }, 10000);
    observer.observe(document.body, {childList: true, subtree: true});
  });
};

/* Whether the filters now show another state than the one the page was laid out for: the address
   bar (filtersToUrl writes it as the server's url-state store holds it) against that store. */
window.contestedFiltersMoved = function (laidOut) {
  return typeof laidOut === "string" && window.location.search !== laidOut;
};
