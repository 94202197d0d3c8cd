// heapviz.js - draws the heap map of the data in #data: blocks on the
// canvas, axes and curves in SVG; hover, zoom and pan.
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) {
    errors.push(String(e.message));
    document.body.setAttribute('data-errors', String(errors.length));
    document.getElementById('errors').textContent = 'script error: ' + errors.join('\n');
  });

  var SVG = 'http://www.w3.org/2000/svg';
  var COLOR = { payload: '#4a86c5', tags: '#17324d', padding: '#f2a541', free: '#a8d99b', freeEdge: '#5d9c4f',
                heap: '#d9d9d9', outside: '#ffffff' };
  var D = JSON.parse(document.getElementById('data').textContent);
  var N = Math.max(D.done, 1);

  // --- the data, decoded ---------------------------------------------------
  var nA = D.a.length / 6, aS = new Float64Array(nA), aE = new Float64Array(nA),
      aO = new Float64Array(nA), aZ = new Float64Array(nA), aR = new Float64Array(nA),
      aI = new Float64Array(nA);
  (function () {
    var s = 0;
    for (var i = 0; i < nA; i++) {
      var k = 6 * i;
      s += D.a[k]; aS[i] = s; aE[i] = s + D.a[k + 1];
      aO[i] = 8 * D.a[k + 2]; aZ[i] = 8 * D.a[k + 3]; aR[i] = D.a[k + 4]; aI[i] = D.a[k + 5];
    }
  })();
  var nF = D.f.length / 4, fS = new Float64Array(nF), fE = new Float64Array(nF),
      fO = new Float64Array(nF), fZ = new Float64Array(nF);
  (function () {
    var s = 0;
    for (var i = 0; i < nF; i++) {
      var k = 4 * i;
      s += D.f[k]; fS[i] = s; fE[i] = s + D.f[k + 1]; fO[i] = 8 * D.f[k + 2]; fZ[i] = 8 * D.f[k + 3];
    }
  })();
  // the heap's size after each op
  var heap = new Float64Array(N), maxHeap = D.heapInit;
  (function () {
    var j = 0, size = D.h[1];
    for (var i = 0; i < N; i++) {
      while (j + 2 < D.h.length && D.h[j + 2] <= i) { j += 2; size = D.h[j + 1]; }
      heap[i] = size;
      if (size > maxHeap) maxHeap = size;
    }
  })();
  var lines = null;
  if (D.lines) {
    lines = new Float64Array(D.lines.length);
    for (var li = 0, ls = 0; li < D.lines.length; li++) { ls += D.lines[li]; lines[li] = ls; }
  }
  function lineOf(op) { return lines ? lines[op] : D.line0 + op; }
  function layoutBlock(req) {
    var b = Math.ceil((req + 16) / 8) * 8;
    return b < 32 ? 32 : b;
  }
  // utilization and the layout bound so far, after each op
  var util = new Float64Array(N), bound = new Float64Array(N);
  (function () {
    var dl = new Float64Array(N + 1), dk = new Float64Array(N + 1);
    for (var i = 0; i < nA; i++) {
      dl[aS[i]] += aR[i]; dl[aE[i]] -= aR[i];
      dk[aS[i]] += layoutBlock(aR[i]); dk[aE[i]] -= layoutBlock(aR[i]);
    }
    var live = 0, lay = 0, peak = 0, peakLay = 0;
    for (var j = 0; j < N; j++) {
      live += dl[j]; lay += dk[j];
      if (live > peak) peak = live;
      if (lay > peakLay) peakLay = lay;
      util[j] = heap[j] ? peak / heap[j] : 0;
      bound[j] = peakLay ? peak / peakLay : 0;
    }
  })();

  // --- the view --------------------------------------------------------------
  var canvas = document.getElementById('map'), axes = document.getElementById('axes'),
      curves = document.getElementById('curves'), tip = document.getElementById('tip');
  var W = canvas.width, H = canvas.height;
  var ratio = window.devicePixelRatio || 1;
  canvas.width = W * ratio; canvas.height = H * ratio;
  canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
  var ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  var full = { x0: 0, x1: N, y0: 0, y1: Math.max(maxHeap, 64) * 1.02 };
  var v = { x0: full.x0, x1: full.x1, y0: full.y0, y1: full.y1 };

  function px(op) { return (op - v.x0) / (v.x1 - v.x0) * W; }
  function py(addr) { return H - (addr - v.y0) / (v.y1 - v.y0) * H; }
  function opAt(x) { return v.x0 + x / W * (v.x1 - v.x0); }
  function addrAt(y) { return v.y0 + (H - y) / H * (v.y1 - v.y0); }

  function el(name, attrs, parent, text) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function bytes(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(n % 1048576 ? 2 : 0) + ' MiB';
    if (n >= 1024) return (n / 1024).toFixed(n % 1024 ? 1 : 0) + ' KiB';
    return Math.round(n) + ' B';
  }
  function ticks(a, b, count) {
    var span = b - a, step = Math.pow(10, Math.floor(Math.log(span / count) / Math.LN10));
    if (span / step > count * 5) step *= 5; else if (span / step > count * 2) step *= 2;
    if (step < 1) step = 1;
    var out = [];
    for (var t = Math.ceil(a / step) * step; t <= b; t += step) out.push(t);
    return out;
  }
  function byteTicks(a, b, count) {   // at powers of two, so the labels read round
    var step = 8;
    while ((b - a) / step > count) step *= 2;
    var out = [];
    for (var t = Math.ceil(a / step) * step; t <= b; t += step) out.push(t);
    return out;
  }
  function mix(f) {   // the colour of a block too thin to show its parts: f = payload share
    var p = [0x4a, 0x86, 0xc5], o = [0x17, 0x32, 0x4d], c = [];
    for (var i = 0; i < 3; i++) c.push(Math.round(o[i] + (p[i] - o[i]) * f));
    return 'rgb(' + c.join(',') + ')';
  }
  var MIX = [];
  for (var m = 0; m <= 8; m++) MIX.push(mix(m / 8));

  // --- drawing ------------------------------------------------------------------
  // Rectangles of one colour go into one path, filled once: what is
  // smaller than a pixel adds up in it rather than costing a fill each.
  function draw() {
    var t0 = performance.now(), drawn = 0;
    ctx.fillStyle = COLOR.outside;
    ctx.fillRect(0, 0, W, H);
    // the heap, as far as it reaches at each op
    ctx.fillStyle = COLOR.heap;
    ctx.beginPath();
    var step = Math.max(1, Math.floor((v.x1 - v.x0) / W));
    for (var op = Math.max(0, Math.floor(v.x0)); op < Math.min(N, Math.ceil(v.x1)); op += step) {
      var top = py(heap[Math.min(N - 1, op + step - 1)]);
      ctx.rect(px(op), top, px(op + step) - px(op), H - top);
    }
    ctx.fill();
    ctx.fillStyle = COLOR.free;
    ctx.beginPath();
    var edges = [];   // the base of each free block tall enough to show it
    for (var i = 0; i < nF; i++) {
      if (fE[i] <= v.x0 || fS[i] >= v.x1 || fO[i] + fZ[i] <= v.y0 || fO[i] >= v.y1) continue;
      var y = py(fO[i] + fZ[i]), fx = px(fS[i]), fw = px(fE[i]) - fx, fb = py(fO[i]);
      ctx.rect(fx, y, fw, fb - y);
      if (fb - y >= 4) edges.push(fx, fb - 1, fw, 1);
      drawn++;
    }
    ctx.fill();
    ctx.fillStyle = COLOR.freeEdge;
    ctx.beginPath();
    for (var ei = 0; ei < edges.length; ei += 4) ctx.rect(edges[ei], edges[ei + 1], edges[ei + 2], 1);
    ctx.fill();
    var paths = { tags: [], payload: [], padding: [] }, thin = [];
    for (var q = 0; q <= 8; q++) thin.push([]);
    for (var j = 0; j < nA; j++) {
      if (aE[j] <= v.x0 || aS[j] >= v.x1 || aO[j] + aZ[j] <= v.y0 || aO[j] >= v.y1) continue;
      var x = px(aS[j]), w = px(aE[j]) - x, yb = py(aO[j]), yt = py(aO[j] + aZ[j]);
      drawn++;
      if (yb - yt < 4) {
        thin[Math.round(8 * aR[j] / aZ[j])].push(x, yt, w, yb - yt);
        continue;
      }
      var yPay = py(aO[j] + 8), yPadTop = py(aO[j] + 8 + aR[j]), yTag = py(aO[j] + aZ[j] - 8);
      paths.tags.push(x, yt, w, yb - yt);
      paths.payload.push(x, yPadTop, w, yPay - yPadTop);
      if (yTag < yPadTop) paths.padding.push(x, yTag, w, yPadTop - yTag);
    }
    function fillAll(color, r) {
      if (!r.length) return;
      ctx.fillStyle = color;
      ctx.beginPath();
      for (var k = 0; k < r.length; k += 4) ctx.rect(r[k], r[k + 1], r[k + 2], r[k + 3]);
      ctx.fill();
    }
    for (q = 0; q <= 8; q++) fillAll(MIX[q], thin[q]);
    fillAll(COLOR.tags, paths.tags);
    fillAll(COLOR.payload, paths.payload);
    fillAll(COLOR.padding, paths.padding);
    drawAxes();
    drawCurves();
    document.body.setAttribute('data-drawn', String(drawn));
    document.body.setAttribute('data-draw-ms', String(Math.round(performance.now() - t0)));
  }

  var highlight = null;
  function drawAxes() {
    while (axes.firstChild) axes.removeChild(axes.firstChild);
    el('rect', { x: 0, y: 0, width: W, height: H, fill: 'none', stroke: '#888' }, axes);
    ticks(v.x0, v.x1, 8).forEach(function (t) {
      el('line', { x1: px(t), x2: px(t), y1: H, y2: H + 5, stroke: '#333' }, axes);
      el('text', { x: px(t), y: H + 18, 'text-anchor': 'middle' }, axes, String(t));
    });
    el('text', { x: W / 2, y: H + 34, 'text-anchor': 'middle' }, axes,
       'operations (the state after each; trace line ' + lineOf(0) + ' is operation 0)');
    byteTicks(v.y0, v.y1, 8).forEach(function (t) {
      el('line', { x1: -5, x2: 0, y1: py(t), y2: py(t), stroke: '#333' }, axes);
      el('text', { x: -8, y: py(t) + 4, 'text-anchor': 'end' }, axes, bytes(t));
    });
    el('text', { x: -70, y: H / 2, transform: 'rotate(-90 -70 ' + H / 2 + ')', 'text-anchor': 'middle' },
       axes, 'offset in the heap');
    for (var u = 0; u < D.u.length; u += 2) {
      if (D.u[u + 1] <= v.x0 || D.u[u] >= v.x1) continue;
      el('rect', { x: px(D.u[u]), y: -18, width: Math.max(2, px(D.u[u + 1]) - px(D.u[u])), height: 6,
                   fill: '#e67e00' }, axes);
    }
    D.checks.forEach(function (c) {
      if (c[0] < v.x0 || c[0] > v.x1) return;
      el('line', { x1: px(c[0] + 0.5), x2: px(c[0] + 0.5), y1: -8, y2: 0, stroke: '#d00', 'stroke-width': 2 }, axes);
    });
    highlight = el('rect', { fill: 'none', stroke: '#e00', 'stroke-width': 2, visibility: 'hidden' }, axes);
  }

  function drawCurves() {
    while (curves.firstChild) curves.removeChild(curves.firstChild);
    var CH = 130;
    el('rect', { x: 0, y: 0, width: W, height: CH, fill: '#fafafa', stroke: '#888' }, curves);
    [0, 25, 50, 75, 100].forEach(function (p) {
      var y = CH - p / 100 * CH;
      el('line', { x1: 0, x2: W, y1: y, y2: y, stroke: '#e4e4e4' }, curves);
      el('text', { x: -8, y: y + 4, 'text-anchor': 'end' }, curves, p + '%');
    });
    function line(values, color, name) {
      var pts = [];
      for (var c = 0; c <= W; c += 2) {
        var op = Math.min(N - 1, Math.max(0, Math.floor(opAt(c))));
        pts.push(c + ',' + (CH - values[op] * CH).toFixed(1));
      }
      el('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 1.5 }, curves);
      return name + ' ' + (100 * values[N - 1]).toFixed(1) + '%';
    }
    var u = line(util, '#1f5fa8', 'utilization'), b = line(bound, '#b04a00', 'the layout\u2019s bound');
    el('text', { x: 0, y: CH + 18 }, curves, 'so far, after each operation:');
    el('line', { x1: 0, x2: 18, y1: CH + 32, y2: CH + 32, stroke: '#1f5fa8', 'stroke-width': 3 }, curves);
    el('text', { x: 24, y: CH + 36 }, curves, u + ': the peak of live bytes over the heap\u2019s size');
    el('line', { x1: 0, x2: 18, y1: CH + 50, y2: CH + 50, stroke: '#b04a00', 'stroke-width': 3 }, curves);
    el('text', { x: 24, y: CH + 54 }, curves,
       b + ': the same peak over the least a heap of this layout could hold it in');
  }

  function legend() {
    var box = document.getElementById('legend');
    [['payload', 'payload (bytes requested)'], ['tags', 'size word and end tag'],
     ['padding', 'padding inside the block'], ['free', 'free block (a darker line at its start)'],
     ['heap', 'heap, in no block the walk found (edge words)']].forEach(function (p) {
      var s = document.createElement('span'), i = document.createElement('i');
      i.style.background = COLOR[p[0]];
      s.appendChild(i);
      s.appendChild(document.createTextNode(p[1]));
      box.appendChild(s);
    });
  }

  // --- hover -------------------------------------------------------------------
  function hit(op, addr) {
    for (var i = 0; i < nA; i++)
      if (aS[i] <= op && op < aE[i] && aO[i] <= addr && addr < aO[i] + aZ[i]) return { a: i };
    for (var j = 0; j < nF; j++)
      if (fS[j] <= op && op < fE[j] && fO[j] <= addr && addr < fO[j] + fZ[j]) return { f: j };
    return null;
  }
  function until(end) {
    return end < D.done ? 'line ' + lineOf(end) + ' (operation ' + end + ')' : 'the end';
  }
  function describe(h, op, addr) {
    if (h && h.a !== undefined) {
      var i = h.a;
      return 'ID ' + aI[i] + ': ' + aR[i] + ' bytes requested\n' +
        'block of ' + aZ[i] + ' bytes at heap+' + aO[i] + ' (0x' + aO[i].toString(16) + ')\n' +
        '  size word 8, payload ' + aR[i] + ', padding ' + (aZ[i] - 16 - aR[i]) + ', end tag 8\n' +
        'made at line ' + lineOf(aS[i]) + ' (operation ' + aS[i] + '), live until ' + until(aE[i]);
    }
    if (h && h.f !== undefined) {
      var j = h.f;
      return 'free block of ' + fZ[j] + ' bytes at heap+' + fO[j] + ' (0x' + fO[j].toString(16) + ')\n' +
        'free from line ' + lineOf(fS[j]) + ' (operation ' + fS[j] + ') until ' + until(fE[j]);
    }
    var o = Math.floor(op);
    if (o < 0 || o >= N) return null;
    if (addr >= heap[o]) return 'above the heap (' + bytes(heap[o]) + ' after operation ' + o + ')';
    return 'heap+' + Math.floor(addr) + ': in no block the walk found (an edge word,\n' +
      'or a heap the walk could not read)';
  }
  function unparsedAt(x, y) {
    if (y < -20 || y > -10) return null;
    var op = Math.floor(opAt(x));
    for (var u = 0; u < D.u.length; u += 2)
      if (D.u[u] <= op && op < D.u[u + 1]) return [D.u[u], D.u[u + 1]];
    return null;
  }
  function checkNear(x, y) {
    if (y > 2 || y < -9) return null;
    for (var k = 0; k < D.checks.length; k++)
      if (Math.abs(px(D.checks[k][0] + 0.5) - x) < 4) return D.checks[k];
    return null;
  }
  var pending = null;
  function hover(e) {
    var r = axes.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    var c = checkNear(x, y), u = unparsedAt(x, y), op = opAt(x), addr = addrAt(y), text = null, h = null;
    if (c) text = 'mm_check_heap after line ' + lineOf(c[0]) + ' (operation ' + c[0] + '):\n' + c[1];
    else if (u) text = 'the heap could not be read as blocks after operations ' + u[0] + ' to ' + (u[1] - 1) +
      '\n(lines ' + lineOf(u[0]) + ' to ' + lineOf(u[1] - 1) + '); the first time: ' + D.unparsedWhy;
    else if (x >= 0 && x <= W && y >= 0 && y <= H) {
      h = hit(op, addr);
      text = describe(h, op, addr);
      if (text) text = 'operation ' + Math.floor(op) + ' (line ' + lineOf(Math.floor(op)) + ')\n' + text;
    }
    if (h) {
      var s = h.a !== undefined ? [aS[h.a], aE[h.a], aO[h.a], aZ[h.a]] : [fS[h.f], fE[h.f], fO[h.f], fZ[h.f]];
      highlight.setAttribute('x', px(s[0])); highlight.setAttribute('width', Math.max(2, px(s[1]) - px(s[0])));
      highlight.setAttribute('y', py(s[2] + s[3])); highlight.setAttribute('height', Math.max(2, py(s[2]) - py(s[2] + s[3])));
      highlight.setAttribute('visibility', 'visible');
    } else {
      highlight.setAttribute('visibility', 'hidden');
    }
    if (!text) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    tip.style.left = (e.clientX + 14) + 'px';
    tip.style.top = (e.clientY + 14) + 'px';
  }

  // --- zoom and pan --------------------------------------------------------------
  var dragging = null;
  function clampView() {
    var wx = Math.max(4, Math.min(v.x1 - v.x0, full.x1 - full.x0));
    var wy = Math.max(64, Math.min(v.y1 - v.y0, full.y1 - full.y0));
    v.x0 = Math.max(full.x0, Math.min(v.x0, full.x1 - wx)); v.x1 = v.x0 + wx;
    v.y0 = Math.max(full.y0, Math.min(v.y0, full.y1 - wy)); v.y1 = v.y0 + wy;
  }
  var queued = false;
  function redraw() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; draw(); });
  }
  axes.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = axes.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    var f = Math.exp(e.deltaY * 0.002), op = opAt(x), addr = addrAt(y);
    if (!e.shiftKey) { v.x0 = op - (op - v.x0) * f; v.x1 = op + (v.x1 - op) * f; }
    if (!e.altKey) { v.y0 = addr - (addr - v.y0) * f; v.y1 = addr + (v.y1 - addr) * f; }
    clampView();
    redraw();
  }, { passive: false });
  axes.addEventListener('mousedown', function (e) {
    dragging = { x: e.clientX, y: e.clientY, v: { x0: v.x0, x1: v.x1, y0: v.y0, y1: v.y1 } };
  });
  window.addEventListener('mouseup', function () { dragging = null; });
  axes.addEventListener('mousemove', function (e) {
    if (dragging) {
      var dx = (e.clientX - dragging.x) / W * (dragging.v.x1 - dragging.v.x0);
      var dy = (e.clientY - dragging.y) / H * (dragging.v.y1 - dragging.v.y0);
      v.x0 = dragging.v.x0 - dx; v.x1 = dragging.v.x1 - dx;
      v.y0 = dragging.v.y0 + dy; v.y1 = dragging.v.y1 + dy;
      clampView();
      redraw();
      return;
    }
    pending = e;
    requestAnimationFrame(function () { if (pending) { hover(pending); pending = null; } });
  });
  axes.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  axes.addEventListener('dblclick', function () {
    v.x0 = full.x0; v.x1 = full.x1; v.y0 = full.y0; v.y1 = full.y1;
    redraw();
  });

  // #selftest (make check-pictures): zoom with the wheel, hover over the
  // first block, and say what came of it in the body's data-selftest.
  function selftest() {
    var r = axes.getBoundingClientRect(), before = v.x1 - v.x0;
    axes.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, clientX: r.left + W / 2,
                                                 clientY: r.top + H / 2, bubbles: true, cancelable: true }));
    draw();
    var zoomed = v.x1 - v.x0 < before;
    v.x0 = full.x0; v.x1 = full.x1; v.y0 = full.y0; v.y1 = full.y1;
    draw();
    var said = '';
    if (nA > 0) {
      var op = (aS[0] + aE[0]) / 2, addr = aO[0] + aZ[0] / 2;
      hover({ clientX: r.left + px(op), clientY: r.top + py(addr) });
      said = tip.textContent;
    }
    document.body.setAttribute('data-selftest', JSON.stringify({ zoomed: zoomed, tip: said }));
  }

  legend();
  draw();
  if (location.hash === '#selftest') selftest();
})();
