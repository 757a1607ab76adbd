/* Paper holds the whole map. plotly.js draws the map's SVG at the pixel size of its box on screen,
   and a wide window's map is wider than a printed page; on print (and under print media emulation)
   the drawing is scaled down to the page's width (`--print-zoom`, used by style.css @media print). */
(function () {
  'use strict';
  // CSS pixels across A4 and Letter inside the print stylesheet's 12 mm margins (A4: 186 mm = 703 px).
  var PAGE_WIDTH = 700;

  function fitMapsToPaper() {
    document.querySelectorAll('.map-graph').forEach(function (graph) {
      var drawn = graph.querySelector('.svg-container');
      var width = drawn ? parseFloat(drawn.style.width) : NaN;
      var zoom = width > PAGE_WIDTH ? PAGE_WIDTH / width : 1;
      graph.style.setProperty('--print-zoom', String(zoom));
    });
  }

  window.addEventListener('beforeprint', fitMapsToPaper);
  if (window.matchMedia) {
    var print = window.matchMedia('print');
    var onChange = function (event) { if (event.matches) { fitMapsToPaper(); } };
    if (print.addEventListener) { print.addEventListener('change', onChange); } else { print.addListener(onChange); }
  }
}());
