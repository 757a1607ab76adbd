/* Clientside callbacks of the Contested Regions Dashboard (served from /assets, no CDN).
   Everything they need comes from the server as data: the axis and the URL's parameter
   names (dashboard/web/panels/filters.py, url_format) and the map's colour steps
   (dashboard/render/map_figure.py, colour_steps). No palette or URL rule lives here. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  contested: {
    /* Filters -> address bar, in the form FilterState.to_query() writes:
       ?from=YYYY-MM-DD&to=YYYY-MM-DD[&regions=A,B][&parties=x,y][&enrichment=no], keys from the server.
       replaceState, not a Dash output, so the callback graph has no cycle. */
    filtersToUrl: function (dates, regions, parties, articleOnly, axis) {
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
      if (window.location.search !== query) {
        window.history.replaceState(window.history.state, "", window.location.pathname + query);
      }
      return query;
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
