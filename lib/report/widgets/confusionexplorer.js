// Table 3 explored (lib/report/confusionexplorer.ts builds its data): the confusion heatmap
// (data.figure); clicking a cell (true t, predicted p) lists its test images as thumbnails cut
// from one sprite (data.sprite), each titled with the probability of the predicted class.
function widget(root, data) {
  var n = 10,
    scale = 2,
    size = data.size;
  root.innerHTML =
    '<p class="cx-hint" style="margin:4px 0">Click a cell of the matrix, or choose its two digits below it, to see ' +
    "its test images.</p>" +
    '<div class="cx-matrix" id="plot-' +
    root.id +
    '-matrix" style="width:100%;max-width:700px;height:600px"></div>' +
    '<div class="cx-keys" style="margin:8px 0"><label>true digit <select class="cx-true"></select></label> ' +
    '<label>predicted digit <select class="cx-pred"></select></label> ' +
    '<button type="button" class="cx-show">show these images</button></div>' +
    '<div class="cx-title" aria-live="polite" style="font-weight:bold;margin:8px 0"></div>' +
    '<div class="cx-thumbs" style="display:flex;flex-wrap:wrap;gap:6px"></div>';
  var matrix = root.querySelector(".cx-matrix"),
    title = root.querySelector(".cx-title"),
    thumbs = root.querySelector(".cx-thumbs");
  // The keyboard's way to a cell: two digits and a button (the heatmap answers a pointer).
  var pick = [root.querySelector(".cx-true"), root.querySelector(".cx-pred")];
  pick.forEach(function (sel) {
    for (var d = 0; d < n; d++) sel.add(new Option(String(d), String(d)));
  });
  root.querySelector(".cx-show").addEventListener("click", function () {
    open(Number(pick[0].value), Number(pick[1].value));
  });
  var rows = Math.ceil(
    data.cells.reduce(function (s, c) {
      return s + c.length;
    }, 0) / data.cols,
  );

  // The opened cell, outlined black inside white, so that it shows on every colour of the scale.
  function outline(t, p) {
    var box = function (color, width) {
      return {
        type: "rect",
        xref: "x",
        yref: "y",
        x0: p - 0.5,
        x1: p + 0.5,
        y0: t - 0.5,
        y1: t + 0.5,
        line: { color: color, width: width },
      };
    };
    Plotly.relayout(matrix, { shapes: (data.figure.layout.shapes || []).concat([box("white", 6), box("black", 2)]) });
  }

  function open(t, p) {
    var cell = data.cells[t * n + p],
      count = data.counts[t][p];
    outline(t, p);
    root.dataset.cell = t + "," + p;
    pick[0].value = String(t);
    pick[1].value = String(p);
    root.dataset.count = String(cell.length);
    title.textContent =
      (t === p
        ? "Correct " + t + "s: " + count.toLocaleString("en-US") + " test images; a sample of " + cell.length
        : "True " +
          t +
          ", predicted " +
          p +
          ": " +
          count.toLocaleString("en-US") +
          " test image" +
          (count === 1 ? "" : "s") +
          (count > cell.length ? "; the first " + cell.length : "")) +
      " (titles: probability of the predicted class, test image index)";
    thumbs.innerHTML = cell
      .map(function (e) {
        var q = e[0],
          x = (q % data.cols) * size * scale,
          y = Math.floor(q / data.cols) * size * scale;
        return (
          '<figure class="cx-thumb" style="margin:0;text-align:center;font-size:11px">' +
          '<div title="test image ' +
          e[1] +
          '" style="width:' +
          size * scale +
          "px;height:" +
          size * scale +
          "px;background-image:url(" +
          data.sprite +
          ");" +
          "background-position:-" +
          x +
          "px -" +
          y +
          "px;background-size:" +
          data.cols * size * scale +
          "px " +
          rows * size * scale +
          'px;image-rendering:pixelated;border:1px solid #ccc"></div>' +
          "<figcaption>" +
          e[2].toFixed(2) +
          "<br>#" +
          e[1] +
          "</figcaption></figure>"
        );
      })
      .join("");
  }

  var layout = Object.assign({}, data.figure.layout);
  delete layout.width;
  Plotly.newPlot(matrix, data.figure.data, layout, { responsive: true });
  var worst = null; // start on the most frequent mistake
  for (var t = 0; t < n; t++)
    for (var p = 0; p < n; p++)
      if (t !== p && (!worst || data.counts[t][p] > data.counts[worst[0]][worst[1]])) worst = [t, p];
  open(worst[0], worst[1]);
  root.dataset.ready = "2";
  matrix.on("plotly_click", function (e) {
    var pt = e.points && e.points[0];
    if (pt) open(Number(pt.y), Number(pt.x));
  });
}
