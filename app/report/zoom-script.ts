/**
 * The timeline's zoom, as an inline script (no library): drag across the lanes to zoom to that
 * time range (a brush), Ctrl/⌘ + wheel to zoom around the pointer, click an attempt's label to
 * fit the view to that attempt, "whole run" (or a double click) to reset. Marks keep their shape
 * (moved, not stretched); bars, spans and density strips stretch; the axis gets new ticks. The
 * page reads fully without it: the SVG as rendered is the whole-run view.
 */
export const ZOOM_SCRIPT = `
(function () {
  var svg = document.querySelector('svg.lanes');
  var bar = document.getElementById('zoom-bar');
  if (!svg || !bar || !svg.getBBox) return;
  var NS = svg.namespaceURI;
  var X0 = +svg.dataset.x0, X1 = +svg.dataset.x1, END = +svg.dataset.end, K0 = (X1 - X0) / END;
  var H = svg.viewBox.baseVal.height;
  var items = [], loose = [];
  var wrappers = svg.querySelectorAll('a, g');
  for (var i = 0; i < wrappers.length; i++) {
    var w = wrappers[i];
    if (!w.firstElementChild || w.firstElementChild.tagName !== 'title') continue;
    var kids = w.children, parts = [], at = w.getAttribute('data-x');
    for (var j = 1; j < kids.length; j++) {
      var b = kids[j].getBBox();
      if (b.x + b.width < X0 - 1) continue; /* the label column */
      var cls = kids[j].getAttribute('class') || '';
      var stretch = kids[j].tagName === 'rect' || cls.indexOf('sp-') === 0;
      /* a mark moves by where it stands (data-x), not by its box's centre (a flag stands at its pole) */
      parts.push({ el: kids[j], stretch: stretch, cx: at === null ? b.x + b.width / 2 : +at, x: b.x, w: b.width, text: kids[j].tagName === 'text' });
    }
    if (parts.length === 0) continue;
    w.setAttribute('clip-path', 'url(#plot-clip)');
    items.push.apply(items, parts);
  }
  var texts = svg.querySelectorAll('text.lbl-s');
  for (var t = 0; t < texts.length; t++) if (!texts[t].closest('a') && texts[t].parentNode.firstElementChild.tagName !== 'title') {
    var tb = texts[t].getBBox();
    loose.push({ el: texts[t], cx: tb.x + tb.width / 2 });
  }
  var grid = svg.querySelectorAll('path.grid, text.lbl-tick');
  var axisLayer = document.createElementNS(NS, 'g');
  axisLayer.setAttribute('class', 'zoom-axis');
  svg.appendChild(axisLayer);
  var view = { a: 0, b: END };
  var STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5];
  function short(ms) {
    if (ms === 0) return '0';
    function r(n) { return String(Math.round(n * 1000) / 1000); }
    if (ms < 1e3) return r(ms) + 'ms';
    if (ms < 6e4) return r(ms / 1e3) + 's';
    if (ms < 36e5) { var m = Math.floor(ms / 6e4), s = (ms - m * 6e4) / 1e3; return s === 0 ? m + 'm' : m + 'm ' + r(s) + 's'; }
    var h = Math.floor(ms / 36e5), mm = Math.floor((ms - h * 36e5) / 6e4);
    return mm === 0 ? h + 'h' : h + 'h ' + mm + 'm';
  }
  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function apply(a, b) {
    var span = Math.max(b - a, 1);
    a = Math.max(0, Math.min(a, END - 1)); b = Math.min(END, a + span);
    view = { a: a, b: b };
    var k = (X1 - X0) / (b - a), s = k / K0, whole = a <= 0 && b >= END;
    svg.classList.toggle('zoomed', !whole);
    for (var i = 0; i < items.length; i++) {
      var it = items[i];
      if (whole) { it.el.removeAttribute('transform'); it.el.style.display = ''; continue; }
      if (it.stretch) { it.el.setAttribute('transform', 'matrix(' + s + ',0,0,1,' + (X0 * (1 - s) - a * k) + ',0)'); continue; }
      var dx = X0 + ((it.cx - X0) / K0 - a) * k - it.cx;
      it.el.setAttribute('transform', 'translate(' + dx + ',0)');
      /* a label is shown whole or not at all (the clip would cut it) */
      if (it.text) it.el.style.display = it.x + dx >= X0 - 8 && it.x + it.w + dx <= X1 + 8 ? '' : 'none';
    }
    for (var j = 0; j < loose.length; j++) {
      var l = loose[j], x = X0 + ((l.cx - X0) / K0 - a) * k;
      l.el.setAttribute('transform', whole ? '' : 'translate(' + (x - l.cx) + ',0)');
      l.el.style.display = whole || (x > X0 && x < X1) ? '' : 'none';
    }
    for (var g = 0; g < grid.length; g++) grid[g].style.display = whole ? '' : 'none';
    while (axisLayer.firstChild) axisLayer.removeChild(axisLayer.firstChild);
    if (!whole) {
      var step = STEPS.filter(function (st) { return (b - a) / st <= 12; })[0] || 864e5;
      for (var tt = Math.ceil(a / step) * step; tt <= b; tt += step) {
        var xx = X0 + (tt - a) * k;
        axisLayer.appendChild(el('path', { 'class': 'grid', d: 'M' + xx + ' 26V' + (H - 6) }));
        axisLayer.appendChild(el('text', { 'class': 'lbl-tick', x: xx, y: 20, 'text-anchor': xx > X1 - 24 ? 'end' : 'middle' }, short(tt)));
      }
    }
    status.textContent = whole ? 'whole run' : 'showing ' + short(Math.round(a)) + ' – ' + short(Math.round(b)) + ' of ' + short(END);
  }
  var status = bar.querySelector('.zoom-status');
  bar.hidden = false;
  bar.querySelector('.zoom-reset').addEventListener('click', function () { apply(0, END); });
  function timeAt(evt) {
    var p = svg.createSVGPoint(); p.x = evt.clientX; p.y = evt.clientY;
    var x = p.matrixTransform(svg.getScreenCTM().inverse()).x;
    return { x: x, t: view.a + ((x - X0) / (X1 - X0)) * (view.b - view.a) };
  }
  var lanes = svg.querySelectorAll('g.lane');
  for (var n = 0; n < lanes.length; n++) (function (lane) {
    var from = +lane.dataset.from, to = +lane.dataset.to;
    var fit = lane.querySelector('text.lbl-lane');
    if (fit) { fit.classList.add('fit'); fit.setAttribute('role', 'button'); }
    lane.addEventListener('click', function (evt) {
      if (timeAt(evt).x >= X0 - 4) return;
      evt.preventDefault();
      var pad = Math.max((to - from) * 0.04, 1);
      apply(from - pad, to + pad);
    });
  })(lanes[n]);
  var brush = null, box = el('rect', { 'class': 'zoom-brush', y: 0, height: H, width: 0 });
  svg.appendChild(box);
  svg.addEventListener('mousedown', function (evt) {
    var p = timeAt(evt);
    if (p.x < X0 || p.x > X1 || evt.button !== 0) return;
    brush = p; evt.preventDefault();
  });
  window.addEventListener('mousemove', function (evt) {
    if (!brush) return;
    var p = timeAt(evt), x = Math.max(X0, Math.min(X1, p.x));
    box.setAttribute('x', Math.min(brush.x, x)); box.setAttribute('width', Math.abs(x - brush.x));
  });
  window.addEventListener('mouseup', function (evt) {
    if (!brush) return;
    var p = timeAt(evt), start = brush; brush = null; box.setAttribute('width', 0);
    if (Math.abs(p.x - start.x) >= 4) apply(Math.min(start.t, p.t), Math.max(start.t, p.t));
  });
  svg.addEventListener('dblclick', function () { apply(0, END); });
  svg.addEventListener('wheel', function (evt) {
    if (!evt.ctrlKey && !evt.metaKey) return;
    var p = timeAt(evt);
    if (p.x < X0) return;
    evt.preventDefault();
    var f = evt.deltaY > 0 ? 1.25 : 0.8;
    apply(p.t - (p.t - view.a) * f, p.t + (view.b - p.t) * f);
  }, { passive: false });
  window.hbsimZoom = apply;
  apply(0, END);
})();
`;
