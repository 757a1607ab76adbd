/* Clientside callbacks of the Contested Regions Dashboard (served from /assets, no CDN).
   Everything they need comes from the server as data: the axis and the URL's parameter
   names (dashboard/web/panels/filters.py, url_format) and the map's colour steps
   (dashboard/render/map_figure.py, colour_steps). No palette or URL rule lives here. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  contested: {
    /* Filters -> address bar, in the form FilterState.to_query() writes:
       ?from=YYYY-MM-DD&to=YYYY-MM-DD[&regions=A,B][&parties=x,y][&q=text][&statement=id],
       keys from the server. Lists and text are written only when not empty, encoded as
       Python's quote(safe="") does (encodeURIComponent plus !'()*), so both write one URL.
       replaceState, not a Dash output, so the callback graph has no cycle. */
    filtersToUrl: function (dates, regions, parties, search, selected, axis) {
      if (!axis || !Array.isArray(dates) || dates.length !== 2) {
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
      const values = [day(low), day(high), list(regions), list(parties), text(search), text(selected)];
      const pairs = [];
      axis.keys.forEach((key, i) => {
        const value = values[i];
        if (Array.isArray(value)) {
          if (value.length) { pairs.push(key + "=" + value.map(encode).join(axis.separator)); }
        } else if (value) {
          pairs.push(key + "=" + encode(value));
        }
      });
      const query = "?" + pairs.join("&");
      if (window.location.search !== query) {
        window.history.replaceState(window.history.state, "", window.location.pathname + query);
      }
      return query;
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
    statusColours: function (dates, table) {
      if (!table || !Array.isArray(dates) || dates.length !== 2 || !table.steps.length) {
        return window.dash_clientside.no_update;
      }
      const day = Math.max(Number(dates[0]) || 0, Number(dates[1]) || 0);
      let step = table.steps[0];
      for (const candidate of table.steps) {
        if (candidate.from > day) { break; }
        step = candidate;
      }
      const assign = (key, value) => ({operation: "Assign", location: ["data", table.trace, key], params: {value}});
      return {
        __dash_patch_update: "__dash_patch_update",
        operations: [assign("z", step.z), assign("zmax", step.zmax), assign("colorscale", step.colorscale)],
      };
    },
  },
});

/* "Copy citation" (statements panel): the button carries the citation (data-citation) and
   the panel the words for the outcome (data-copied, data-copy-failed), all rendered by the
   server from the text catalogue. The copy happens here, with no round trip, and a status
   line after the button says whether it worked (made on first use: most records never
   need one). One listener for every record, present and future. */
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.copy-citation") : null;
  if (!button) { return; }
  const words = button.closest("[data-copied]");
  let status = button.nextElementSibling;
  if (!status || !status.classList.contains("copy-status")) {
    status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.after(status);
  }
  const say = (key) => {
    status.textContent = "";
    // A frame later, so the new live region is in place before it has something to say.
    window.requestAnimationFrame(() => { status.textContent = (words && words.dataset[key]) || ""; });
  };
  const copy = navigator.clipboard && navigator.clipboard.writeText
    ? navigator.clipboard.writeText(button.dataset.citation || "")
    : Promise.reject(new Error("no clipboard"));
  copy.then(() => say("copied"), () => say("copyFailed"));
});
