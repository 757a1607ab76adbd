/* Clientside callbacks of the Contested Regions Dashboard (served from /assets, no CDN).
   Everything they need comes from the server as data: the axis and the URL's parameter
   names (dashboard/web/panels/filters.py, url_format) and the map's colour steps
   (dashboard/render/map_figure.py, colour_steps). No palette or URL rule lives here. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  contested: {
    /* Filters -> address bar, in the form FilterState.to_query() writes:
       ?from=YYYY-MM-DD&to=YYYY-MM-DD[&regions=A,B][&parties=x,y][&enrichment=no], keys from the server.
       The History API, not a Dash output, so the callback graph has no cycle.
       History (issue 13): a deliberate change pushes an entry, so Back undoes it; restating the
       state the page just took from the URL (`loaded`: load, Back, Forward) replaces instead,
       and so does a date change that follows another within HISTORY_MERGE_MS (keyboard steps
       on the slider while it keeps the focus), so stepping through days does not flood the history. */
    filtersToUrl: function (dates, regions, parties, articleOnly, axis, loaded) {
      if (!axis || !Array.isArray(dates) || dates.length !== 2) {
        return window.dash_clientside.no_update;
      }
      const clamp = (v) => Math.min(Math.max(Math.round(Number(v)) || 0, 0), axis.days);
      const [low, high] = [clamp(dates[0]), clamp(dates[1])].sort((a, b) => a - b);
      const start = Date.parse(axis.first_day + "T00:00:00Z");
      const day = (offset) => new Date(start + offset * 86400000).toISOString().slice(0, 10);
      const list = (values) => (Array.isArray(values) ? values.filter((v) => typeof v === "string") : []);
      // "Article records only" writes the server's value (enrichment=no); unticked, the key is left out.
      const hidden = axis.article_only && list(articleOnly).includes(axis.article_only.on)
        ? axis.article_only.value : null;
      const values = [day(low), day(high), list(regions), list(parties), hidden];
      const pairs = [];
      axis.keys.forEach((key, i) => {
        const value = values[i];
        if (Array.isArray(value)) {
          if (value.length) { pairs.push(key + "=" + value.map(encodeURIComponent).join(axis.separator)); }
        } else if (value !== null && value !== undefined) {
          pairs.push(key + "=" + encodeURIComponent(value));
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

    /* The record picked (on the timeline or in the list) comes into view in the statements panel:
       the list scrolls, the page does not (the reader stays where they clicked). */
    scrollToStatement: function (selected) {
      if (typeof selected === "string") {
        window.requestAnimationFrame(() => {
          const item = Array.from(document.querySelectorAll("#statements [data-statement-id]"))
            .find((el) => el.getAttribute("data-statement-id") === selected);
          const list = document.getElementById("statements");
          if (item && list) {
            const top = item.getBoundingClientRect().top - list.getBoundingClientRect().top;
            if (top < 0 || top + item.offsetHeight > list.clientHeight) {
              list.scrollTop += top - 8;
            }
          }
        });
      }
      return typeof selected === "string" ? selected : "";
    },

    /* The slider handles' dates in words for screen readers (aria-valuetext), as the server
       formatted them (issue 13). */
    handleText: function (texts, sliderId) {
      if (!Array.isArray(texts)) { return window.dash_clientside.no_update; }
      const apply = () => {
        const slider = document.getElementById(sliderId);
        if (!slider) { return; }
        slider.querySelectorAll('[role="slider"]').forEach((handle, i) => {
          if (typeof texts[i] === "string") { handle.setAttribute("aria-valuetext", texts[i]); }
        });
      };
      window.requestAnimationFrame(apply);
      return texts;
    },

    /* Slider -> the contested trace's colours, as a Patch: the step that holds on the
       range's last day, exactly as the server computed it. */
    statusColours: function (dates, articleOnly, table) {
      // "Article records only" ticked: the steps from the article records alone (article_steps).
      const steps = table && Array.isArray(articleOnly) && articleOnly.length && table.article_steps
        ? table.article_steps : (table ? table.steps : null);
      if (!steps || !Array.isArray(dates) || dates.length !== 2 || !steps.length) {
        return window.dash_clientside.no_update;
      }
      const day = Math.max(Number(dates[0]) || 0, Number(dates[1]) || 0);
      let step = steps[0];
      for (const candidate of steps) {
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
