/* Draws the report's charts with uPlot from the result.json inlined in #vigil-result. No network access. */
(function () {
  'use strict';
  var result = JSON.parse(document.getElementById('vigil-result').textContent);
  var drawn = [];
  var HEIGHT = 300;
  var C = { p50: '#2da44e', p90: '#0969da', p99: '#bf3989', max: '#cf222e', target: '#8c959f',
            achieved: '#0969da', inflight: '#bc4c00', errors: '#cf222e', late: '#d4a72c', svc: '#8250df' };

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function fmtMs(v) {
    if (v == null) return '—';
    if (v === 0) return '0';
    return v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en');
  }
  // Axis ticks: short and round (uPlot picks round tick values already).
  function fmtTick(v) {
    if (v == null) return '';
    if (v === 0) return '0';
    return Math.abs(v) >= 10 ? Math.round(v).toLocaleString('en') : String(parseFloat(v.toPrecision(3)));
  }
  function fmtRate(v) { return v == null ? '—' : (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1)); }
  function fmtInt(v) { return v == null ? '—' : Math.round(v).toLocaleString('en'); }
  function widthOf(el) { return Math.max(320, Math.floor(el.getBoundingClientRect().width || 900)); }

  function line(label, color, fmt, extra) {
    var s = { label: label, stroke: color, width: 1.75, points: { show: false },
              value: function (u, v) { return fmt(v); } };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }

  function plot(id, opts, data) {
    var el = document.getElementById(id);
    if (!el) return;
    if (!data[0] || data[0].length === 0) {
      el.textContent = 'No data.';
      el.className += ' empty';
      return;
    }
    opts.width = widthOf(el);
    opts.height = HEIGHT;
    drawn.push({ chart: new uPlot(opts, data, el), el: el });
  }

  var seconds = { label: 'second', value: function (u, v) { return v == null ? '—' : v + ' s'; } };
  var xAxis = { label: 'seconds since start', labelSize: 20 };
  function yAxis(label, fmt) {
    return { label: label, labelSize: 20, size: 64, values: function (u, vals) { return vals.map(fmtTick); } };
  }

  // Latency percentiles over time.
  var t = (result.timeline || []).slice().sort(function (a, b) { return a.second - b.second; });
  var xs = t.map(function (p) { return p.second; });
  function col(f) { return t.map(function (p) { return num(p[f]); }); }
  plot('chart-latency', {
    scales: { x: { time: false } },
    axes: [xAxis, yAxis('ms', fmtMs)],
    series: [seconds, line('p50', C.p50, fmtMs), line('p90', C.p90, fmtMs), line('p99', C.p99, fmtMs),
             line('max', C.max, fmtMs, { width: 1, dash: [4, 3] })]
  }, [xs, col('p50Ms'), col('p90Ms'), col('p99Ms'), col('maxMs')]);

  // Throughput: target vs achieved, in-flight on its own axis.
  var openModel = result.model !== 'closed';
  var tpSeries = [seconds];
  var tpData = [xs];
  if (openModel) {
    tpSeries.push(line('target arrivals/s', C.target, fmtRate, { dash: [6, 4] }));
    tpData.push(col('targetRps'));
  }
  tpSeries.push(line('achieved req/s', C.achieved, fmtRate, { fill: 'rgba(9,105,218,0.08)' }));
  tpData.push(col('achievedRps'));
  tpSeries.push(line('in flight', C.inflight, fmtInt, { scale: 'inflight', width: 1 }));
  tpData.push(col('inFlight'));
  var fromZero = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
  plot('chart-throughput', {
    scales: { x: { time: false }, y: fromZero, inflight: fromZero },
    axes: [xAxis, yAxis('req/s', fmtRate),
           { scale: 'inflight', side: 1, label: 'in flight', labelSize: 20, size: 56, grid: { show: false },
             values: function (u, vals) { return vals.map(fmtTick); } }],
    series: tpSeries
  }, tpData);

  // Errors and late requests per second, as bars.
  var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 24] }) : undefined;
  plot('chart-errors', {
    scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
    axes: [xAxis, yAxis('requests', fmtInt)],
    series: [seconds,
             line('errors', C.errors, fmtInt, { paths: bars, fill: 'rgba(207,34,46,0.55)', width: 0 }),
             line('late', C.late, fmtInt, { width: 1.5 })]
  }, [xs, col('errors'), col('late')]);

  // Percentile distribution, HdrHistogram style: x is 1/(1-p) on a log axis, so the tail gets the room.
  var dist = (result.percentileDistribution || [])
      .filter(function (p) { return num(p.percentile) != null && p.percentile < 100; })
      .sort(function (a, b) { return a.percentile - b.percentile; });
  var dx = dist.map(function (p) { return 1 / (1 - p.percentile / 100); });
  function pctLabel(x) {
    if (x == null || !(x >= 1)) return '';  // uPlot passes null for a tick it leaves unlabelled
    var p = 100 * (1 - 1 / x);
    // enough decimals to tell 99.9% from 99.99%; parseFloat drops float noise like 99.90000001
    var digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(x) - 1e-9) - 2));
    return parseFloat(p.toFixed(digits)) + '%';
  }
  plot('chart-distribution', {
    scales: { x: { time: false, distr: 3, log: 10 } },
    axes: [{ label: 'percentile', labelSize: 20,
             splits: function (u, i, min, max) {
               var out = [];
               for (var v = 1; v <= max * 1.0001; v *= 10) { if (v >= min) out.push(v); if (v === 1 && 2 >= min && 2 <= max) out.push(2); }
               return out;
             },
             values: function (u, vals) { return vals.map(pctLabel); } },
           yAxis('ms', fmtMs)],
    series: [{ label: 'percentile', value: function (u, v) { return v == null ? '—' : pctLabel(v); } },
             line('latency (from intended send)', C.p99, fmtMs, { points: { show: true, size: 4 } }),
             line('service time (from actual send)', C.svc, fmtMs, { dash: [5, 3], points: { show: true, size: 4 } })]
  }, [dx, dist.map(function (p) { return num(p.latencyMs); }), dist.map(function (p) { return num(p.serviceTimeMs); })]);

  // Stress curve: latency against offered rate, achieved rate on the right.
  if (result.stress && result.stress.steps) {
    var st = result.stress.steps.slice().sort(function (a, b) { return a.rps - b.rps; });
    var sx = st.map(function (s) { return s.rps; });
    // Dashed verticals at the highest passing rate and the breaking point, labelled on the plot itself.
    var markers = [[result.stress.highestPassingRps, '#1a7f37', 'highest passing'],
                   [result.stress.breakingPointRps, '#cf222e', 'breaking point']];
    var drawMarkers = function (u) {
      var ratio = window.devicePixelRatio || 1;
      var ctx = u.ctx;
      markers.forEach(function (m, i) {
        if (num(m[0]) == null) return;
        var x = Math.round(u.valToPos(m[0], 'x', true));
        ctx.save();
        ctx.strokeStyle = m[1];
        ctx.fillStyle = m[1];
        ctx.lineWidth = 1.5 * ratio;
        ctx.setLineDash([5 * ratio, 4 * ratio]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.font = (12 * ratio) + 'px system-ui, sans-serif';
        // label on the side with room; one row per marker so adjacent markers do not overlap
        var leftOfLine = x > u.bbox.left + u.bbox.width / 2;
        ctx.textAlign = leftOfLine ? 'right' : 'left';
        ctx.fillText(m[2] + ' ' + fmtRate(m[0]) + '/s', x + (leftOfLine ? -6 : 6) * ratio,
                     u.bbox.top + (14 + 16 * i) * ratio);
        ctx.restore();
      });
    };
    plot('chart-stress', {
      hooks: { draw: [drawMarkers] },
      scales: { x: { time: false } },
      axes: [{ label: 'offered req/s', labelSize: 20, values: function (u, vals) { return vals.map(fmtRate); } },
             yAxis('ms', fmtMs),
             { scale: 'rps', side: 1, label: 'achieved req/s', labelSize: 20, size: 64, grid: { show: false },
               values: function (u, vals) { return vals.map(fmtRate); } }],
      series: [{ label: 'offered', value: function (u, v) { return fmtRate(v) + ' req/s'; } },
               line('p50', C.p50, fmtMs, { points: { show: true, size: 6 } }),
               line('p99', C.p99, fmtMs, { points: { show: true, size: 6 } }),
               line('achieved req/s', C.achieved, fmtRate, { scale: 'rps', dash: [6, 4], points: { show: true, size: 5 } })]
    }, [sx, st.map(function (s) { return num(s.p50Ms); }), st.map(function (s) { return num(s.p99Ms); }),
        st.map(function (s) { return num(s.achievedRps); })]);
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      drawn.forEach(function (d) { d.chart.setSize({ width: widthOf(d.el), height: HEIGHT }); });
    }, 100);
  });
  // Read by the browser test (--dump-dom): how many charts were drawn.
  document.documentElement.setAttribute('data-vigil-charts', String(drawn.length));
})();
