/* Clientside callbacks of the Contested Regions Dashboard (served from /assets, no CDN). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  contested: {
    /* Filters -> address bar, in the same form as FilterState.to_query() in dashboard/state.py:
       ?from=YYYY-MM-DD&to=YYYY-MM-DD[&regions=A,B][&parties=x,y].
       replaceState, not a Dash output, so the callback graph has no cycle (see callbacks.py). */
    filtersToUrl: function (dates, regions, parties, axis) {
      if (!axis || !Array.isArray(dates) || dates.length !== 2) {
        return window.dash_clientside.no_update;
      }
      const clamp = (v) => Math.min(Math.max(Math.round(Number(v)) || 0, 0), axis.days);
      const [low, high] = [clamp(dates[0]), clamp(dates[1])].sort((a, b) => a - b);
      const start = Date.parse(axis.first_day + "T00:00:00Z");
      const day = (offset) => new Date(start + offset * 86400000).toISOString().slice(0, 10);
      const list = (values) => (Array.isArray(values) ? values.filter((v) => typeof v === "string") : []);
      let query = "?from=" + day(low) + "&to=" + day(high);
      if (list(regions).length) { query += "&regions=" + list(regions).map(encodeURIComponent).join(","); }
      if (list(parties).length) { query += "&parties=" + list(parties).map(encodeURIComponent).join(","); }
      if (window.location.search !== query) {
        window.history.replaceState(window.history.state, "", window.location.pathname + query);
      }
      return query;
    },

    /* Slider -> the contested trace's colours, as a Patch, from the status table that
       views.status_steps() computes once on the server. Same z/colorscale rule as
       figures.colour_codes(): each distinct colour once, in order of first use. */
    statusColours: function (dates, table) {
      if (!table || !Array.isArray(dates) || dates.length !== 2) {
        return window.dash_clientside.no_update;
      }
      const day = Math.max(Number(dates[0]) || 0, Number(dates[1]) || 0);
      let statuses = table.steps[0][1];
      for (const [start, values] of table.steps) {
        if (start > day) { break; }
        statuses = values;
      }
      const colours = statuses.map((status) => table.fills[status]);
      const palette = colours.filter((c, i) => colours.indexOf(c) === i);
      const z = colours.map((c) => palette.indexOf(c));
      const n = palette.length - 1;
      const colorscale = n === 0 ? [[0, palette[0]], [1, palette[0]]] : palette.map((c, i) => [i / n, c]);
      const assign = (key, value) => ({operation: "Assign", location: ["data", table.trace, key], params: {value}});
      return {
        __dash_patch_update: "__dash_patch_update",
        operations: [assign("z", z), assign("zmax", Math.max(n, 1)), assign("colorscale", colorscale)],
      };
    },
  },
});
