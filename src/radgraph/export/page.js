(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("radgraph-data").textContent);
  var svg = document.getElementById("canvas");
  var panel = document.getElementById("details");
  var body = document.getElementById("detail-body");
  var search = document.getElementById("search");
  var matchesOut = document.getElementById("matches");
  var LINE = 14.4, SUB = 11, MARGIN = 4;  // Graphviz's line heights for 12 pt and 9 pt text

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
  function safeClass(s) { return String(s === undefined || s === null ? "" : s).replace(/[^a-z0-9-]/gi, ""); }

  var defs = svgEl("defs");
  var marker = svgEl("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto"});
  marker.appendChild(svgEl("path", {d: "M0,0 L10,5 L0,10 z", fill: "#6b7280"}));
  defs.appendChild(marker);
  svg.appendChild(defs);
  var viewport = svgEl("g", {id: "viewport"});
  var bandLayer = svgEl("g", {"class": "bands"});
  var edgeLayer = svgEl("g", {"class": "edges"});
  var nodeLayer = svgEl("g", {"class": "nodes"});
  viewport.appendChild(bandLayer);
  viewport.appendChild(edgeLayer);
  viewport.appendChild(nodeLayer);
  svg.appendChild(viewport);

  // ---- bands: one per seniority tier, where Graphviz put the cluster
  (data.bands || []).forEach(function (b) {
    var g = svgEl("g", {"class": "band band-" + safeClass(b.tier)});
    g.setAttribute("data-tier", b.tier);
    g.appendChild(svgEl("rect", {x: b.x, y: b.y, width: b.w, height: b.h, rx: 6}));
    var t = svgEl("text", {x: b.x + 8, y: b.y + 14});
    t.textContent = b.name;
    var rule = svgEl("tspan", {"class": "rule", x: b.x + 8, dy: 13});
    rule.textContent = b.rule;
    t.appendChild(rule);
    var title = svgEl("title");
    title.textContent = b.name + ": " + b.rule;
    g.appendChild(title);
    g.appendChild(t);
    bandLayer.appendChild(g);
  });

  // ---- nodes: boxes where Graphviz put them, the label in lines, how long to enter below
  var byId = {};
  data.nodes.forEach(function (n) {
    var cls = "node kind-" + safeClass(n.kind) + (n.onPath ? " on-path" : "") + (n.center ? " center" : "");
    var g = svgEl("g", {"class": cls, tabindex: 0, role: "button",
      transform: "translate(" + (n.x - n.w / 2) + "," + (n.y - n.h / 2) + ")"});
    g.setAttribute("data-id", n.id);
    var sub = (n.sub || []).join(" ");
    g.setAttribute("aria-label", n.label + (sub ? ", " + sub : ""));
    var title = svgEl("title");
    title.textContent = n.label + (sub ? " (" + sub + ")" : "");
    g.appendChild(title);
    g.appendChild(svgEl("rect", {rx: 7, ry: 7, width: n.w, height: n.h}));
    var lines = (n.lines && n.lines.length ? n.lines : [n.label]).map(function (t) { return [t, LINE, "name"]; })
      .concat((n.sub || []).map(function (t) { return [t, SUB, "sub"]; }));
    var total = lines.reduce(function (h, l) { return h + l[1]; }, 0);
    var squeeze = Math.min(1, (n.h - 2) / total);  // Graphviz's box is a little tighter than a browser's lines
    lines.forEach(function (l) { l[1] *= squeeze; });
    total *= squeeze;
    var y = n.h / 2 - total / 2;
    lines.forEach(function (l) {
      var t = svgEl("text", {x: n.w / 2, y: y + l[1] / 2, "text-anchor": "middle", "dominant-baseline": "central",
        "class": l[2]});
      t.textContent = l[0];
      g.appendChild(t);
      y += l[1];
    });
    nodeLayer.appendChild(g);
    n.g = g;
    n.edges = [];
    byId[n.id] = n;
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectNode(n); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectNode(n); }
    });
  });

  // ---- edges: Graphviz's splines (cubic Bezier pieces), then the arrow to where it ends
  function splinePath(points, head) {
    if (!points.length) { return ""; }
    var d = "M" + points[0][0] + "," + points[0][1];
    for (var i = 1; i + 2 < points.length; i += 3) {
      d += " C" + points[i][0] + "," + points[i][1] + " " + points[i + 1][0] + "," + points[i + 1][1] +
        " " + points[i + 2][0] + "," + points[i + 2][1];
    }
    if (head) { d += " L" + head[0] + "," + head[1]; }
    return d;
  }
  data.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target];
    if (!a || !b) { return; }
    var d = splinePath(e.points || [], e.head);
    if (!d) {  // no route from the layout: a straight line between the boxes' centres
      d = "M" + a.x + "," + a.y + " L" + b.x + "," + b.y;
    }
    var g = svgEl("g", {"class": "edge dir-" + safeClass(e.direction) + (e.onPath ? " on-path" : "")});
    g.setAttribute("data-source", e.source);
    g.setAttribute("data-target", e.target);
    var title = svgEl("title");
    title.textContent = a.label + " \u2192 " + b.label + (e.label ? ": " + e.label : "");
    var hit = svgEl("path", {"class": "hit", d: d});
    var line = svgEl("path", {"class": "line", d: d, "marker-end": "url(#arrow)"});
    g.appendChild(title);
    g.appendChild(hit);
    g.appendChild(line);
    if (e.label) {
      var mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
      try { mid = line.getPointAtLength(line.getTotalLength() / 2); } catch (err) { /* not rendered yet */ }
      var label = svgEl("text", {"class": "elabel", x: mid.x + 4, y: mid.y, "dominant-baseline": "central"});
      label.textContent = e.label;
      g.appendChild(label);
    }
    edgeLayer.appendChild(g);
    e.g = g;
    a.edges.push(e);
    b.edges.push(e);
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectEdge(e); });
  });

  // ---- pan and zoom: mouse, wheel, buttons, one finger to pan, two to pinch
  var view = {x: 0, y: 0, k: 1};
  function apply() { viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
  function size() { return {w: svg.clientWidth || 800, h: svg.clientHeight || 600}; }
  function zoomAt(px, py, factor) {
    var k = Math.min(6, Math.max(0.02, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    var s = size();
    var W = (data.width || 1) + 2 * MARGIN, H = (data.height || 1) + 2 * MARGIN;
    var k = Math.min(2, s.w / W, s.h / H);
    view.k = k;
    view.x = (s.w - data.width * k) / 2;
    view.y = (s.h - data.height * k) / 2;
    apply();
  }
  function centerOn(n) {
    var s = size();
    view.k = Math.max(view.k, 1);
    view.x = s.w / 2 - n.x * view.k;
    view.y = s.h / 2 - n.y * view.k;
    apply();
  }
  var pointers = {};
  var gesture = null;
  function startGesture() {
    var ids = Object.keys(pointers);
    if (ids.length === 1) {
      var p = pointers[ids[0]];
      gesture = {pan: true, x: p.x, y: p.y, vx: view.x, vy: view.y};
    } else if (ids.length >= 2) {
      var p1 = pointers[ids[0]], p2 = pointers[ids[1]];
      gesture = {pan: false, dist: Math.hypot(p2.x - p1.x, p2.y - p1.y) || 1,
        cx: (p1.x + p2.x) / 2, cy: (p1.y + p2.y) / 2, vx: view.x, vy: view.y, k: view.k};
    } else {
      gesture = null;
    }
  }
  function local(ev) {
    var r = svg.getBoundingClientRect();
    return {x: ev.clientX - r.left, y: ev.clientY - r.top};
  }
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.pointerType === "mouse" && ev.target.closest && ev.target.closest(".node, .edge")) { return; }
    pointers[ev.pointerId] = local(ev);
    startGesture();
    svg.classList.add("dragging");
    if (svg.setPointerCapture) { try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ } }
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!gesture || !pointers[ev.pointerId]) { return; }
    pointers[ev.pointerId] = local(ev);
    var ids = Object.keys(pointers);
    if (gesture.pan) {
      var p = pointers[ids[0]];
      view.x = gesture.vx + p.x - gesture.x;
      view.y = gesture.vy + p.y - gesture.y;
    } else if (ids.length >= 2) {
      var p1 = pointers[ids[0]], p2 = pointers[ids[1]];
      var k = Math.min(6, Math.max(0.02, gesture.k * (Math.hypot(p2.x - p1.x, p2.y - p1.y) || 1) / gesture.dist));
      var cx = (p1.x + p2.x) / 2, cy = (p1.y + p2.y) / 2;
      view.x = cx - (gesture.cx - gesture.vx) * (k / gesture.k);
      view.y = cy - (gesture.cy - gesture.vy) * (k / gesture.k);
      view.k = k;
    }
    apply();
  });
  function endPointer(ev) {
    delete pointers[ev.pointerId];
    startGesture();
    if (!gesture) { svg.classList.remove("dragging"); }
  }
  svg.addEventListener("pointerup", endPointer);
  svg.addEventListener("pointercancel", endPointer);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = local(ev);
    zoomAt(p.x, p.y, Math.exp(-ev.deltaY * 0.0015));
  }, {passive: false});
  function zoomCenter(f) { var s = size(); zoomAt(s.w / 2, s.h / 2, f); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCenter(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCenter(0.8); });
  document.getElementById("fit").addEventListener("click", fit);

  // ---- details: a side panel, or a bottom sheet on a small screen
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
    clear(body);
    body.appendChild(htmlEl("h2", detail.heading));
    var dl = htmlEl("dl");
    (detail.facts || []).forEach(function (f) { dl.appendChild(htmlEl("dt", f[0])); dl.appendChild(htmlEl("dd", f[1])); });
    body.appendChild(dl);
    (detail.sections || []).forEach(function (s) {
      var section = htmlEl("section");
      section.className = "section";
      section.appendChild(htmlEl("h3", s.title));
      var ul = htmlEl("ul", null, "tree");
      s.items.forEach(function (t) { ul.appendChild(renderTree(t)); });
      section.appendChild(ul);
      body.appendChild(section);
    });
    panel.classList.add("open");
    panel.scrollTop = 0;
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
  document.getElementById("close").addEventListener("click", function () {
    panel.classList.remove("open");
    unselect();
  });

  // ---- search: every name a node has, ranked as `radgraph show` ranks them (exact matches first)
  function fold(s) { return String(s || "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim(); }
  data.nodes.forEach(function (n) {
    n.folded = (n.names || [[n.label], [], [n.id]]).map(function (rank) { return rank.map(fold); });
  });
  function score(n, q) {
    var best = null;
    n.folded.forEach(function (rank, i) {
      rank.forEach(function (name) {
        var s = null;
        if (name === q) { s = i; } else if (name.indexOf(q) === 0) { s = 3 + i; } else if (name.indexOf(q) >= 0) { s = 6 + i; }
        if (s !== null && (best === null || s < best)) { best = s; }
      });
    });
    return best;
  }
  function runSearch() {
    var q = fold(search.value);
    var found = [];
    data.nodes.forEach(function (n) {
      var s = q === "" ? null : score(n, q);
      n.g.classList.toggle("match", s !== null);
      n.g.classList.toggle("dim", q !== "" && s === null);
      if (s !== null) { found.push({n: n, s: s}); }
    });
    data.edges.forEach(function (e) { if (e.g) { e.g.classList.toggle("dim", q !== ""); } });
    found.sort(function (a, b) { return a.s - b.s || a.n.label.localeCompare(b.n.label); });
    matchesOut.textContent = q === "" ? "" : found.length + (found.length === 1 ? " match" : " matches");
    return found.map(function (f) { return f.n; });
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
  window.radgraphSearch = function (text) {  // what Enter does, for tests and the console
    search.value = text;
    var found = runSearch();
    if (found.length) { selectNode(found[0]); }
    return found.map(function (n) { return n.id; });
  };

  apply();
  fit();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "1");
})();
