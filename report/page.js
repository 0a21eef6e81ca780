// Draws the plots of a netstatspy report from the JSON in #netstatspy-data with uPlot. Every
// plot of a run shares its time axis (zoom and pan follow) and its cursor. After drawing, the
// number of points each plot holds is written into the page (#netstatspy-status, and the
// plot's data-points attribute); any script error is written into #netstatspy-errors.
(function () {
  "use strict";
  var errors = document.getElementById("netstatspy-errors");
  function fail(message) {
    errors.textContent += message + "\n";
    errors.setAttribute("data-count", String(Number(errors.getAttribute("data-count")) + 1));
  }
  window.onerror = function (message, source, line, column) {
    fail("error: " + message + " at " + source + ":" + line + ":" + column);
  };
  window.addEventListener("unhandledrejection", function (e) { fail("rejection: " + e.reason); });
  var consoleError = console.error;
  console.error = function () {
    fail("console.error: " + Array.prototype.join.call(arguments, " "));
    consoleError.apply(console, arguments);
  };

  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"];

  function short(v) {
    if (v == null) return "–";
    var a = Math.abs(v);
    var units = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) return +(v / units[i][0]).toPrecision(4) + units[i][1];
    }
    return String(+v.toPrecision(4));
  }

  function draw(run, r) {
    var container = document.getElementById("run-" + r + "-plots");
    var sync = uPlot.sync("run" + r);
    var plots = [];
    var syncing = false;
    var section = null, group = null;
    var width = Math.max(400, Math.min(1200, (container.clientWidth || 900) - 20));
    run.plots.forEach(function (plot) {
      if (plot.section !== section) {
        section = plot.section;
        group = null;
        var h = document.createElement("h2");
        h.textContent = section;
        container.appendChild(h);
      }
      if (plot.group !== group) {
        group = plot.group;
        var g = document.createElement("h3");
        g.textContent = group;
        g.style.marginLeft = (plot.depth * 1.5) + "em";
        container.appendChild(g);
      }
      var div = document.createElement("div");
      div.className = "plot";
      div.id = plot.id;
      div.style.marginLeft = (plot.depth * 1.5) + "em";
      container.appendChild(div);
      var tables = plot.series.map(function (s) { return [s.t, s.v]; });
      var data = tables.length === 1 ? tables[0] : uPlot.join(tables);
      var points = 0;
      plot.series.forEach(function (s) { points += s.v.length; });
      var series = [{
        label: "elapsed",
        value: function (u, v) { return v == null ? "–" : v.toFixed(6) + " s"; },
      }];
      plot.series.forEach(function (s, i) {
        series.push({
          label: s.label + (s.decimated ? " (min/max of " + s.points + ")" : ""),
          stroke: COLORS[i % COLORS.length],
          width: 1.5,
          spanGaps: true,
          points: { show: s.v.length < 200 },
          value: function (u, v) { return v == null ? "–" : short(v) + " " + plot.unit; },
        });
      });
      var opts = {
        title: plot.title + " (" + plot.unit + ")",
        width: width - plot.depth * 20,
        height: 220,
        cursor: { sync: { key: sync.key }, drag: { x: true, y: false } },
        scales: { x: { time: false } },
        series: series,
        axes: [
          { label: "elapsed (s)" },
          { size: 70, values: function (u, vals) { return vals.map(short); } },
        ],
        hooks: {
          setScale: [function (u, key) {
            if (key !== "x" || syncing) return;
            syncing = true;
            var min = u.scales.x.min, max = u.scales.x.max;
            plots.forEach(function (o) {
              if (o !== u) o.setScale("x", { min: min, max: max });
            });
            syncing = false;
          }],
        },
      };
      var u = new uPlot(opts, data, div);
      plots.push(u);
      div.setAttribute("data-points", String(points));
      u.over.addEventListener("wheel", function (e) {
        e.preventDefault();
        var min = u.scales.x.min, max = u.scales.x.max, range = max - min;
        if (e.shiftKey) {
          var shift = range * 0.1 * Math.sign(e.deltaY || e.deltaX);
          u.setScale("x", { min: min + shift, max: max + shift });
        } else {
          var at = u.posToVal(e.offsetX, "x");
          var f = e.deltaY < 0 ? 0.8 : 1.25;
          u.setScale("x", { min: at - (at - min) * f, max: at + (max - at) * f });
        }
      }, { passive: false });
    });
    return run.plots.map(function (plot) {
      var n = 0;
      plot.series.forEach(function (s) { n += s.v.length; });
      return { id: plot.id, title: plot.title, points: n };
    });
  }

  var status = document.getElementById("netstatspy-status");
  var data = JSON.parse(document.getElementById("netstatspy-data").textContent);
  var drawn = [];
  data.runs.forEach(function (run, r) {
    try {
      drawn = drawn.concat(draw(run, r));
    } catch (e) {
      fail("error drawing run " + run.id + ": " + e);
    }
  });
  status.setAttribute("data-plots", String(drawn.length));
  status.textContent = JSON.stringify(drawn);
  status.setAttribute("data-done", "1");
})();
