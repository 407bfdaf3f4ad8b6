// Hidden units forming (lib/report/unitsforming.ts builds its data): a slider over the recorded
// epochs redraws each hidden unit's W1 column as a 28 x 28 tile (blue < 0 < red, each unit on
// its own scale, the unit tiles' 33 levels), beside the dead-unit and weight-norm chart.
function widget(root, data) {
  var size = 28,
    h = data.h,
    cols = data.cols,
    scale = data.scale,
    gap = 2,
    cell = size * scale + gap,
    rows = Math.ceil(h / cols);
  root.innerHTML =
    '<div style="margin:6px 0"><input type="range" class="uf-slider" aria-label="epoch of the snapshot" min="0" max="' +
    (data.snapshots.length - 1) +
    '" step="1" value="' +
    (data.snapshots.length - 1) +
    '" style="width:60%"> ' +
    '<span class="uf-label" style="font-weight:bold"></span></div>' +
    '<canvas class="uf-tiles" width="' +
    (cols * cell + gap) +
    '" height="' +
    (rows * cell + gap) +
    '" style="max-width:100%;image-rendering:pixelated"></canvas>' +
    '<div class="uf-chart" id="plot-' +
    root.id +
    '-chart" style="width:100%;height:320px"></div>';
  var slider = root.querySelector(".uf-slider"),
    label = root.querySelector(".uf-label"),
    canvas = root.querySelector(".uf-tiles");
  var ctx = canvas.getContext("2d"),
    weights = new Array(data.snapshots.length);

  function inflate(b64) {
    var bin = atob(b64),
      bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer()
      .then(function (b) {
        return new Int8Array(b);
      });
  }
  // The unit tiles' colours: t = q / levels in [-1, 1]; white at 0, red above, blue below.
  function colour(q) {
    var t = q / data.levels;
    return t >= 0
      ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
      : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
  }
  function draw(k) {
    var s = data.snapshots[k],
      q = weights[k];
    label.textContent =
      "epoch " +
      s.epoch +
      ": " +
      s.dead +
      " of " +
      h +
      " hidden units never active on the " +
      data.nVal.toLocaleString("en-US") +
      " validation images";
    root.dataset.epoch = String(s.epoch);
    var img = ctx.createImageData(canvas.width, canvas.height);
    img.data.fill(255);
    for (var j = 0; j < h; j++) {
      var x0 = gap + (j % cols) * cell,
        y0 = gap + Math.floor(j / cols) * cell;
      for (var y = 0; y < size * scale; y++)
        for (var x = 0; x < size * scale; x++) {
          var i = Math.floor(y / scale) * size + Math.floor(x / scale),
            c = colour(q[i * h + j]),
            o = ((y0 + y) * canvas.width + x0 + x) * 4;
          img.data[o] = c[0];
          img.data[o + 1] = c[1];
          img.data[o + 2] = c[2];
        }
    }
    ctx.putImageData(img, 0, 0);
  }
  Promise.all(
    data.snapshots.map(function (s, k) {
      return inflate(s.w1).then(function (q) {
        weights[k] = q;
      });
    }),
  ).then(function () {
    draw(data.snapshots.length - 1);
    slider.addEventListener("input", function () {
      draw(Number(slider.value));
    });
    root.dataset.ready = "2";
  });
  Plotly.newPlot(root.querySelector(".uf-chart"), data.chart.data, data.chart.layout, { responsive: true });
}
