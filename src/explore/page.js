// govlens explorer: the page's script, written for govlens (no library).
// It reads the run's data from the JSON element #govlens-data and draws four views:
// terms, frames, language versions and the map. The view's state lives in the URL
// fragment (#view=terms&lang=en&target=US&ref=(rest)&term=risk), so a view can be
// cited and reopened.
(function () {
  "use strict";
  var started = performance.now();
  var D = JSON.parse(document.getElementById("govlens-data").textContent);
  var REST = "(rest)";
  var SVGNS = "http://www.w3.org/2000/svg";

  // ---- small helpers ---------------------------------------------------------
  function h(tag, attrs) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function s(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    });
  }
  function add(e, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { add(e, x); });
    else e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function fmt(x, d) { return x === null || x === undefined || !isFinite(x) ? "–" : x.toFixed(d === undefined ? 2 : d); }
  function num(x) { return x === null || x === undefined ? "–" : x.toLocaleString("en"); }
  function option(value, label, selected) {
    return h("option", { value: value, selected: selected }, label);
  }
  function uniq(xs) { var seen = new Set(); return xs.filter(function (x) { return seen.has(x) ? false : (seen.add(x), true); }); }
  // A value of a JSON object by key, never one of Object.prototype's (a term or a
  // group may be called "constructor").
  function own(o, k) { return o !== null && o !== undefined && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
  function quote(x) { return "'" + String(x).replace(/'/g, "'\\''") + "'"; }
  // Width of a label in px at 11px (a Han character is about twice a Latin one).
  function textWidth(t) {
    var w = 0;
    for (var i = 0; i < t.length; i++) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(t[i]) ? 11 : 6.3;
    return w;
  }
  // Greedy labels: each (in priority order) goes right, left, above or below its
  // point, wherever it overlaps no label placed before and stays inside the plot;
  // a label with no free place is left out (its point still shows it on hover).
  function placeLabels(g, items, box) {
    var placed = [];
    items.forEach(function (it) {
      var w = textWidth(it.text), hgt = 12;
      var spots = [[it.x + 6, it.y + 4], [it.x - 6 - w, it.y + 4], [it.x - w / 2, it.y - 7], [it.x - w / 2, it.y + 15]];
      for (var k = 0; k < spots.length; k++) {
        var x = spots[k][0], y = spots[k][1];
        var r = { x0: x - 1, x1: x + w + 1, y0: y - hgt, y1: y + 3 };
        if (r.x0 < box[0] || r.x1 > box[2] || r.y0 < box[1] || r.y1 > box[3]) continue;
        var free = placed.every(function (p) { return r.x1 < p.x0 || r.x0 > p.x1 || r.y1 < p.y0 || r.y0 > p.y1; });
        if (!free) continue;
        placed.push(r);
        g.appendChild(s("text", { class: "lab", x: x.toFixed(1), y: y.toFixed(1), fill: it.fill || null, "pointer-events": "none" }, it.text));
        return;
      }
    });
  }
  var frameLabel = Object.create(null);
  D.frames.forEach(function (f) { frameLabel[f.id] = f.label; });
  function labelOf(id) { return frameLabel[id] || id; }

  // ---- statistics (as src/stats/measures.rs and statistics.md) ---------------
  function g2(a, b, n1, n2) {
    var n = n1 + n2;
    if (n1 <= 0 || n2 <= 0 || a + b <= 0) return 0;
    var e1 = n1 * (a + b) / n, e2 = n2 * (a + b) / n;
    var cells = [[a, e1], [b, e2], [n1 - a, n1 - e1], [n2 - b, n2 - e2]];
    var g = 0;
    cells.forEach(function (c) { if (c[0] > 0 && c[1] > 0) g += c[0] * Math.log(c[0] / c[1]); });
    g = Math.max(2 * g, 0);
    return a / n1 >= b / n2 ? g : -g;
  }
  function logOdds(a, b, n1, n2, a0, f, F) {
    var aw = a0 * f / F;
    var odds = function (y, n) { return Math.log((y + aw) / (n + a0 - y - aw)); };
    var delta = odds(a, n1) - odds(b, n2);
    return [delta, delta / Math.sqrt(1 / (a + aw) + 1 / (b + aw))];
  }

  // The comparison of a target group with a reference (REST or a group) in one
  // language: per shown term, a, b, n1, n2, rates, G2, log-odds and z.
  function compare(lang, target, ref) {
    var sp = own(D.terms, lang);
    var t = sp && own(sp.groups, target), r = ref === REST ? null : sp && own(sp.groups, ref);
    if (!t || (ref !== REST && !r)) return null;
    var n1 = t.tokens, n2 = r ? r.tokens : sp.tokens - t.tokens;
    // As keyness.parquet: no comparison where either side has no tokens.
    if (n1 <= 0 || n2 <= 0) return null;
    var rows = [];
    for (var i = 0; i < sp.terms.length; i++) {
      var a = t.counts[i], b = r ? r.counts[i] : sp.total[i] - a;
      if (a < D.meta.min_count && b < D.meta.min_count) continue;
      var lo = logOdds(a, b, n1, n2, n2, sp.total[i], sp.tokens);
      rows.push({ i: i, term: sp.terms[i], a: a, b: b, n1: n1, n2: n2,
        ra: a * 1e4 / n1, rb: n2 > 0 ? b * 1e4 / n2 : 0, g2: g2(a, b, n1, n2),
        lo: lo[0], z: lo[1], dp: t.dp[i], range: t.range[i], docs: cellOf(target, lang).docs });
    }
    return { rows: rows, n1: n1, n2: n2 };
  }
  function cellOf(group, lang) {
    for (var i = 0; i < D.cells.length; i++) if (D.cells[i].group === group && D.cells[i].lang === lang) return D.cells[i];
    return { docs: 0, tokens: 0 };
  }
  function groupsOf(lang) { return D.cells.filter(function (c) { return c.lang === lang; }).map(function (c) { return c.group; }); }
  var langs = uniq(D.cells.map(function (c) { return c.lang; }));

  // ---- state and the URL fragment --------------------------------------------
  var state = {};
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    var st = {};
    p.forEach(function (v, k) { st[k] = v; });
    return st;
  }
  function writeHash() {
    var p = new URLSearchParams();
    var keys = { terms: ["lang", "target", "ref", "term"], frames: ["frame", "group", "lang", "expr"],
      versions: ["work"], map: ["map"] }[state.view] || [];
    p.set("view", state.view);
    keys.forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    var hash = "#" + p.toString();
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function normalise(st) {
    var view = ["terms", "frames", "versions", "map"].indexOf(st.view) >= 0 ? st.view : "terms";
    var out = { view: view };
    var lang = langs.indexOf(st.lang) >= 0 ? st.lang : langs[0];
    if (view === "terms") {
      var groups = groupsOf(lang);
      out.lang = lang;
      out.target = groups.indexOf(st.target) >= 0 ? st.target : groups[0];
      out.ref = st.ref === REST || (groups.indexOf(st.ref) >= 0 && st.ref !== out.target) ? st.ref : REST;
      out.term = st.term || "";
    } else if (view === "frames") {
      out.frame = Object.prototype.hasOwnProperty.call(frameLabel, st.frame) ? st.frame : "";
      out.lang = lang;
      out.group = st.group && groupsOf(lang).indexOf(st.group) >= 0 ? st.group : "";
      out.expr = st.expr || "";
    } else if (view === "versions") {
      var works = D.versions.map(function (w) { return w.work; });
      out.work = works.indexOf(st.work) >= 0 ? st.work : works[0] || "";
    } else {
      out.map = st.map && D.maps[+st.map] ? st.map : "0";
    }
    return out;
  }
  // What has the focus, so that it can be given back once the view is drawn again.
  function focusKey() {
    var a = document.activeElement;
    if (!a || a === document.body) return null;
    if (a.id) return "#" + CSS.escape(a.id);
    var d = a.dataset || {}, keys = ["frame", "group", "lang", "term"].filter(function (k) { return d[k] !== undefined; });
    if (!keys.length) return null;
    return a.tagName.toLowerCase() + keys.map(function (k) { return "[data-" + k + '="' + CSS.escape(d[k]) + '"]'; }).join("");
  }
  function go(st) {
    var key = focusKey();
    state = normalise(st);
    writeHash();
    render();
    var again = key && (document.querySelector("#view-" + state.view + " " + key) || document.querySelector(key));
    if (again) again.focus();
  }

  // ---- the page's frame --------------------------------------------------------
  var app = document.getElementById("app");
  var tip = h("div", { id: "tip", hidden: true, role: "tooltip" });
  var views = { terms: "Terms", frames: "Frames", versions: "Language versions", map: "Map" };
  var tabs = {}, sections = {};
  var nav = h("nav", { role: "tablist", "aria-label": "views" });
  Object.keys(views).forEach(function (v) {
    tabs[v] = h("button", { role: "tab", id: "tab-" + v, "aria-controls": "view-" + v,
      onclick: function () { go(Object.assign({}, state, { view: v })); } }, views[v]);
    nav.appendChild(tabs[v]);
    sections[v] = h("section", { id: "view-" + v, role: "tabpanel", "aria-labelledby": "tab-" + v, hidden: true });
  });
  nav.addEventListener("keydown", function (ev) {
    var order = Object.keys(views), at = order.indexOf(state.view);
    if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
    var next = order[(at + (ev.key === "ArrowRight" ? 1 : order.length - 1)) % order.length];
    go(Object.assign({}, state, { view: next }));
    tabs[next].focus();
  });
  var m = D.meta;
  var notes = h("details", { class: "notes" }, h("summary", null, "What this page leaves out (" + D.notes.length + " notes)"),
    h("ul", null, D.notes.map(function (n) { return h("li", null, n); })));
  app.appendChild(h("header", null,
    h("h1", null, "govlens explorer"),
    h("p", { class: "meta" }, "govlens " + m.govlens_version + " · corpus " + m.corpus + " · grouped by " +
      m.group_by + " · lexicon " + m.lexicon + " · terms tested at ≥ " + m.min_count +
      (m.include_stopwords ? " (stopwords included)" : " (stopwords left out)")),
    notes, nav));
  var main = h("main", null);
  Object.keys(views).forEach(function (v) { main.appendChild(sections[v]); });
  app.appendChild(main);
  document.body.appendChild(tip);

  function showTip(ev, content) {
    clear(tip);
    add(tip, content);
    tip.hidden = false;
    var x = ev.clientX + 14, y = ev.clientY + 14;
    var w = tip.offsetWidth, hh = tip.offsetHeight;
    if (x + w > innerWidth - 4) x = ev.clientX - w - 10;
    if (y + hh > innerHeight - 4) y = ev.clientY - hh - 10;
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  function table(rows) {
    return h("table", null, rows.map(function (r) { return h("tr", null, h("td", null, r[0]), h("td", null, r[1])); }));
  }

  // A concordance line: source (title, document, unit) and the match marked.
  function kwicList(lines, extra) {
    if (!lines || !lines.length) return h("p", { class: "empty" }, "no lines");
    return h("ul", { class: "kwic" }, lines.map(function (l) {
      var d = D.docs[l[0]] || {};
      var attrs = { "data-doc": d.id, "data-group": d.group, "data-lang": d.lang };
      var more = typeof extra === "function" ? extra(l) : extra || {};
      Object.keys(more).forEach(function (k) { attrs[k] = more[k]; });
      return h("li", attrs,
        h("div", { class: "src" }, (d.title || d.id) + " · " + d.id + (d.year ? " · " + d.year : "") + (l[1] ? " · " + l[1] : "")),
        h("div", { class: "ctx" }, l[2] + gap(l[2], l[3]), h("mark", null, l[3]), gap(l[3], l[4]) + l[4]));
    }));
  }

  // The contexts are stored trimmed: a space between two words, none next to Han
  // text, a hyphen, an opening bracket or closing punctuation.
  function gap(before, after) {
    var a = before.slice(-1), b = after.charAt(0);
    if (!a || !b) return "";
    var cjk = /[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/;
    if (cjk.test(a) || cjk.test(b) || /[(\[{\/“‘]/.test(a) || /[)\]}\/.,;:!?%’”]/.test(b)) return "";
    // A hyphen joins only between word characters ("high-risk"), not as a dash.
    var word = /[\p{L}\p{N}]/u;
    if (/[-\u2010\u2011]/.test(a) && word.test(before.slice(-2, -1))) return "";
    if (/[-\u2010\u2011]/.test(b) && word.test(after.charAt(1))) return "";
    return " ";
  }

  function render() {
    Object.keys(views).forEach(function (v) {
      tabs[v].setAttribute("aria-selected", v === state.view ? "true" : "false");
      tabs[v].tabIndex = v === state.view ? 0 : -1;
      sections[v].hidden = v !== state.view;
    });
    hideTip();
    ({ terms: renderTerms, frames: renderFrames, versions: renderVersions, map: renderMap })[state.view](sections[state.view]);
  }

  // ---- terms ---------------------------------------------------------------------
  function colourOf(z) {
    var t = Math.min(Math.abs(z) / 4, 1);
    var from = [190, 192, 198], to = z > 0 ? [178, 54, 43] : [43, 98, 166];
    var c = from.map(function (v, k) { return Math.round(v + (to[k] - v) * t); });
    return "rgb(" + c.join(",") + ")";
  }
  function renderTerms(sec) {
    clear(sec);
    var lang = state.lang, groups = groupsOf(lang);
    var cmp = compare(lang, state.target, state.ref);
    var refName = state.ref === REST ? "the rest (" + lang + ")" : state.ref;
    var search = h("input", { id: "term-search", type: "search", list: "term-list", placeholder: "find a term", value: state.term,
      "aria-label": "find a term", onchange: function () { pick(this.value.trim()); },
      onkeydown: function (ev) { if (ev.key === "Enter") pick(this.value.trim()); } });
    var datalist = h("datalist", { id: "term-list" }, (D.terms[lang] || { terms: [] }).terms.slice(0, 3000).map(function (t) { return h("option", { value: t }); }));
    sec.appendChild(h("div", { class: "controls" },
      h("label", null, "language", h("select", { id: "terms-lang", onchange: function () { go({ view: "terms", lang: this.value }); } },
        langs.map(function (l) { return option(l, l, l === lang); }))),
      h("label", null, "target group", h("select", { id: "terms-target", onchange: function () { go(Object.assign({}, state, { target: this.value, ref: state.ref === this.value ? REST : state.ref })); } },
        groups.map(function (g) { return option(g, g, g === state.target); }))),
      h("label", null, "reference", h("select", { id: "terms-ref", onchange: function () { go(Object.assign({}, state, { ref: this.value })); } },
        [option(REST, "the rest of " + lang, state.ref === REST)].concat(groups.filter(function (g) { return g !== state.target; }).map(function (g) { return option(g, g, g === state.ref); })))),
      h("label", null, "term", search), datalist,
      h("span", { class: "legend" }, "colour: Fightin' Words z (red: ", h("b", null, state.target), "; blue: ", refName, ")")));
    if (!cmp) {
      sec.appendChild(h("p", { class: "empty" }, groupsOf(lang).length < 2 && state.ref === REST
        ? "Only one group in " + lang + ": there is no rest to compare it with."
        : "No comparison: a side has no tokens, or the language has no terms."));
      return;
    }
    function pick(term) { go(Object.assign({}, state, { term: term })); }

    // The scatter: rate per 10k in the reference (x) against the target (y), log scales.
    var W = 620, H = 560, L = 56, B = 44, T = 12, R = 16;
    var rows = cmp.rows;
    var floorA = 0.5 * 1e4 / Math.max(cmp.n1, 1), floorB = 0.5 * 1e4 / Math.max(cmp.n2, 1);
    var xs = rows.map(function (r) { return Math.log10(Math.max(r.rb, floorB)); });
    var ys = rows.map(function (r) { return Math.log10(Math.max(r.ra, floorA)); });
    var lo = Math.floor(Math.min(Math.min.apply(null, xs.concat([1])), Math.min.apply(null, ys.concat([1]))));
    var hi = Math.ceil(Math.max(Math.max.apply(null, xs.concat([0])), Math.max.apply(null, ys.concat([0]))));
    var X = function (v) { return L + (v - lo) / (hi - lo) * (W - L - R); };
    var Y = function (v) { return H - B - (v - lo) / (hi - lo) * (H - B - T); };
    var plot = s("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "terms of " + state.target + " against " + refName });
    plot.appendChild(s("title", null, "Terms: rate per 10,000 tokens in " + refName + " (x) and in " + state.target + " (y)"));
    for (var e = lo; e <= hi; e++) {
      plot.appendChild(s("line", { class: "grid", x1: X(e), x2: X(e), y1: T, y2: H - B }));
      plot.appendChild(s("line", { class: "grid", y1: Y(e), y2: Y(e), x1: L, x2: W - R }));
      var lab = Math.pow(10, e);
      var txt = lab >= 1 ? String(lab) : lab.toPrecision(1);
      plot.appendChild(s("text", { x: X(e), y: H - B + 14, "text-anchor": "middle" }, txt));
      plot.appendChild(s("text", { x: L - 6, y: Y(e) + 4, "text-anchor": "end" }, txt));
    }
    plot.appendChild(s("line", { class: "axis", x1: X(lo), y1: Y(lo), x2: X(hi), y2: Y(hi), "stroke-dasharray": "4 3" }));
    plot.appendChild(s("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle" }, "per 10,000 tokens in " + refName + " (log; absent drawn at half an occurrence)"));
    plot.appendChild(s("text", { transform: "translate(14," + (T + H - B) / 2 + ") rotate(-90)", "text-anchor": "middle" }, "per 10,000 tokens in " + state.target));
    var order = rows.map(function (_, k) { return k; }).sort(function (p, q) { return Math.abs(rows[p].z) - Math.abs(rows[q].z); });
    var byTerm = new Map();
    order.forEach(function (k) {
      var r = rows[k];
      byTerm.set(r.term, r);
      var c = s("circle", { class: "pt" + (r.term === state.term ? " sel" : ""), cx: X(xs[k]).toFixed(1), cy: Y(ys[k]).toFixed(1),
        r: r.term === state.term ? 5 : 3, fill: colourOf(r.z), "data-term": r.term });
      plot.appendChild(c);
    });
    var ranked = rows.slice().sort(function (p, q) { return q.z - p.z || (p.term < q.term ? -1 : 1); });
    var topT = ranked.slice(0, 25), topR = ranked.slice(-25).reverse();
    var labelled = [];
    for (var q = 0; q < 15; q++) [topT[q], topR[q]].forEach(function (r) { if (r && labelled.indexOf(r) < 0) labelled.push(r); });
    placeLabels(plot, labelled.map(function (r) {
      var k = rows.indexOf(r);
      return { x: X(xs[k]), y: Y(ys[k]), text: r.term };
    }), [L, T, W - R, H - B]);
    plot.addEventListener("mousemove", function (ev) {
      var t = ev.target.getAttribute && ev.target.getAttribute("data-term");
      if (!t) { hideTip(); return; }
      showTip(ev, termTip(byTerm.get(t), refName));
    });
    plot.addEventListener("mouseleave", hideTip);
    plot.addEventListener("click", function (ev) {
      var t = ev.target.getAttribute && ev.target.getAttribute("data-term");
      if (t) pick(t);
    });
    function list(title, items) {
      return h("div", null, h("h3", null, title), h("ol", null, items.map(function (r) {
        return h("li", null, h("button", { "data-term": r.term, onclick: function () { pick(r.term); } }, r.term), " ", h("span", { class: "z" }, "z " + fmt(r.z, 1)));
      })));
    }
    sec.appendChild(h("div", { class: "row" },
      h("div", { class: "card" }, plot, h("p", { class: "legend" }, rows.length + " terms of " + D.terms[lang].terms.length + " shown (" +
        D.terms[lang].tested + " tested in " + lang + "); hover for counts, click for lines")),
      h("div", { class: "card ranked" }, list("most " + state.target, topT), list("most " + refName, topR))));
    var panel = h("div", { id: "term-lines", class: "card" });
    sec.appendChild(panel);
    if (state.term) termLines(panel, state.term, byTerm.get(state.term), refName);
    else panel.appendChild(h("p", { class: "empty" }, "Click a term (or pick one from the lists, or type it) to see its lines."));
  }
  function termTip(r, refName) {
    if (!r) return "";
    return [h("b", null, r.term), table([
      [state.target, r.a + " of " + num(r.n1) + " (" + fmt(r.ra) + " per 10k)"],
      [refName, r.b + " of " + num(r.n2) + " (" + fmt(r.rb) + " per 10k)"],
      ["G2", fmt(r.g2)], ["log-odds (z)", fmt(r.lo, 3) + " (" + fmt(r.z) + ")"],
      ["range", r.range + " of " + r.docs + " documents of " + state.target],
      ["DP", r.dp === null || r.dp === undefined ? "–" : fmt(r.dp, 3)]])];
  }
  function termLines(panel, term, r, refName) {
    var lang = state.lang, per = own(own(D.term_lines, lang), term);
    panel.appendChild(h("h2", null, "“" + term + "”"));
    if (r) {
      panel.appendChild(h("p", { class: "stats" }, state.target + ": " + r.a + " (" + fmt(r.ra) + " per 10k) · " + refName + ": " + r.b +
        " (" + fmt(r.rb) + " per 10k) · G2 " + fmt(r.g2) + " · log-odds z " + fmt(r.z) + " · DP " + (r.dp === null || r.dp === undefined ? "–" : fmt(r.dp, 3))));
    } else {
      panel.appendChild(h("p", { class: "stats" }, "not among the terms tested in this comparison"));
    }
    if (!per) {
      panel.appendChild(h("p", { class: "empty" }, "No lines of this term are embedded (the page keeps the lines of each group's most distinctive and the most frequent terms). " +
        "govlens kwic --corpus " + quote(D.meta.corpus) + " " + quote(term) + " prints them all."));
      return;
    }
    var refGroups = state.ref === REST ? groupsOf(lang).filter(function (g) { return g !== state.target; }) : [state.ref];
    var refLines = [];
    refGroups.forEach(function (g) { (own(per, g) || []).forEach(function (l) { refLines.push(l); }); });
    var cap = D.meta.caps.term_lines;
    panel.appendChild(h("div", { class: "lines" },
      h("div", { id: "lines-target" }, h("h3", null, state.target + " (up to " + cap + " lines)"), kwicList(own(per, state.target), { "data-term": term })),
      h("div", { id: "lines-reference" }, h("h3", null, refName + " (up to " + cap + " lines per group)"), kwicList(refLines, { "data-term": term }))));
  }

  // ---- frames --------------------------------------------------------------------
  function renderFrames(sec) {
    clear(sec);
    var rateOf = Object.create(null);
    D.rates.forEach(function (r) { rateOf[r.group + "\u0000" + r.lang + "\u0000" + r.frame] = r; });
    var maxOf = Object.create(null);
    D.rates.forEach(function (r) { maxOf[r.frame] = Math.max(maxOf[r.frame] || 0, r.rate || 0); });
    sec.appendChild(h("p", { class: "legend" }, "Rate of each frame per 10,000 tokens, by group and language; the colour is scaled per frame (column). Click a cell for its lines (arrow keys move between cells)."));
    // Vertical headers: Latin text turned, Han characters kept upright.
    var head = h("tr", null, h("th", null, ""), D.frames.map(function (f) {
      return h("th", { scope: "col", title: f.id }, f.label.split(/([\p{Script=Han}]+)/u).map(function (part, i) {
        return i % 2 ? h("span", { class: "han" }, part) : part;
      }));
    }));
    var anyPressed = D.cells.some(function (c) { return state.frame && c.group === state.group && c.lang === state.lang; });
    var body = h("tbody", null, D.cells.map(function (c, ri) {
      return h("tr", null, h("th", { scope: "row" }, c.group + " · " + c.lang), D.frames.map(function (f, ci) {
        var r = rateOf[c.group + "\u0000" + c.lang + "\u0000" + f.id] || {};
        var t = maxOf[f.id] ? (r.rate || 0) / maxOf[f.id] : 0;
        var bg = "rgb(" + [255 - Math.round(t * 200), 255 - Math.round(t * 140), 255 - Math.round(t * 60)].join(",") + ")";
        var pressed = state.frame === f.id && state.group === c.group && state.lang === c.lang;
        return h("td", null, h("button", { style: "background:" + bg + ";color:" + (t > 0.6 ? "#fff" : "#1d2433"),
          "data-frame": f.id, "data-group": c.group, "data-lang": c.lang, "data-row": ri, "data-col": ci,
          "aria-pressed": pressed ? "true" : "false", tabindex: pressed || (!anyPressed && ri === 0 && ci === 0) ? 0 : -1,
          "aria-label": f.label + ", " + c.group + " " + c.lang + ": " + fmt(r.rate, 1) + " per 10k",
          onclick: function () { go({ view: "frames", frame: f.id, group: c.group, lang: c.lang }); },
          onmousemove: function (ev) { showTip(ev, [h("b", null, f.label + " · " + c.group + " · " + c.lang), table([
            ["rate", fmt(r.rate, 2) + " per 10k"], ["95% interval", r.low === null || r.low === undefined ? "– (one document)" : fmt(r.low, 2) + " – " + fmt(r.high, 2)],
            ["hits", num(r.count)], ["documents", (r.docs || 0) + " of " + c.docs + " with a hit"]])]); },
          onmouseleave: hideTip }, fmt(r.rate, 1)));
      }));
    }));
    var grid = h("table", { class: "heat", id: "heatmap" }, h("thead", null, head), body);
    grid.addEventListener("keydown", function (ev) {
      var b = ev.target; if (!b.dataset || b.dataset.row === undefined) return;
      var dr = { ArrowUp: -1, ArrowDown: 1 }[ev.key] || 0, dc = { ArrowLeft: -1, ArrowRight: 1 }[ev.key] || 0;
      if (!dr && !dc) return;
      var next = grid.querySelector('button[data-row="' + (+b.dataset.row + dr) + '"][data-col="' + (+b.dataset.col + dc) + '"]');
      if (next) { ev.preventDefault(); b.tabIndex = -1; next.tabIndex = 0; next.focus(); }
    });
    sec.appendChild(h("div", { class: "card", style: "overflow-x:auto" }, grid));
    var panel = h("div", { id: "frame-lines", class: "card" });
    sec.appendChild(panel);
    if (!state.frame || !state.group) { panel.appendChild(h("p", { class: "empty" }, "Click a cell to see the frame's lines in that group.")); return; }
    var r = rateOf[state.group + "\u0000" + state.lang + "\u0000" + state.frame] || {};
    panel.appendChild(h("h2", null, labelOf(state.frame) + " · " + state.group + " · " + state.lang));
    panel.appendChild(h("p", { class: "stats" }, num(r.count) + " hits, " + fmt(r.rate, 2) + " per 10k" +
      (r.low === null || r.low === undefined ? "" : " (95% interval " + fmt(r.low, 2) + "–" + fmt(r.high, 2) + ")") + " in " + (r.docs || 0) + " of " + cellOf(state.group, state.lang).docs + " documents"));
    var cell = D.frame_lines.filter(function (c) { return c.frame === state.frame && c.group === state.group && c.lang === state.lang; })[0];
    var exprs = cell ? cell.expressions : [];
    var chosen = exprs.filter(function (x) { return x.pattern === state.expr; });
    var sel = h("select", { id: "frame-expr", onchange: function () { go(Object.assign({}, state, { expr: this.value })); } },
      option("", "all expressions", !chosen.length),
      exprs.map(function (x) { return option(x.pattern, x.pattern + " (" + x.lines.length + " of " + x.hits + " lines)", x.pattern === state.expr); }));
    panel.appendChild(h("div", { class: "controls" }, h("label", null, "expression", sel)));
    var shown = chosen.length ? chosen : exprs;
    var lines = [], exprOf = new Map();
    shown.forEach(function (x) { x.lines.forEach(function (l) { lines.push(l); exprOf.set(l, x.pattern); }); });
    panel.appendChild(h("p", { class: "legend" }, lines.length + " lines shown (up to " + D.meta.caps.frame_lines + " per expression)"));
    panel.appendChild(kwicList(lines, function (l) { return { "data-frame": state.frame, "data-expr": exprOf.get(l) }; }));
    panel.appendChild(trend(state.frame, state.lang, state.group));
  }
  function trend(frame, lang, group) {
    var rows = D.trends.filter(function (t) { return t.frame === frame && t.lang === lang && t.rate !== null; });
    var years = uniq(rows.map(function (t) { return t.year; })).sort(function (a, b) { return a - b; });
    if (years.length < 2) return h("p", { class: "legend" }, "No trend: the documents of " + lang + " are of fewer than two years.");
    var W = 560, H = 220, L = 44, B = 30, T = 10, R = 80;
    var maxR = Math.max.apply(null, rows.map(function (t) { return t.rate; }).concat([1e-9]));
    var y0 = years[0], y1 = years[years.length - 1];
    var X = function (y) { return L + (y - y0) / (y1 - y0) * (W - L - R); };
    var Y = function (v) { return H - B - v / maxR * (H - B - T); };
    var g = s("svg", { width: W, height: H, role: "img", "aria-label": "trend of " + labelOf(frame) + " by year" });
    g.appendChild(s("title", null, labelOf(frame) + " per 10,000 tokens by year, " + lang));
    years.forEach(function (y) { g.appendChild(s("text", { x: X(y), y: H - 10, "text-anchor": "middle" }, String(y))); });
    g.appendChild(s("text", { x: L - 6, y: Y(maxR) + 4, "text-anchor": "end" }, fmt(maxR, 1)));
    g.appendChild(s("text", { x: L - 6, y: Y(0) + 4, "text-anchor": "end" }, "0"));
    g.appendChild(s("line", { class: "axis", x1: L, x2: W - R, y1: Y(0), y2: Y(0) }));
    uniq(rows.map(function (t) { return t.group; })).forEach(function (gr) {
      var pts = rows.filter(function (t) { return t.group === gr; }).sort(function (a, b) { return a.year - b.year; });
      var mine = gr === group;
      var d = pts.map(function (p, k) { return (k ? "L" : "M") + X(p.year).toFixed(1) + " " + Y(p.rate).toFixed(1); }).join(" ");
      g.appendChild(s("path", { d: d, fill: "none", stroke: mine ? "#b2362b" : "#b9c0cc", "stroke-width": mine ? 2.5 : 1 }));
      pts.forEach(function (p) {
        g.appendChild(s("circle", { cx: X(p.year), cy: Y(p.rate), r: mine ? 3.5 : 2, fill: mine ? "#b2362b" : "#b9c0cc" },
          s("title", null, gr + " " + p.year + ": " + fmt(p.rate, 2) + " per 10k (" + p.count + " of " + num(p.tokens) + " tokens)")));
      });
      var last = pts[pts.length - 1];
      if (mine && last) g.appendChild(s("text", { x: X(last.year) + 6, y: Y(last.rate) + 4 }, gr));
    });
    return h("div", null, h("h3", null, "By year (" + lang + "): " + group + " in red"), g);
  }

  // ---- language versions ------------------------------------------------------------
  function renderVersions(sec) {
    clear(sec);
    if (!D.versions.length) { sec.appendChild(h("p", { class: "empty" }, "No work of this corpus has a Chinese and an English version (manifest column work).")); return; }
    sec.appendChild(h("div", { class: "controls" }, h("label", null, "work", h("select", { id: "work", onchange: function () { go({ view: "versions", work: this.value }); } },
      D.versions.map(function (w) { return option(w.work, w.work + " (agreement " + fmt(w.agreement, 3) + ")", w.work === state.work); })))));
    var w = D.versions.filter(function (x) { return x.work === state.work; })[0];
    if (!w) return;
    sec.appendChild(h("p", { class: "stats" }, w.units_aligned + " units aligned · agreement " + fmt(w.agreement, 3) + " · kappa " + fmt(w.kappa, 3) + " · " +
      w.differing + " units whose frames differ" + (w.units.length < w.differing ? " (the first " + w.units.length + " shown)" : "")));
    if (w.missing) { sec.appendChild(h("p", { class: "empty" }, "Texts not available: " + w.missing)); return; }
    var chips = function (fs, cls) { return fs.map(function (f) { return h("span", { class: "chip " + cls, title: f }, labelOf(f)); }); };
    sec.appendChild(h("div", { class: "card" }, h("table", { class: "versions", id: "versions" },
      h("thead", null, h("tr", null, h("th", null, "unit"), h("th", null, "frames in one version only"), h("th", null, "中文"), h("th", null, "English"))),
      h("tbody", null, w.units.map(function (u) {
        return h("tr", { "data-unit": u.unit }, h("th", null, u.label_zh, h("br"), u.label_en),
          h("td", null, u.zh_only.length ? ["zh only: ", chips(u.zh_only, "zh"), h("br")] : null, u.en_only.length ? ["en only: ", chips(u.en_only, "en")] : null),
          h("td", { class: "text", lang: "zh" }, marked(u.text_zh, u.marks_zh)), h("td", { class: "text", lang: "en" }, marked(u.text_en, u.marks_en)));
      })))));
  }

  // A text with every occurrence of `marks` (longest first) in <mark>: a match of
  // letters only as a whole word ("security" not inside "Cybersecurity"), Han text
  // anywhere (it has no spaces).
  function marked(text, marks) {
    if (!marks || !marks.length) return text;
    var esc = marks.slice().sort(function (a, b) { return b.length - a.length; }).map(function (m) {
      var e = m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return /^[\p{Script=Han}]/u.test(m) ? e : "(?<![\\p{L}\\p{N}])" + e + "(?![\\p{L}\\p{N}])";
    });
    var parts = text.split(new RegExp("(" + esc.join("|") + ")", "u"));
    return parts.map(function (p, i) { return i % 2 ? h("mark", null, p) : p; });
  }

  // ---- map -------------------------------------------------------------------------------
  function renderMap(sec) {
    clear(sec);
    if (!D.maps.length) { sec.appendChild(h("p", { class: "empty" }, "No correspondence analysis: it needs at least two groups and two frames with hits.")); }
    else {
      var k = +state.map, mp = D.maps[k];
      sec.appendChild(h("div", { class: "controls" }, h("label", null, "map", h("select", { id: "map", onchange: function () { go({ view: "map", map: this.value }); } },
        D.maps.map(function (x, i) { return option(String(i), x.table + " × frames (" + x.lang + ")", i === k); })))));
      var W = 900, H = 640, P = 40;
      var xs = mp.points.map(function (p) { return p.x; }), ys = mp.points.map(function (p) { return p.y; });
      var x0 = Math.min.apply(null, xs.concat([0])), x1 = Math.max.apply(null, xs.concat([0]));
      var y0 = Math.min.apply(null, ys.concat([0])), y1 = Math.max.apply(null, ys.concat([0]));
      var padx = (x1 - x0) * 0.08 || 1, pady = (y1 - y0) * 0.08 || 1;
      x0 -= padx; x1 += padx; y0 -= pady; y1 += pady;
      var X = function (v) { return P + (v - x0) / (x1 - x0) * (W - 2 * P); };
      var Y = function (v) { return H - P - (v - y0) / (y1 - y0) * (H - 2 * P); };
      var g = s("svg", { width: W, height: H, role: "img", "aria-label": "correspondence analysis map", id: "ca-map" });
      g.appendChild(s("title", null, "Correspondence analysis of " + mp.table + " and frames (" + mp.lang + ")"));
      g.appendChild(s("line", { class: "axis", x1: X(0), x2: X(0), y1: P / 2, y2: H - P }));
      g.appendChild(s("line", { class: "axis", y1: Y(0), y2: Y(0), x1: P, x2: W - P / 2 }));
      g.appendChild(s("text", { x: W / 2, y: H - 8, "text-anchor": "middle" }, "dimension 1 (" + fmt(100 * mp.inertia[0], 1) + "% of inertia)"));
      g.appendChild(s("text", { transform: "translate(12," + H / 2 + ") rotate(-90)", "text-anchor": "middle" }, "dimension 2 (" + fmt(100 * mp.inertia[1], 1) + "% of inertia)"));
      var labels = [];
      mp.points.forEach(function (p) {
        var row = p.kind === "row", name = row ? p.name : labelOf(p.name);
        var mark = row ? s("circle", { cx: X(p.x), cy: Y(p.y), r: 4, fill: "#b2362b" })
          : s("rect", { x: X(p.x) - 3.5, y: Y(p.y) - 3.5, width: 7, height: 7, fill: "#2b62a6" });
        mark.setAttribute("tabindex", "0");
        mark.setAttribute("aria-label", name);
        var tipContent = function () { return [h("b", null, name), table([["kind", row ? mp.table.replace(/s$/, "") : "frame"], ["dimension 1", fmt(p.x, 3)], ["dimension 2", fmt(p.y, 3)], ["mass", fmt(p.mass, 3)]])]; };
        mark.addEventListener("mousemove", function (ev) { showTip(ev, tipContent()); });
        mark.addEventListener("mouseleave", hideTip);
        mark.addEventListener("focus", function () { var b = mark.getBoundingClientRect(); showTip({ clientX: b.right, clientY: b.bottom }, tipContent()); });
        mark.addEventListener("blur", hideTip);
        g.appendChild(mark);
        labels.push({ x: X(p.x), y: Y(p.y), text: name, fill: row ? "#7d241c" : "#1f4a80", mass: p.mass, row: row });
      });
      // Groups first, then the heaviest points.
      labels.sort(function (a, b) { return (b.row - a.row) || (b.mass - a.mass); });
      placeLabels(g, labels, [0, 0, W, H - 20]);
      sec.appendChild(h("div", { class: "card" }, g, h("p", { class: "legend" }, "circles: " + mp.table + "; squares: frames. Points close together are associated; hover (or tab to) a point for its coordinates.")));
    }
    if (D.wordfish.length) {
      var pos = D.wordfish.slice().sort(function (a, b) { return a.estimate - b.estimate; });
      var lo = Math.min.apply(null, pos.map(function (p) { return p.low === null ? p.estimate : p.low; }));
      var hi = Math.max.apply(null, pos.map(function (p) { return p.high === null ? p.estimate : p.high; }));
      var W2 = 640, R2 = 16, L2 = 260, H2 = pos.length * R2 + 30;
      var X2 = function (v) { return L2 + (v - lo) / ((hi - lo) || 1) * (W2 - L2 - 20); };
      var g2s = s("svg", { width: W2, height: H2, role: "img", "aria-label": "Wordfish positions", id: "wordfish" });
      pos.forEach(function (p, i) {
        var y = 10 + i * R2;
        g2s.appendChild(s("text", { x: L2 - 8, y: y + 4, "text-anchor": "end" }, p.name));
        if (p.low !== null) g2s.appendChild(s("line", { x1: X2(p.low), x2: X2(p.high), y1: y, y2: y, stroke: "#8a93a3" }));
        g2s.appendChild(s("circle", { cx: X2(p.estimate), cy: y, r: 3.5, fill: "#2b62a6" }, s("title", null, p.name + ": " + fmt(p.estimate, 3))));
      });
      sec.appendChild(h("div", { class: "card" }, h("h2", null, "Wordfish positions (" + pos[0].lang + ")"), g2s));
    } else {
      sec.appendChild(h("p", { class: "legend" }, "Wordfish positions: not fitted in this run (set wordfish = \"en\" or \"zh\" under [stats])."));
    }
  }

  // ---- start -------------------------------------------------------------------------------
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement.tagName !== "INPUT") {
      var box = document.getElementById("term-search");
      if (box) { ev.preventDefault(); box.focus(); }
    }
    if (ev.key === "Escape") hideTip();
  });
  window.addEventListener("hashchange", function () { go(readHash()); });
  go(readHash());
  // For scripts and tests: the comparison as the page computes it, and how long the
  // page took to become interactive (ms since navigation start; of which the script).
  window.govlens = { compare: compare, state: function () { return Object.assign({}, state); } };
  window.govlensInteractiveAt = performance.now();
  window.govlensScriptMs = performance.now() - started;
  document.body.setAttribute("data-ready", "true");
})();
