// Draw a digit (lib/report/drawdigit.ts builds its data: the selected model's float32 weights).
// The drawing (white ink: its opacity is the grey level) is prepared as MNIST's digits were: grey levels 0..255, the
// ink's bounding box scaled (anti-aliased, aspect kept) to fit a 20 x 20 box, then placed in 28 x 28 so that its
// centre of mass is at the centre. The forward pass is lib/mlp/forward.ts's, in float64:
// z1 = x W1 + b1, a1 = relu(z1) x keepProb, z2 = a1 W2 + b2, p = softmax(z2).
function widget(root, data) {
  var h = data.h,
    N = 784,
    K = 10,
    PAD = 280;
  root.innerHTML =
    '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;font-family:sans-serif">' +
    '<div><canvas data-testid="digit-pad" tabindex="0" role="img" aria-label="drawing pad: draw with the mouse or a ' +
    'finger; from the keyboard, the arrow keys move the pen, Space lifts or lowers it, Delete clears" width="' +
    PAD +
    '" height="' +
    PAD +
    '" style="border:2px solid #333;background:#000;touch-action:none;cursor:crosshair;max-width:100%"></canvas>' +
    '<br><button data-testid="digit-clear" type="button">clear</button> <span style="font-size:12px">draw one ' +
    "digit, large, in the middle</span></div>" +
    '<div><div style="font-size:14px">prediction</div><output data-testid="digit-prediction" aria-live="polite" ' +
    'style="font-size:64px;font-weight:bold;display:block;min-width:60px"></output>' +
    '<div class="dd-top" aria-live="polite" style="font-size:13px;white-space:pre"></div>' +
    '<div style="font-size:12px;margin-top:8px">the input, as the model sees it (28 x 28)</div><canvas ' +
    'class="dd-input" width="28" height="28" style="width:112px;height:112px;image-rendering:pixelated;border:1px ' +
    'solid #ccc"></canvas></div>' +
    '<div><div style="font-size:12px">z1, the hidden layer\'s input (' +
    h / 8 +
    ' x 8)</div><canvas class="dd-z1" width="8" height="' +
    Math.ceil(h / 8) +
    '" style="width:96px;height:' +
    Math.ceil(h / 8) * 12 +
    'px;image-rendering:pixelated;border:1px solid #ccc"></canvas></div>' +
    '<div><div style="font-size:12px">a1 x p, its output</div><canvas class="dd-a1" width="8" height="' +
    Math.ceil(h / 8) +
    '" style="width:96px;height:' +
    Math.ceil(h / 8) * 12 +
    'px;image-rendering:pixelated;border:1px solid #ccc"></canvas></div>' +
    "</div>";
  var pad = root.querySelector("[data-testid=digit-pad]"),
    out = root.querySelector("[data-testid=digit-prediction]"),
    top = root.querySelector(".dd-top");
  var pctx = pad.getContext("2d"),
    w1,
    b1,
    w2,
    b2;

  function classify(x) {
    // x: 784 values as the model takes them; returns the prediction and the layers
    var z1 = new Float64Array(h),
      a1 = new Float64Array(h),
      z2 = new Float64Array(K),
      p = new Float64Array(K);
    for (var j = 0; j < h; j++) z1[j] = b1[j];
    for (var i = 0; i < N; i++) {
      var v = data.unitPixels ? x[i] / 255 : x[i];
      if (v === 0) continue; // an unlit pixel adds nothing
      for (var j2 = 0, row = i * h; j2 < h; j2++) z1[j2] += v * w1[row + j2];
    }
    for (var j3 = 0; j3 < h; j3++) a1[j3] = (z1[j3] > 0 ? z1[j3] : 0) * data.keepProb;
    for (var k = 0; k < K; k++) z2[k] = b2[k];
    for (var j4 = 0; j4 < h; j4++) if (a1[j4] !== 0) for (var k2 = 0; k2 < K; k2++) z2[k2] += a1[j4] * w2[j4 * K + k2];
    var max = z2[0],
      sum = 0,
      best = 0;
    for (var k3 = 1; k3 < K; k3++) if (z2[k3] > max) max = z2[k3];
    for (var k4 = 0; k4 < K; k4++) {
      p[k4] = Math.exp(z2[k4] - max);
      sum += p[k4];
    }
    for (var k5 = 0; k5 < K; k5++) p[k5] /= sum;
    for (var k6 = 1; k6 < K; k6++) if (p[k6] > p[best]) best = k6; // the first largest, as lib/mlp/softmax.ts's argmax
    return { label: best, probabilities: Array.from(p), z1: z1, a1: a1 };
  }

  // MNIST's preparation of the pad's drawing: 784 grey levels 0..255 (null: nothing drawn).
  function prepare() {
    var img = pctx.getImageData(0, 0, PAD, PAD).data,
      x0 = PAD,
      y0 = PAD,
      x1 = -1,
      y1 = -1;
    for (var y = 0; y < PAD; y++)
      for (var x = 0; x < PAD; x++)
        if (img[(y * PAD + x) * 4 + 3] > 0) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
    if (x1 < 0) return null;
    var bw = x1 - x0 + 1,
      bh = y1 - y0 + 1,
      f = 20 / Math.max(bw, bh),
      tw = Math.max(1, Math.round(bw * f)),
      th = Math.max(1, Math.round(bh * f));
    var small = document.createElement("canvas");
    small.width = tw;
    small.height = th;
    var sctx = small.getContext("2d");
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = "high";
    sctx.drawImage(pad, x0, y0, bw, bh, 0, 0, tw, th);
    var s = sctx.getImageData(0, 0, tw, th).data,
      mass = 0,
      cx = 0,
      cy = 0;
    for (var yy = 0; yy < th; yy++)
      for (var xx = 0; xx < tw; xx++) {
        var g = s[(yy * tw + xx) * 4 + 3];
        mass += g;
        cx += g * xx;
        cy += g * yy;
      }
    var dx = Math.round(14 - cx / mass),
      dy = Math.round(14 - cy / mass),
      v = new Float64Array(N);
    for (var y2 = 0; y2 < th; y2++)
      for (var x2 = 0; x2 < tw; x2++) {
        var X = x2 + dx,
          Y = y2 + dy;
        if (X >= 0 && X < 28 && Y >= 0 && Y < 28) v[Y * 28 + X] = s[(y2 * tw + x2) * 4 + 3];
      }
    return v;
  }

  function paint(canvas, values, rgb) {
    var c = canvas.getContext("2d"),
      img = c.createImageData(canvas.width, canvas.height);
    for (var i = 0; i < canvas.width * canvas.height; i++) {
      var col = i < values.length ? rgb(values[i]) : [255, 255, 255];
      img.data[i * 4] = col[0];
      img.data[i * 4 + 1] = col[1];
      img.data[i * 4 + 2] = col[2];
      img.data[i * 4 + 3] = 255;
    }
    c.putImageData(img, 0, 0);
  }
  function maxAbs(a) {
    var m = 0;
    for (var i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
    return m || 1;
  }

  var pending = false;
  function update() {
    pending = false;
    var x = prepare();
    if (!x) {
      out.textContent = "";
      top.textContent = "";
      root.dataset.prediction = "";
      return;
    }
    var r = classify(x),
      m = maxAbs(r.z1);
    out.textContent = String(r.label);
    root.dataset.prediction = String(r.label);
    top.textContent = r.probabilities
      .map(function (p, k) {
        return [p, k];
      })
      .sort(function (a, b) {
        return b[0] - a[0];
      })
      .slice(0, 3)
      .map(function (e) {
        return e[1] + ": " + e[0].toFixed(3);
      })
      .join("\n");
    paint(root.querySelector(".dd-input"), x, function (g) {
      return [255 - g, 255 - g, 255 - g];
    });
    paint(root.querySelector(".dd-z1"), r.z1, function (v) {
      var t = Math.max(-1, Math.min(1, v / m));
      return t >= 0 ? [255, 255 * (1 - t), 255 * (1 - t)] : [255 * (1 + t), 255 * (1 + t), 255];
    });
    paint(root.querySelector(".dd-a1"), r.a1, function (v) {
      var t = Math.min(1, v / (m * data.keepProb));
      return [255, 255 * (1 - t), 255 * (1 - t)];
    });
  }
  function later() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(update);
    }
  }

  var drawing = false,
    last = null;
  function at(e) {
    var r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * PAD) / r.width, ((e.clientY - r.top) * PAD) / r.height];
  }
  function stroke(p) {
    pctx.strokeStyle = "#fff";
    pctx.fillStyle = "#fff";
    pctx.lineWidth = 20;
    pctx.lineCap = "round";
    pctx.lineJoin = "round";
    pctx.beginPath();
    if (last) {
      pctx.moveTo(last[0], last[1]);
      pctx.lineTo(p[0], p[1]);
      pctx.stroke();
    } else {
      pctx.arc(p[0], p[1], 10, 0, 2 * Math.PI);
      pctx.fill();
    }
    last = p;
    later();
  }
  pad.addEventListener("mousedown", function (e) {
    drawing = true;
    last = null;
    stroke(at(e));
  });
  pad.addEventListener("mousemove", function (e) {
    if (drawing) stroke(at(e));
  });
  window.addEventListener("mouseup", function () {
    drawing = false;
    last = null;
  });
  pad.addEventListener(
    "touchstart",
    function (e) {
      e.preventDefault();
      drawing = true;
      last = null;
      stroke(at(e.touches[0]));
    },
    { passive: false },
  );
  pad.addEventListener(
    "touchmove",
    function (e) {
      e.preventDefault();
      if (drawing) stroke(at(e.touches[0]));
    },
    { passive: false },
  );
  pad.addEventListener("touchend", function () {
    drawing = false;
    last = null;
  });
  root.querySelector("[data-testid=digit-clear]").addEventListener("click", function () {
    pctx.clearRect(0, 0, PAD, PAD);
    later();
  });
  // The keyboard's pen: arrows move it (Shift: finer), Space lowers or lifts it, Delete clears.
  var pen = [PAD / 2, PAD / 4],
    down = false;
  pad.addEventListener("keydown", function (e) {
    var step = e.shiftKey ? 4 : 14,
      move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (move) {
      pen = [Math.max(0, Math.min(PAD, pen[0] + move[0])), Math.max(0, Math.min(PAD, pen[1] + move[1]))];
      if (down) stroke(pen);
    } else if (e.key === " ") {
      down = !down;
      last = null;
      if (down) stroke(pen);
    } else if (e.key === "Delete" || e.key === "Backspace") {
      pctx.clearRect(0, 0, PAD, PAD);
      later();
    } else return;
    e.preventDefault();
  });

  var bin = atob(data.weights),
    bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")))
    .arrayBuffer()
    .then(function (buf) {
      var all = new Float32Array(buf),
        o = 0;
      w1 = all.subarray(o, (o += N * h));
      b1 = all.subarray(o, (o += h));
      w2 = all.subarray(o, (o += h * K));
      b2 = all.subarray(o, (o += K));
      root.digitPad = {
        classify: function (x) {
          var r = classify(x);
          return { label: r.label, probabilities: r.probabilities };
        },
      };
      root.dataset.ready = "2";
    });
}
