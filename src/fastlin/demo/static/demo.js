// fastlin linear classifier demo: the page. It draws and asks; the server computes.
// Every number shown comes from the JSON API (/api/...): losses, gradients, updates, regions.
"use strict";

const COLORS = ["#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1",
                "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"];
const OPT_COLORS = {sgd: "#4e79a7", momentum: "#f28e2b", nesterov: "#e15759",
                    adagrad: "#76b7b2", rmsprop: "#59a14f", adam: "#b07aa1"};
const FORMULAS = {  // HTML
  weston_watkins: "L<sub>i</sub> = &sum;<sub>j&ne;y<sub>i</sub></sub> max(0, s<sub>j</sub> &minus; s<sub>y<sub>i</sub></sub> + 1)",
  one_vs_all: "L<sub>i</sub> = &sum;<sub>j</sub> max(0, 1 &minus; t<sub>j</sub> s<sub>j</sub>), &nbsp;t<sub>j</sub> = +1 if j = y<sub>i</sub>, else &minus;1",
  crammer_singer: "L<sub>i</sub> = max(0, max<sub>j&ne;y<sub>i</sub></sub> s<sub>j</sub> &minus; s<sub>y<sub>i</sub></sub> + 1)",
  softmax: "L<sub>i</sub> = &minus;log( e<sup>s<sub>y<sub>i</sub></sub></sup> / &sum;<sub>j</sub> e<sup>s<sub>j</sub></sup> )",
};
const EXTENT = [-1.25, 1.25, -1.25, 1.25];  // xmin, xmax, ymin, ymax of the view
const GRID = 173;                           // region cells per side

const $ = (id) => document.getElementById(id);
const S = {
  config: null, X: [], y: [], C: 3, W: [], b: [], t: 0, optState: null,
  ev: null, history: [], path: [], race: null, seed: 1, dataSeed: 0,
  transform: "none", running: false, runGen: 0, looping: false, busy: false, dirty: false, drag: -1, hover: -1,
};
window.fastlinDemo = S;  // for scripting and tests: the page's state

// ---------------------------------------------------------------- helpers
function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(5)));
}
function fmtParam(v) { return (Math.round(v * 1000) / 1000).toString(); }
function tenTo(el) { return Math.pow(10, parseFloat(el.value)); }
function stepSize() { return tenTo($("step-size")); }
function reg() { const el = $("reg"); return el.value === el.min ? 0 : tenTo(el); }
function batchSize() { const v = $("batch-size").value; return v === "" ? null : parseInt(v, 10); }
function features() { return S.config.transforms[S.transform]; }
function tint(hex, amount) {  // mix with white
  const n = parseInt(hex.slice(1), 16);
  const c = [n >> 16, (n >> 8) & 255, n & 255].map((v) => Math.round(v + (255 - v) * amount));
  return c;
}

function showError(msg) {
  const el = $("error");
  if (!msg) { el.hidden = true; return; }
  el.textContent = msg;
  el.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { el.hidden = true; }, 6000);
}

async function api(name, body) {
  const r = await fetch("/api/" + name, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const out = await r.json();
  if (!r.ok) {
    const msg = (out.field ? out.field + ": " : "") + out.error;
    showError(msg);
    throw new Error(msg);
  }
  return out;
}

function problem(withGrid) {
  const p = {X: S.X, y: S.y, W: S.W, b: S.b, loss: $("loss-type").value, reg: reg(),
             transform: S.transform};
  if (withGrid) {
    p.grid = {xmin: EXTENT[0], xmax: EXTENT[1], ymin: EXTENT[2], ymax: EXTENT[3], nx: GRID, ny: GRID};
  }
  return p;
}

// ---------------------------------------------------------------- server round trips
// One evaluation in flight at a time; changes made meanwhile are sent when it returns.
async function refresh() {
  if (S.busy) { S.dirty = true; return; }
  S.busy = true;
  try {
    do {
      S.dirty = false;
      const sent = S.W;
      S.ev = await api("evaluate", problem(true));
      if (S.W !== sent) S.dirty = true;  // an update landed meanwhile: evaluate its result
    } while (S.dirty);
    render();
  } catch (e) { /* shown by api() */ } finally { S.busy = false; }
}

// Updates run one after another (a click during a run waits its turn).
let stepChain = Promise.resolve();
function step() {
  const p = stepChain.then(stepOnce);
  stepChain = p.catch(() => {});
  return p;
}

async function stepOnce() {
  const body = Object.assign(problem(true), {
    optimizer: $("optimizer").value, step_size: stepSize(), batch_size: batchSize(),
    steps: 1, t: S.t, state: S.optState, seed: S.seed,
  });
  const r = await api("step", body);
  S.W = r.W; S.b = r.b; S.t = r.t; S.optState = r.state; S.ev = r;
  if (r.diverged) {
    showError("the update diverged (a parameter left ±1e6): lower the step size");
    stopRun();
  }
  S.history.push(r.total_loss);
  pushPath();
  render();
  scheduleSurface();
}

function resetRun() {
  S.t = 0; S.optState = null; S.history = []; S.race = null; S.path = [];
  $("race-legend").textContent = "";
}

// Changes of data or parameter shapes wait for the update in flight, then resume a run.
async function paused(fn) {
  const wasRunning = S.running;
  stopRun();
  await stepChain;
  try { await fn(); } finally { if (wasRunning) startRun(); }
}

async function loadDataset(newSeed) {
  if (newSeed) S.dataSeed += 1;
  const name = $("dataset").value;
  $("num-classes").disabled = name === "default" || name === "xor";
  const d = await api("dataset", {name, num_classes: parseInt($("num-classes").value, 10),
                                  num_points: 90, seed: S.dataSeed});
  await initParams(name === "default" && $("transform").value === "none", d);
}

// New parameters (the original's, or random) for the current transform, and new data when
// given; the page's state changes all at once, so that no request mixes old and new shapes.
async function initParams(original, data) {
  const transform = $("transform").value;
  const C = data ? data.num_classes : S.C;
  let W, b;
  if (original && C === 3) {
    W = S.config.original.W.map((r) => r.slice()); b = S.config.original.b.slice();
  } else {
    S.seed += 1;
    ({W, b} = await api("init", {num_classes: C, transform, scale: 1.0, seed: S.seed}));
  }
  if (data) { S.X = data.X; S.y = data.y; S.C = C; }
  S.W = W; S.b = b; S.transform = transform;
  resetRun();
  buildParamsTable();
  buildPointClass();
  buildSurfacePickers();
  await refresh();
  pushPath();
  scheduleSurface();
}

// ---------------------------------------------------------------- run loop
// One loop per press of Run: a loop whose generation is stale stops at its next turn.
async function runLoop(gen) {
  let count = 0, t0 = performance.now();
  S.looping = true;
  while (S.running && gen === S.runGen) {
    try { await step(); } catch (e) { stopRun(); break; }
    count += 1;
    const dt = (performance.now() - t0) / 1000;
    if (dt > 0.5) {
      S.updatesPerSecond = count / dt;
      $("ups").textContent = S.updatesPerSecond.toFixed(0) + " updates/s";
      count = 0; t0 = performance.now();
    }
    await new Promise((r) => setTimeout(r, 0));  // let the browser paint and handle input
  }
  if (gen !== S.runGen) return;
  S.looping = false;
  render();
  scheduleSurface();
}
function startRun() {
  if (S.running) return;
  S.running = true;
  S.runGen += 1;
  $("run").textContent = "■ Stop"; $("run").classList.add("running");
  runLoop(S.runGen);
}
function stopRun() {
  S.running = false;
  $("run").textContent = "▶ Run"; $("run").classList.remove("running");
}

// ---------------------------------------------------------------- main view
const plot = $("plot");
const pctx = plot.getContext("2d");
const regionCanvas = document.createElement("canvas");
regionCanvas.width = GRID; regionCanvas.height = GRID;

function toPx(x, y) {
  return [(x - EXTENT[0]) / (EXTENT[1] - EXTENT[0]) * plot.width,
          (EXTENT[3] - y) / (EXTENT[3] - EXTENT[2]) * plot.height];
}
function fromPx(px, py) {
  return [EXTENT[0] + px / plot.width * (EXTENT[1] - EXTENT[0]),
          EXTENT[3] - py / plot.height * (EXTENT[3] - EXTENT[2])];
}

function drawRegions() {
  const g = S.ev && S.ev.regions;
  if (!g) return;
  const rctx = regionCanvas.getContext("2d");
  const img = rctx.createImageData(g.nx, g.ny);
  const tints = COLORS.map((c) => tint(c, 0.72));
  for (let k = 0; k < g.labels.length; k++) {
    const c = tints[g.labels.charCodeAt(k) - 48];
    img.data[4 * k] = c[0]; img.data[4 * k + 1] = c[1]; img.data[4 * k + 2] = c[2];
    img.data[4 * k + 3] = 255;
  }
  rctx.putImageData(img, 0, 0);
  pctx.imageSmoothingEnabled = true;
  pctx.drawImage(regionCanvas, 0, 0, plot.width, plot.height);
}

function drawAxes() {
  pctx.save();
  pctx.strokeStyle = "rgba(0,0,0,0.08)";
  pctx.lineWidth = 1;
  for (let v = -1; v <= 1.001; v += 0.5) {
    const [x0, y0] = toPx(v, EXTENT[2]), [x1, y1] = toPx(v, EXTENT[3]);
    pctx.beginPath(); pctx.moveTo(x0, y0); pctx.lineTo(x1, y1); pctx.stroke();
    const [a0, b0] = toPx(EXTENT[0], v), [a1, b1] = toPx(EXTENT[1], v);
    pctx.beginPath(); pctx.moveTo(a0, b0); pctx.lineTo(a1, b1); pctx.stroke();
  }
  pctx.strokeStyle = "rgba(0,0,0,0.25)";
  const [ox, oy] = toPx(0, 0);
  pctx.beginPath(); pctx.moveTo(ox, 0); pctx.lineTo(ox, plot.height); pctx.stroke();
  pctx.beginPath(); pctx.moveTo(0, oy); pctx.lineTo(plot.width, oy); pctx.stroke();
  pctx.restore();
}

// Each class's zero-score line w·x + b = 0 and an arrow along w (only where the features are
// the plane itself; with a transform the regions show the curved boundaries).
function drawWeightLines() {
  if (S.transform !== "none") return;
  for (let c = 0; c < S.C; c++) {
    const [w0, w1] = S.W[c], bc = S.b[c];
    const n2 = w0 * w0 + w1 * w1;
    if (n2 < 1e-12) continue;
    const px = -bc * w0 / n2, py = -bc * w1 / n2;  // the line's point nearest the origin
    const far = 10;
    const [ax, ay] = toPx(px - w1 * far, py + w0 * far), [bx, by] = toPx(px + w1 * far, py - w0 * far);
    pctx.save();
    pctx.strokeStyle = COLORS[c]; pctx.lineWidth = 2;
    pctx.beginPath(); pctx.moveTo(ax, ay); pctx.lineTo(bx, by); pctx.stroke();
    const n = Math.sqrt(n2), len = 0.3;
    const [sx, sy] = toPx(px, py), [ex, ey] = toPx(px + w0 / n * len, py + w1 / n * len);
    pctx.beginPath(); pctx.moveTo(sx, sy); pctx.lineTo(ex, ey); pctx.stroke();
    const ang = Math.atan2(ey - sy, ex - sx);
    pctx.fillStyle = COLORS[c];
    pctx.beginPath();
    pctx.moveTo(ex, ey);
    pctx.lineTo(ex - 10 * Math.cos(ang - 0.4), ey - 10 * Math.sin(ang - 0.4));
    pctx.lineTo(ex - 10 * Math.cos(ang + 0.4), ey - 10 * Math.sin(ang + 0.4));
    pctx.closePath(); pctx.fill();
    pctx.restore();
  }
}

function drawPoints() {
  const pred = S.ev ? S.ev.pred : null;
  const r = S.X.length > 400 ? 3 : 6;
  for (let i = 0; i < S.X.length; i++) {
    const [px, py] = toPx(S.X[i][0], S.X[i][1]);
    pctx.beginPath();
    pctx.arc(px, py, i === S.drag || i === S.hover ? r + 3 : r, 0, 2 * Math.PI);
    pctx.fillStyle = COLORS[S.y[i]];
    pctx.fill();
    const wrong = pred && pred[i] !== S.y[i];
    pctx.lineWidth = wrong ? 2.5 : 1.5;
    pctx.strokeStyle = wrong ? "#111" : "#fff";
    pctx.stroke();
  }
}

function drawPlot() {
  pctx.clearRect(0, 0, plot.width, plot.height);
  drawRegions();
  drawAxes();
  drawWeightLines();
  drawPoints();
}

function hitPoint(px, py) {
  let best = -1, bestD = 10 * 10;
  for (let i = 0; i < S.X.length; i++) {
    const [qx, qy] = toPx(S.X[i][0], S.X[i][1]);
    const d = (qx - px) ** 2 + (qy - py) ** 2;
    if (d < bestD) { best = i; bestD = d; }
  }
  return best;
}
function canvasXY(ev) {
  const rect = plot.getBoundingClientRect();
  return [(ev.clientX - rect.left) * plot.width / rect.width,
          (ev.clientY - rect.top) * plot.height / rect.height];
}
plot.addEventListener("mousedown", (ev) => {
  const [px, py] = canvasXY(ev);
  const i = hitPoint(px, py);
  if (i >= 0 && ev.shiftKey) {
    if (S.X.length > 1) {
      S.X.splice(i, 1); S.y.splice(i, 1); S.hover = -1;
      refresh(); scheduleSurface();
    }
    return;
  }
  if (i >= 0) { S.drag = i; return; }
  const limit = S.config.limits.points;
  if (S.X.length >= limit) { showError(`at most ${limit} points`); return; }
  S.X.push(fromPx(px, py).map((v) => Math.round(v * 1000) / 1000));
  S.y.push(parseInt($("point-class").value, 10));
  refresh();
  scheduleSurface();
});
plot.addEventListener("mousemove", (ev) => {
  if (S.drag >= 0) return;
  const i = hitPoint(...canvasXY(ev));
  if (i !== S.hover) setHover(i);
});
plot.addEventListener("mouseleave", () => setHover(-1));
window.addEventListener("mousemove", (ev) => {
  if (S.drag < 0) return;
  const [px, py] = canvasXY(ev);
  const [x, y] = fromPx(px, py);
  const clamp = (v) => Math.max(EXTENT[0], Math.min(EXTENT[1], v));
  S.X[S.drag] = [clamp(x), clamp(y)];
  refresh();
});
window.addEventListener("mouseup", () => {
  if (S.drag < 0) return;
  S.drag = -1;
  drawPlot();
  scheduleSurface();
});

// ---------------------------------------------------------------- parameters and losses
function buildParamsTable() {
  const names = features();
  const t = $("params-table");
  let html = "<thead><tr><th></th>" + names.map((n) => `<th>W·${n}</th>`).join("") +
             "<th>b</th></tr></thead><tbody>";
  for (let c = 0; c < S.C; c++) {
    html += `<tr><th><span class="swatch" style="background:${COLORS[c]}"></span>${c}</th>`;
    for (let d = 0; d < names.length; d++) {
      html += `<td><input type="number" step="0.1" min="-1e6" max="1e6" data-c="${c}" data-d="${d}" id="W-${c}-${d}"></td>`;
    }
    html += `<td><input type="number" step="0.1" min="-1e6" max="1e6" data-c="${c}" id="b-${c}"></td></tr>`;
  }
  html += "</tbody>";
  t.innerHTML = html;
  t.classList.toggle("compact", names.length > 2 || S.C > 4);
  t.querySelectorAll("input").forEach((inp) => inp.addEventListener("input", () => {
    const v = parseFloat(inp.value);
    if (!Number.isFinite(v)) return;
    const c = +inp.dataset.c;
    if (inp.dataset.d !== undefined) S.W[c][+inp.dataset.d] = v; else S.b[c] = v;
    S.t = 0; S.optState = null;  // the update rule starts over from the edited parameters
    pushPath();
    refresh();
    scheduleSurface();
  }));
}

function showParams() {
  for (let c = 0; c < S.C; c++) {
    S.W[c].forEach((v, d) => {
      const el = $(`W-${c}-${d}`);
      if (el && document.activeElement !== el) el.value = fmtParam(v);
    });
    const el = $(`b-${c}`);
    if (el && document.activeElement !== el) el.value = fmtParam(S.b[c]);
  }
}

function buildPointClass() {
  const sel = $("point-class");
  const keep = sel.value;
  sel.innerHTML = "";
  for (let c = 0; c < S.C; c++) sel.add(new Option(`class ${c}`, c));
  if (keep !== "" && +keep < S.C) sel.value = keep;
}

function setNumber(id, v) {
  const el = $(id);
  el.textContent = fmt(v);
  el.dataset.value = String(v);
}

function showLosses() {
  const e = S.ev;
  setNumber("loss-data", e.data_loss);
  setNumber("loss-reg", e.reg_loss);
  setNumber("loss-total", e.total_loss);
  setNumber("accuracy", e.accuracy);
  $("iteration").textContent = `iteration ${S.history.length}`;
}

// The table is built when its rows or columns change and otherwise only has its numbers
// replaced (rebuilding it at every update cost more than the update itself).
let tableKey = "";
function setText(el, text) { if (el.textContent !== text) el.textContent = text; }
function showTable() {
  const e = S.ev, n = e.scores.length, t = $("points-table");
  const key = `${n}:${S.C}:${S.y.slice(0, n).join(",")}`;
  if (key !== tableKey) {
    const swatch = (c) => `<span class="swatch" style="background:${COLORS[c]}"></span>`;
    let html = "<thead><tr><th>#</th><th>x</th><th>y</th><th>class</th>" +
      Array.from({length: S.C}, (_, c) => `<th>${swatch(c)}s${c}</th>`).join("") +
      "<th>loss</th></tr></thead><tbody>";
    for (let i = 0; i < n; i++) {
      html += `<tr data-i="${i}"><td>${i}</td><td></td><td></td><td>${swatch(S.y[i])}${S.y[i]}</td>` +
        Array.from({length: S.C}, (_, c) => `<td${c === S.y[i] ? ' class="correct"' : ""}></td>`).join("") +
        "<td></td></tr>";
    }
    t.innerHTML = html + "</tbody>";
    tableKey = key;
  }
  const rows = t.tBodies[0].rows;
  for (let i = 0; i < n; i++) {
    const row = rows[i], cells = row.cells;
    row.classList.toggle("wrong", e.pred[i] !== S.y[i]);
    row.classList.toggle("hover", i === S.hover);
    setText(cells[1], S.X[i][0].toFixed(2));
    setText(cells[2], S.X[i][1].toFixed(2));
    for (let c = 0; c < S.C; c++) setText(cells[4 + c], e.scores[i][c].toFixed(2));
    setText(cells[4 + S.C], e.point_losses[i].toFixed(3));
  }
  $("table-note").textContent = S.X.length > n
    ? `the first ${n} of ${S.X.length} points` : `${S.X.length} points · wrongly classified rows marked`;
}

// The plot, the parameters and the losses follow every update; while running, the table and
// the two small plots are redrawn at most 5 times a second (they cost more than an update).
let lastSlowRender = 0;
// A point under the mouse (on the plot or in the table) is marked in both.
function setHover(i) {
  S.hover = i;
  drawPlot();
  document.querySelectorAll("#points-table tr.hover").forEach((tr) => tr.classList.remove("hover"));
  const tr = document.querySelector(`#points-table tr[data-i="${i}"]`);
  if (tr) tr.classList.add("hover");
}

function render() {
  if (!S.ev) return;
  drawPlot();
  showParams();
  showLosses();
  const now = performance.now();
  if (!S.running || now - lastSlowRender > 200) {
    showTable();
    drawLossPlot();
    drawSurface();
    lastSlowRender = now;
  }
}

// ---------------------------------------------------------------- loss plot
function niceStep(raw) {  // 1, 2 or 5 times a power of ten, >= raw
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= raw * (1 - 1e-9));
}
const lossCanvas = $("loss-plot");
function drawLossPlot() {
  const ctx = lossCanvas.getContext("2d");
  const w = lossCanvas.width, h = lossCanvas.height, m = {l: 44, r: 10, t: 10, b: 22};
  ctx.clearRect(0, 0, w, h);
  const series = [];
  if (S.race) for (const [name, curve] of Object.entries(S.race.curves)) series.push({curve, color: OPT_COLORS[name], dash: [5, 3]});
  if (S.history.length) series.push({curve: S.history, color: "#1f2430", dash: [], offset: 1});
  if (!series.length) {
    ctx.fillStyle = "#9aa1ad"; ctx.font = "12px system-ui, sans-serif";
    ctx.fillText("press Step or Run", w / 2 - 48, h / 2);
    return;
  }
  let maxN = 1, hi = -Infinity, lo = Infinity;
  for (const s of series) {
    maxN = Math.max(maxN, s.curve.length - 1 + (s.offset || 0));
    for (const v of s.curve) { hi = Math.max(hi, v); lo = Math.min(lo, v); }
  }
  lo = Math.min(0, lo); if (hi <= lo) hi = lo + 1;
  const tick = niceStep((hi - lo) / 4);
  hi = Math.ceil(hi / tick - 1e-9) * tick;
  const X = (k) => m.l + k / maxN * (w - m.l - m.r);
  const Y = (v) => m.t + (1 - (v - lo) / (hi - lo)) * (h - m.t - m.b);
  ctx.strokeStyle = "#e3e5ea"; ctx.fillStyle = "#6b7280"; ctx.font = "11px system-ui, sans-serif";
  for (let v = Math.ceil(lo / tick) * tick; v <= hi + tick * 1e-6; v += tick) {
    ctx.beginPath(); ctx.moveTo(m.l, Y(v)); ctx.lineTo(w - m.r, Y(v)); ctx.stroke();
    ctx.fillText(fmt(Number(v.toPrecision(3))), 4, Y(v) + 4);
  }
  ctx.fillText("0", m.l - 3, h - 6); ctx.fillText(String(maxN), w - m.r - 20, h - 6);
  ctx.fillText("iteration", (w - m.l) / 2 + 10, h - 6);
  for (const s of series) {
    ctx.strokeStyle = s.color; ctx.lineWidth = s.dash.length ? 1.5 : 2; ctx.setLineDash(s.dash);
    ctx.beginPath();
    s.curve.forEach((v, k) => {
      const px = X(k + (s.offset || 0)), py = Y(v);
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

async function race() {
  const btn = $("race");
  btn.disabled = true;
  try {
    const r = await api("race", Object.assign(problem(false), {
      step_size: stepSize(), steps: 100, batch_size: batchSize(), seed: S.seed}));
    S.race = r;
    $("race-legend").innerHTML = Object.entries(r.curves).map(([name, c]) =>
      `<span><span class="swatch" style="background:${OPT_COLORS[name]}"></span>${name} <b>${fmt(c[c.length - 1])}</b>` +
      `${r.diverged[name] ? " (diverged)" : ""}</span>`).join("") +
      `<span>— dashed: 100 updates each from the current W, b; solid: this run</span>`;
    drawLossPlot();
  } catch (e) { /* shown */ } finally { btn.disabled = false; }
}

// ---------------------------------------------------------------- loss surface
const surfCanvas = $("surface");
function paramNames() {
  const out = [];
  for (let c = 0; c < S.C; c++) {
    for (let d = 0; d < S.W[c].length; d++) out.push(`W[${c},${d}]`);
  }
  for (let c = 0; c < S.C; c++) out.push(`b[${c}]`);
  return out;
}
function paramValue(name) {
  const m = /^W\[(\d+),(\d+)\]$/.exec(name);
  if (m) return S.W[+m[1]][+m[2]];
  return S.b[+/^b\[(\d+)\]$/.exec(name)[1]];
}
function buildSurfacePickers() {
  const names = paramNames();
  for (const [id, def] of [["surface-x", names[0]], ["surface-y", names[1]]]) {
    const sel = $(id);
    const keep = sel.value;
    sel.innerHTML = "";
    names.forEach((n) => sel.add(new Option(n, n)));
    sel.value = names.includes(keep) ? keep : def;
  }
  if ($("surface-x").value === $("surface-y").value) $("surface-y").value = names[1];
  S.path = [];
}
function pushPath() {
  if (!S.W.length) return;
  S.path.push([paramValue($("surface-x").value), paramValue($("surface-y").value)]);
  if (S.path.length > 2000) S.path.shift();
}

let surfaceTimer = null, surfaceBusy = false;
function scheduleSurface() {
  if (surfaceTimer) return;
  surfaceTimer = setTimeout(async () => {
    surfaceTimer = null;
    if (surfaceBusy) { scheduleSurface(); return; }
    surfaceBusy = true;
    try {
      S.surface = await api("surface", Object.assign(problem(false), {
        params: [$("surface-x").value, $("surface-y").value], span: 2.0, resolution: 25}));
      drawSurface();
    } catch (e) { /* shown */ } finally { surfaceBusy = false; }
  }, S.running ? 1000 : 60);
}

function surfaceColor(f) {  // f in [0, 1]: red (low) through pale yellow to blue (high)
  const stops = [[178, 24, 43], [239, 138, 98], [253, 219, 199], [247, 247, 247], [209, 229, 240], [103, 169, 207], [33, 102, 172]];
  const x = Math.max(0, Math.min(1, f)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), u = x - i;
  return stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * u));
}

// The heatmap of the last surface answer, drawn once per answer; the point and the path are
// drawn over it at every update.
function surfaceImage(s) {
  if (s.image) return s.image;
  const n = s.u.length;
  let lo = Infinity, hi = -Infinity;
  s.loss.forEach((row) => row.forEach((v) => { lo = Math.min(lo, v); hi = Math.max(hi, v); }));
  const tmp = document.createElement("canvas");
  tmp.width = n; tmp.height = n;
  const tctx = tmp.getContext("2d");
  const img = tctx.createImageData(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // log scale so that the valley shows; row i of the image is v[n-1-i] (v grows upwards)
      const f = Math.log1p(s.loss[n - 1 - i][j] - lo) / Math.log1p(hi - lo || 1);
      const c = surfaceColor(f);
      const k = 4 * (i * n + j);
      img.data[k] = c[0]; img.data[k + 1] = c[1]; img.data[k + 2] = c[2]; img.data[k + 3] = 255;
    }
  }
  tctx.putImageData(img, 0, 0);
  s.image = tmp;
  return tmp;
}

function drawSurface() {
  const ctx = surfCanvas.getContext("2d");
  const w = surfCanvas.width, h = surfCanvas.height, m = {l: 40, r: 8, t: 6, b: 24};
  ctx.clearRect(0, 0, w, h);
  const s = S.surface;
  if (!s) return;
  const n = s.u.length;
  const tmp = surfaceImage(s);
  const pw = w - m.l - m.r, ph = h - m.t - m.b;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, m.l, m.t, pw, ph);
  const u0 = s.u[0], u1 = s.u[n - 1], v0 = s.v[0], v1 = s.v[n - 1];
  const PX = (u) => m.l + (u - u0) / (u1 - u0) * pw, PY = (v) => m.t + (1 - (v - v0) / (v1 - v0)) * ph;
  ctx.save();
  ctx.beginPath(); ctx.rect(m.l, m.t, pw, ph); ctx.clip();
  if (S.path.length > 1) {
    ctx.strokeStyle = "#111"; ctx.lineWidth = 1.5;
    ctx.beginPath();
    S.path.forEach(([a, b], k) => { if (k === 0) ctx.moveTo(PX(a), PY(b)); else ctx.lineTo(PX(a), PY(b)); });
    ctx.stroke();
  }
  const cur = [paramValue(s.params[0]), paramValue(s.params[1])];
  ctx.fillStyle = "#111"; ctx.strokeStyle = "#fff"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.arc(PX(cur[0]), PY(cur[1]), 5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  ctx.restore();
  ctx.fillStyle = "#6b7280"; ctx.font = "11px system-ui, sans-serif";
  const short = (v) => String(Number(v.toPrecision(3)));
  ctx.textAlign = "left"; ctx.fillText(short(u0), m.l, h - 8);
  ctx.textAlign = "right"; ctx.fillText(short(u1), w - m.r, h - 8);
  ctx.textAlign = "center"; ctx.fillText(s.params[0], m.l + pw / 2, h - 8);
  ctx.textAlign = "right"; ctx.fillText(short(v1), m.l - 4, m.t + 10);
  ctx.fillText(short(v0), m.l - 4, h - m.b);
  ctx.textAlign = "left";
  ctx.save(); ctx.translate(12, m.t + ph / 2 + 16); ctx.rotate(-Math.PI / 2);
  ctx.fillText(s.params[1], 0, 0); ctx.restore();
}

// ---------------------------------------------------------------- follow the slope
async function gradcheck() {
  const r = await api("gradcheck", problem(false));
  const rows = r.entries.map((e) =>
    `<tr><td>${e.name}</td><td>${e.analytic.toFixed(6)}</td><td>${e.numeric.toFixed(6)}</td>` +
    `<td class="${e.rel_error > 1e-6 ? "bad" : ""}">${e.rel_error.toExponential(1)}</td></tr>`).join("");
  $("gradcheck-result").innerHTML =
    `<p>max relative error <b id="gradcheck-max">${r.max_rel_error.toExponential(2)}</b> ` +
    `(centred difference, h = ${r.h}); hinge kinks can make single entries disagree</p>` +
    `<table class="numbers"><thead><tr><th>parameter</th><th>analytic</th><th>numeric</th>` +
    `<th>rel. error</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function randomSearch() {
  const btn = $("random-search");
  btn.disabled = true;
  try {
    const r = await api("random-search", Object.assign(problem(false), {
      optimizer: $("optimizer").value, step_size: stepSize(), num_candidates: 1000, scale: 1.0,
      seed: S.seed}));
    const rs = r.random_search.loss, gd = r.gradient_descent.loss;
    $("random-search-result").innerHTML =
      `<p>From random starts (loss ${fmt(r.start_loss)}), ${r.num_candidates} loss evaluations each:</p>` +
      `<p>random search, best of ${r.num_candidates} tries: <b id="random-search-loss">${fmt(rs)}</b><br>` +
      `${r.gradient_descent.optimizer} descent, ${r.num_candidates} steps of ${fmt(r.gradient_descent.step_size)}: ` +
      `<b id="descent-loss">${fmt(gd)}</b>${r.gradient_descent.diverged ? " (diverged)" : ""}</p>`;
  } catch (e) { /* shown */ } finally { btn.disabled = false; }
}

// ---------------------------------------------------------------- wiring
function showSlider(id) {
  const v = id === "reg" ? reg() : stepSize();
  $(id + "-value").textContent = v === 0 ? "0" : fmt(v);
}

async function main() {
  S.config = await (await fetch("/api/config")).json();
  $("step").addEventListener("click", () => { step().catch(() => {}); });
  $("run").addEventListener("click", () => { if (S.running) stopRun(); else startRun(); });
  $("randomize").addEventListener("click", () => paused(() => initParams(false)));
  $("race").addEventListener("click", race);
  $("gradcheck").addEventListener("click", () => { gradcheck().catch(() => {}); });
  $("random-search").addEventListener("click", randomSearch);
  $("loss-type").addEventListener("change", () => {
    $("loss-formula").innerHTML = FORMULAS[$("loss-type").value];
    resetRun(); pushPath(); refresh(); scheduleSurface();
  });
  $("optimizer").addEventListener("change", () => { S.t = 0; S.optState = null; });
  for (const id of ["step-size", "reg"]) {
    $(id).addEventListener("input", () => {
      showSlider(id);
      if (id === "reg") { refresh(); scheduleSurface(); }
    });
    showSlider(id);
  }
  $("dataset").addEventListener("change", () => paused(() => loadDataset(false)));
  $("num-classes").addEventListener("change", () => paused(() => loadDataset(false)));
  $("new-data").addEventListener("click", () => paused(() => loadDataset(true)));
  $("transform").addEventListener("change", () => paused(() => initParams(
    $("dataset").value === "default" && $("transform").value === "none")));
  for (const id of ["surface-x", "surface-y"]) {
    $(id).addEventListener("change", () => { S.path = []; pushPath(); scheduleSurface(); });
  }
  $("loss-formula").innerHTML = FORMULAS[$("loss-type").value];
  $("points-table").addEventListener("mouseover", (ev) => {
    const tr = ev.target.closest("tr[data-i]");
    if (tr && +tr.dataset.i !== S.hover) setHover(+tr.dataset.i);
  });
  $("points-table").addEventListener("mouseleave", () => setHover(-1));
  await loadDataset(false);
  document.body.dataset.ready = "1";
}

main();
