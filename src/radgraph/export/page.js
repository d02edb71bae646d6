(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("radgraph-data").textContent);
  var svg = document.getElementById("canvas");
  var panel = document.getElementById("details");
  var search = document.getElementById("search");
  var matchesOut = document.getElementById("matches");
  var NODE_H = 30, V_GAP = 26, H_GAP = 150, PAD = 12;

  function svgEl(name, attrs) {
    var e = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function htmlEl(name, text, cls) {
    var e = document.createElement(name);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeClass(s) { return String(s || "").replace(/[^a-z0-9-]/gi, ""); }

  var defs = svgEl("defs");
  var marker = svgEl("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"});
  marker.appendChild(svgEl("path", {d: "M0,0 L10,5 L0,10 z", fill: "#6b7280"}));
  defs.appendChild(marker);
  svg.appendChild(defs);
  var viewport = svgEl("g", {id: "viewport"});
  var edgeLayer = svgEl("g", {"class": "edges"});
  var nodeLayer = svgEl("g", {"class": "nodes"});
  viewport.appendChild(edgeLayer);
  viewport.appendChild(nodeLayer);
  svg.appendChild(viewport);

  // ---- nodes: draw, measure, place in layers
  var byId = {};
  data.nodes.forEach(function (n) {
    var cls = "node kind-" + safeClass(n.kind) + (n.onPath ? " on-path" : "") + (n.center ? " center" : "");
    var g = svgEl("g", {"class": cls, tabindex: 0, role: "button"});
    g.setAttribute("data-id", n.id);
    g.setAttribute("aria-label", n.label);
    var title = svgEl("title");
    title.textContent = n.label;
    var rect = svgEl("rect", {rx: 7, ry: 7, height: NODE_H});
    var text = svgEl("text", {x: PAD, y: NODE_H / 2});
    text.textContent = n.label;
    g.appendChild(title);
    g.appendChild(rect);
    g.appendChild(text);
    nodeLayer.appendChild(g);
    var w = 0;
    try { w = text.getComputedTextLength(); } catch (e) { w = 0; }
    if (!w) { w = 7 * n.label.length; }
    n.w = Math.max(60, Math.ceil(w) + 2 * PAD);
    rect.setAttribute("width", n.w);
    n.g = g;
    n.edges = [];
    byId[n.id] = n;
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectNode(n); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectNode(n); }
    });
  });
  var layers = [];
  data.nodes.forEach(function (n) { (layers[n.layer] = layers[n.layer] || []).push(n); });
  var x = 0;
  layers.forEach(function (members) {
    if (!members) { return; }
    members.sort(function (a, b) { return a.order - b.order; });
    var width = Math.max.apply(null, members.map(function (n) { return n.w; }));
    var height = members.length * NODE_H + (members.length - 1) * V_GAP;
    members.forEach(function (n, i) {
      n.x = x + (width - n.w) / 2;
      n.y = -height / 2 + i * (NODE_H + V_GAP);
      n.g.setAttribute("transform", "translate(" + n.x + "," + n.y + ")");
    });
    x += width + H_GAP;
  });

  // ---- edges
  data.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target];
    if (!a || !b) { return; }
    var sx, sy = a.y + NODE_H / 2, tx, ty = b.y + NODE_H / 2, d;
    if (b.x > a.x + a.w) {
      sx = a.x + a.w; tx = b.x;
      var dx = Math.max(30, (tx - sx) / 2);
      d = "M" + sx + "," + sy + " C" + (sx + dx) + "," + sy + " " + (tx - dx) + "," + ty + " " + tx + "," + ty;
    } else {  // back or same-layer edge: loop out to the right of the source, in from the left of the target
      sx = a.x + a.w; tx = b.x;
      var bend = 60 + Math.abs(sy - ty) / 4;
      d = "M" + sx + "," + sy + " C" + (sx + bend) + "," + (sy - bend) + " " + (tx - bend) + "," + (ty - bend) + " " + tx + "," + ty;
    }
    var g = svgEl("g", {"class": "edge" + (e.onPath ? " on-path" : "")});
    g.setAttribute("data-source", e.source);
    g.setAttribute("data-target", e.target);
    var title = svgEl("title");
    title.textContent = a.label + " \u2192 " + b.label + (e.label ? ": " + e.label : "");
    var hit = svgEl("path", {"class": "hit", d: d});
    var line = svgEl("path", {"class": "line", d: d, "marker-end": "url(#arrow)"});
    g.appendChild(title);
    g.appendChild(hit);
    g.appendChild(line);
    if (e.short) {
      var label = svgEl("text", {"class": "elabel", x: (sx + tx) / 2, y: (sy + ty) / 2 - 4, "text-anchor": "middle"});
      label.textContent = e.short;
      g.appendChild(label);
    }
    edgeLayer.appendChild(g);
    e.g = g;
    a.edges.push(e);
    b.edges.push(e);
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectEdge(e); });
  });

  // ---- pan and zoom
  var view = {x: 0, y: 0, k: 1};
  function apply() { viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
  function zoomAt(px, py, factor) {
    var k = Math.min(4, Math.max(0.05, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    var box = viewport.getBBox();
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    if (!box.width || !box.height) { return; }
    var k = Math.min(2, 0.95 * Math.min(w / box.width, h / box.height));
    view.k = k;
    view.x = (w - box.width * k) / 2 - box.x * k;
    view.y = (h - box.height * k) / 2 - box.y * k;
    apply();
  }
  function centerOn(n) {
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    view.k = Math.max(view.k, 0.8);
    view.x = w / 2 - (n.x + n.w / 2) * view.k;
    view.y = h / 2 - (n.y + NODE_H / 2) * view.k;
    apply();
  }
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest && ev.target.closest(".node, .edge")) { return; }
    drag = {x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y};
    svg.classList.add("dragging");
    if (svg.setPointerCapture) { try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ } }
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    view.x = drag.vx + ev.clientX - drag.x;
    view.y = drag.vy + ev.clientY - drag.y;
    apply();
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-ev.deltaY * 0.0015));
  }, {passive: false});
  function zoomCenter(f) { zoomAt((svg.clientWidth || 800) / 2, (svg.clientHeight || 600) / 2, f); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCenter(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCenter(0.8); });
  document.getElementById("fit").addEventListener("click", fit);

  // ---- details panel
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function renderSources(sources, into) {
    (sources || []).forEach(function (s) {
      var q = htmlEl("blockquote", "\u201c" + s.quote + "\u201d");
      q.appendChild(htmlEl("cite", s.where));
      into.appendChild(q);
    });
  }
  function renderTree(t) {
    var li = htmlEl("li");
    if (t.op) { li.appendChild(htmlEl("span", t.text, "op")); } else { li.appendChild(htmlEl("span", t.text, "leaf")); }
    if (t.note) { li.appendChild(htmlEl("span", t.note, "note")); }
    renderSources(t.sources, li);
    if (t.children && t.children.length) {
      var ul = htmlEl("ul");
      t.children.forEach(function (c) { ul.appendChild(renderTree(c)); });
      li.appendChild(ul);
    }
    if (t.then) {
      li.appendChild(htmlEl("span", "which itself requires:", "then"));
      var sub = htmlEl("ul");
      sub.appendChild(renderTree(t.then));
      li.appendChild(sub);
    }
    return li;
  }
  function showDetail(detail) {
    clear(panel);
    panel.appendChild(htmlEl("h2", detail.heading));
    var dl = htmlEl("dl");
    (detail.facts || []).forEach(function (f) { dl.appendChild(htmlEl("dt", f[0])); dl.appendChild(htmlEl("dd", f[1])); });
    panel.appendChild(dl);
    (detail.sections || []).forEach(function (s) {
      var section = htmlEl("section");
      section.className = "section";
      section.appendChild(htmlEl("h3", s.title));
      var ul = htmlEl("ul", null, "tree");
      s.items.forEach(function (t) { ul.appendChild(renderTree(t)); });
      section.appendChild(ul);
      panel.appendChild(section);
    });
  }
  function unselect() {
    Array.prototype.forEach.call(document.querySelectorAll(".selected, .active"), function (el) {
      el.classList.remove("selected");
      el.classList.remove("active");
    });
  }
  function selectNode(n) {
    unselect();
    n.g.classList.add("selected");
    n.edges.forEach(function (e) { e.g.classList.add("active"); });
    showDetail(n.detail);
    panel.setAttribute("data-selected", n.id);
  }
  function selectEdge(e) {
    unselect();
    e.g.classList.add("selected");
    showDetail(e.detail);
    panel.setAttribute("data-selected", e.source + " -> " + e.target);
  }

  // ---- search
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    data.nodes.forEach(function (n) {
      var hit = q !== "" && (n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0);
      n.g.classList.toggle("match", hit);
      n.g.classList.toggle("dim", q !== "" && !hit);
      if (hit) { found.push(n); }
    });
    data.edges.forEach(function (e) { if (e.g) { e.g.classList.toggle("dim", q !== ""); } });
    matchesOut.textContent = q === "" ? "" : found.length + (found.length === 1 ? " match" : " matches");
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch();
      if (found.length) { selectNode(found[0]); centerOn(found[0]); }
    } else if (ev.key === "Escape") {
      search.value = "";
      runSearch();
    }
  });

  apply();
  fit();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "1");
})();
