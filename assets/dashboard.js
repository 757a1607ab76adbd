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
  },
});
