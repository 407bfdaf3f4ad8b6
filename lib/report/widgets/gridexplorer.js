// The grid explorer's page script (lib/report/gridexplorer.ts builds its data): heatmaps of the
// grid (data.overview) with the selected cell marked, the selected configuration's curves, and
// Table 1 in full with the selected row highlighted. Click a cell or a row to select.
function widget(root, data) {
  var configs = data.configs,
    selected = 0;
  var key = function (c) {
    return "h=" + c.h + ", lr=" + c.lr + ", λ=" + c.lambda;
  };
  root.innerHTML =
    '<div class="gx-grid" id="plot-' +
    root.id +
    '-grid" style="width:100%;height:330px"></div>' +
    '<div class="gx-curves" id="plot-' +
    root.id +
    '-curves" style="width:100%;height:380px"></div>' +
    '<div class="gx-status" aria-live="polite" style="position:absolute;left:-9999px"></div>' +
    '<div class="gx-table" style="max-height:320px;overflow:auto"></div>';
  var gridDiv = root.querySelector(".gx-grid"),
    curveDiv = root.querySelector(".gx-curves"),
    tableDiv = root.querySelector(".gx-table");
  var f = function (v, d) {
    return v === null || v === undefined ? "–" : v.toFixed(d);
  };
  var rows = configs
    .map(function (c, i) {
      return (
        '<tr data-index="' +
        i +
        '" tabindex="0" style="cursor:pointer"><td>' +
        c.rank +
        "</td><td>" +
        c.h +
        "</td><td>" +
        c.lr +
        "</td><td>" +
        c.lambda +
        "</td><td>" +
        f(c.best, 4) +
        "</td><td>" +
        f(c.se, 4) +
        "</td><td>" +
        c.epoch +
        "</td><td>" +
        (c.original ? f(c.original.acc, 4) : "–") +
        "</td><td>" +
        (c.original ? c.original.rank : "–") +
        "</td></tr>"
      );
    })
    .join("");
  // Every column holds numbers: right-aligned, so that their digits line up.
  tableDiv.innerHTML =
    "<style>table.report-table.gx-table th,table.report-table.gx-table td{text-align:right}</style><table " +
    'class="report-table gx-table"><caption style="caption-side:top;text-align:left;font-weight:bold">Table 1 in ' +
    "full: all " +
    configs.length +
    " configurations by best validation accuracy (" +
    data.nVal.toLocaleString("en-US") +
    " validation images; click a row, or Tab to it and press Enter)</caption><thead " +
    'style="position:sticky;top:0;background:#fff"><tr><th>rank</th><th>h</th><th>lr</th><th>lambda</th><th>val ' +
    "acc</th><th>± SE</th><th>epoch</th><th>original acc</th><th>original rank</th></tr></thead><tbody>" +
    rows +
    "</tbody></table>";
  var panel = function (h) {
    return data.hs.indexOf(h);
  };
  var axis = function (i, name) {
    return name + (i ? i + 1 : "");
  };

  function select(i) {
    selected = i;
    var c = configs[i],
      p = panel(c.h);
    root.dataset.selected = key(c);
    root.querySelector(".gx-status").textContent =
      "selected " + key(c) + ": rank " + c.rank + ", best validation accuracy " + c.best.toFixed(4);
    // the marker on the grid: one open square on the selected cell
    var marker = {
      type: "scatter",
      mode: "markers",
      x: [String(c.lambda)],
      y: [String(c.lr)],
      xaxis: axis(p, "x"),
      yaxis: axis(p, "y"),
      hoverinfo: "skip",
      showlegend: false,
      marker: { symbol: "square-open", size: 44, color: data.colours.selected, line: { width: 3 } },
    };
    Plotly.react(gridDiv, data.overview.data.concat([marker]), data.overview.layout, { responsive: true });
    var line = function (name, x, y, ax, color, dash) {
      return {
        type: "scatter",
        mode: "lines",
        name: name,
        x: x,
        y: y,
        xaxis: ax ? "x2" : "x",
        yaxis: ax ? "y2" : "y",
        line: { color: color, dash: dash },
        legendgroup: name,
        showlegend: !ax,
      };
    };
    // The original's view (accuracy above 0.85), widened when the run's second half lies below it (the quick profile).
    var late = c.ours.valAcc.slice(Math.floor(c.ours.valAcc.length / 2)),
      low = Math.min(0.85, Math.min.apply(null, late) - 0.01);
    var o = c.ours,
      traces = [
        line("validation (ours)", o.epoch, o.valLoss, 0, data.colours.validation, "solid"),
        line("validation (ours)", o.epoch, o.valAcc, 1, data.colours.validation, "solid"),
        line("training (ours)", o.epoch, o.trainLoss, 0, data.colours.training, "dash"),
        line("training (ours)", o.epoch, o.trainAcc, 1, data.colours.training, "dash"),
      ];
    if (c.original)
      traces.push(
        line("original's record", c.original.curve.epoch, c.original.curve.loss, 0, "#555", "dot"),
        line("original's record", c.original.curve.epoch, c.original.curve.accuracy, 1, "#555", "dot"),
      );
    Plotly.react(
      curveDiv,
      traces,
      {
        title: {
          text:
            key(c) +
            ": rank " +
            c.rank +
            ", best validation accuracy " +
            c.best.toFixed(4) +
            " at epoch " +
            c.epoch +
            (c.original
              ? "; the original's " + c.original.acc.toFixed(4) + " (rank " + c.original.rank + ")"
              : "; not in the original's record"),
        },
        xaxis: { domain: [0, 0.46], title: { text: "epoch" } },
        xaxis2: { domain: [0.54, 1], title: { text: "epoch" } },
        yaxis: { title: { text: "loss" }, type: "log", dtick: 1 },
        yaxis2: { title: { text: "accuracy" }, anchor: "x2", range: [low, 1] },
        legend: { orientation: "h", y: -0.3 },
        margin: { t: 50, b: 90 },
      },
      { responsive: true },
    );
    Array.prototype.forEach.call(tableDiv.querySelectorAll("tbody tr"), function (tr) {
      var on = Number(tr.dataset.index) === i;
      tr.style.background = on ? "#fff3b0" : "";
      tr.classList.toggle("selected", on);
      if (on) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
      if (on && tr.scrollIntoView && root.dataset.ready === "2") tr.scrollIntoView({ block: "nearest" });
    });
  }

  select(0); // the selected configuration: rank 1
  root.dataset.ready = "2";
  gridDiv.on("plotly_click", function (e) {
    var pt = e.points && e.points[0];
    if (!pt || pt.data.type !== "heatmap") return;
    var h = data.hs[Number((pt.data.xaxis || "x").slice(1) || 1) - 1];
    for (var i = 0; i < configs.length; i++)
      if (configs[i].h === h && String(configs[i].lr) === String(pt.y) && String(configs[i].lambda) === String(pt.x))
        return select(i);
  });
  tableDiv.addEventListener("click", function (e) {
    var tr = e.target.closest("tr[data-index]");
    if (tr) select(Number(tr.dataset.index));
  });
  tableDiv.addEventListener("keydown", function (e) {
    var tr = e.target.closest("tr[data-index]");
    if (tr && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      select(Number(tr.dataset.index));
    }
  });
}
