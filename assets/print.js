/* Paper holds the whole map. plotly.js draws the map's SVG at the pixel size of its box on screen,
   and a wide window's map is wider than a printed page. `--print-zoom` on each `.map-graph` says how
   much to scale that drawing down to the page's width; style.css applies it under @media print only.
   It is kept up to date while the page is on screen (the drawing's size changes with the window),
   because printing to PDF from a script fires no `beforeprint`. */
(function () {
  'use strict';
  // CSS pixels across A4 and Letter inside the print stylesheet's 12 mm margins (A4: 186 mm = 703 px).
  var PAGE_WIDTH = 700;
  var watched = typeof WeakSet === 'function' ? new WeakSet() : null;
  var resizes = typeof ResizeObserver === 'function' ? new ResizeObserver(fitMapsToPaper) : null;
  var pending = false;

  function fitMapsToPaper() {
    document.querySelectorAll('.map-graph').forEach(function (graph) {
      var drawn = graph.querySelector('.svg-container');
      var width = drawn ? parseFloat(drawn.style.width) : NaN;  // the drawing's own size, not its zoomed box
      var height = drawn ? parseFloat(drawn.style.height) : NaN;
      var zoom = width > PAGE_WIDTH ? PAGE_WIDTH / width : 1;
      // The box on paper is exactly the scaled drawing: a redraw for that box (plotly.js follows its
      // box's size) gives the same drawing again, so the two agree whether or not the map is redrawn.
      var box = height > 0 ? (height * zoom).toFixed(1) + 'px' : '';
      if (graph.style.getPropertyValue('--print-zoom') !== String(zoom)) {
        graph.style.setProperty('--print-zoom', String(zoom));
      }
      if (box && graph.style.getPropertyValue('--print-height') !== box) {
        graph.style.setProperty('--print-height', box);
      }
    });
  }

  // Dash renders the map after this script runs, and plotly.js may replace its drawing: watch for it.
  function watchDrawings() {
    pending = false;
    document.querySelectorAll('.map-graph .svg-container').forEach(function (drawn) {
      if (resizes && watched && !watched.has(drawn)) {
        watched.add(drawn);
        resizes.observe(drawn);
      }
    });
    fitMapsToPaper();
  }

  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(watchDrawings);
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener('beforeprint', fitMapsToPaper);
}());
