/* lsg-analysis dashboard: state, language switch, chart embedding, CSV downloads.
 * Everything the page shows comes from the JSON block #lsg-data (written by lsg_analysis/outputs/dashboard/).
 * Text from data is only ever set with textContent (never innerHTML); links only for http(s) URLs. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("lsg-data").textContent);
  var LANGS = D.langs;
  var VIEWS = ["trend", "border", "consult", "context"];  // the views with headline numbers, captions and CSV links
  var state = { lang: D.default_lang, indicator: null, level: null, year: null, profile: null };
  var embedded = {};   // chart id -> vega-embed result
  var csvUrls = {};    // view -> blob URL
  var lastWidth = 0;

  // ---------- helpers ----------
  function msg(key) {
    var m = D.messages[state.lang];
    if (!Object.prototype.hasOwnProperty.call(m, key)) { throw new Error("no message " + key + " for " + state.lang); }
    return m[key];
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : all;
    });
  }
  function rowsOf(table) {  // columnar {columns, data} -> array of objects
    var out = [], cols = table.columns, n = cols.length ? table.data[0].length : 0;
    for (var i = 0; i < n; i++) {
      var r = {};
      for (var j = 0; j < cols.length; j++) { r[cols[j]] = table.data[j][i]; }
      out.push(r);
    }
    return out;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function numberText(v, digits) {  // same rules as lsg_analysis.i18n.fmt_number
    if (v === null || v === undefined || !isFinite(v)) { return msg("no_data_available"); }
    var loc = D.locales[state.lang];
    var s = Math.abs(v).toFixed(digits), parts = s.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, loc.thousands);
    s = parts.join(loc.decimal);
    return (v < 0 && Number(Math.abs(v).toFixed(digits)) !== 0 ? "-" : "") + s;
  }

  // ---------- data ----------
  var INDICATORS = rowsOf(D.indicators);
  var byKey = {};
  INDICATORS.forEach(function (r) {  // a unit may be on several maps (Bishkek: oblast and rayon level)
    (D.names[r.code] ? D.names[r.code].levels : []).forEach(function (lvl) {
      var key = r.indicator + "|" + lvl;
      (byKey[key] = byKey[key] || []).push(r);
    });
  });
  function withNames(r) {
    var out = Object.assign({}, r), nm = D.names[r.code] || {};
    LANGS.forEach(function (l) { out["name_" + l] = nm[l] || r.code; });
    return out;
  }
  function selection() {
    return (byKey[state.indicator + "|" + state.level] || []).filter(function (r) { return r.year === state.year; });
  }
  function national() {
    return (byKey[state.indicator + "|national"] || []).filter(function (r) { return r.year === state.year; });
  }
  function yearsFor(ind, level) { return (D.meta[ind].levels[level] || []).slice().sort(function (a, b) { return b - a; }); }

  // ---------- controls ----------
  function setOptions(select, options, value) {
    clear(select);
    options.forEach(function (o) {
      var opt = el("option", o[1]); opt.value = String(o[0]);
      if (String(o[0]) === String(value)) { opt.selected = true; }
      select.appendChild(opt);
    });
  }
  function normaliseState() {
    var inds = D.indicator_order;
    if (inds.indexOf(state.indicator) < 0) { state.indicator = D.default_indicator; }
    var levels = ["oblast", "rayon"].filter(function (l) { return (D.meta[state.indicator].levels[l] || []).length; });
    if (levels.indexOf(state.level) < 0) { state.level = levels[0]; }
    var years = yearsFor(state.indicator, state.level);
    if (years.indexOf(state.year) < 0) { state.year = years[0]; }
  }
  function fillControls() {
    normaliseState();
    setOptions(document.getElementById("ctl-indicator"), D.indicator_order.map(function (k) {
      return [k, D.meta[k].name[state.lang]];
    }), state.indicator);
    setOptions(document.getElementById("ctl-level"), ["oblast", "rayon"].filter(function (l) {
      return (D.meta[state.indicator].levels[l] || []).length;
    }).map(function (l) { return [l, msg("dash_level_" + l)]; }), state.level);
    setOptions(document.getElementById("ctl-year"), yearsFor(state.indicator, state.level).map(function (y) {
      return [y, String(y)];
    }), state.year);
  }
  function onControl(field, parse) {
    return function (ev) {
      state[field] = parse(ev.target.value);
      fillControls(); saveHash();
      return Promise.all([drawMap(), drawRanking()]).catch(report);
    };
  }

  // ---------- language ----------
  function applyTexts() {
    document.documentElement.lang = state.lang;
    document.title = msg("dash_title");
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = msg(n.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-label]").forEach(function (n) {
      n.setAttribute("aria-label", msg(n.getAttribute("data-i18n-label")));
    });
    document.querySelectorAll(".langs button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-lang") === state.lang ? "true" : "false");
    });
    VIEWS.forEach(function (v) {
      var box = document.getElementById("kpis-" + v);
      clear(box);
      D.kpis[state.lang][v].forEach(function (k) {
        var d = el("div", null, "kpi");
        d.appendChild(el("div", k.value, "v")); d.appendChild(el("div", k.label, "l"));
        if (k.note) { d.appendChild(el("div", k.note, "n")); }
        box.appendChild(d);
      });
    });
    document.getElementById("consult-caveat").textContent = msg("_consult_caveat");
    document.getElementById("trend-flags").textContent = msg("_trend_flags");
    document.getElementById("border-flags").textContent = msg("_border_flags");
    document.getElementById("border-migration").textContent = msg("_border_migration");
    setTitle("trend", ".view-title", msg("_trend_title"));
    setTitle("border", ".view-title", msg("_border_title"));
    setTitle("border", ".view-title-2", msg("_growth_title"));
    setTitle("context", ".view-title", msg("_ctx_title"));
    setTitle("context", ".view-title-2", msg("_ctx_gdl_title"));
    VIEWS.forEach(function (v) { setCaption(v, D.views[v].sources, D.views[v].period, D.views[v].stamp); });
    sourceList(); draftsTable();
    document.getElementById("footer-note").textContent = msg("_footer");
  }
  function setTitle(view, sel, text) { document.querySelector("#" + view + " " + sel).textContent = text; }
  function setCaption(view, sourceIds, period, stamp) {
    var p = document.querySelector("#" + view + " p.caption:not(.note)");
    clear(p);
    p.appendChild(el("span", msg("source") + ": "));
    withInputs(sourceIds).forEach(function (id, i) {
      var s = D.sources[id];
      if (i) { p.appendChild(el("span", "; ")); }
      if (!s) { p.appendChild(el("span", "[" + id + "]")); return; }
      if (s.producer[state.lang]) { p.appendChild(el("span", s.producer[state.lang] + ", ")); }
      p.appendChild(el("span", s.title[state.lang], "src-title"));
      p.appendChild(el("span", (s.id ? " [" + s.id + "]" : "") + (s.dates[state.lang] ? " (" + s.dates[state.lang] + ")" : "")));
    });
    if (period) { p.appendChild(el("span", ". " + msg("data_years") + ": " + period + ".")); }
    if (stamp && stamp[state.lang]) { p.appendChild(el("span", " " + stamp[state.lang], "run-stamp")); }
  }
  function sourceList() {
    var ol = document.getElementById("source-list");
    clear(ol);
    Object.keys(D.sources).sort().forEach(function (id) {
      var s = D.sources[id], li = el("li");
      li.appendChild(el("span", (s.id ? "[" + s.id + "] " : "") + (s.producer[state.lang] ? s.producer[state.lang] + ". " : "")));
      li.appendChild(el("span", s.title[state.lang], "src-title"));
      if (s.dates[state.lang]) { li.appendChild(el("span", " (" + s.dates[state.lang] + ")")); }
      if (/^https?:\/\//i.test(s.href)) {  // only http(s) links (source_text.link); a path is not shown
        li.appendChild(el("span", ". "));
        var a = el("a", s.link); a.href = s.href; a.rel = "noopener noreferrer"; a.target = "_blank";
        li.appendChild(a);
      }
      ol.appendChild(li);
    });
  }
  function recordText(v) {
    if (v === true || v === "yes") { return msg("yes"); }
    if (v === false || v === "no") { return msg("no"); }
    return msg("unknown");
  }
  function draftsTable() {
    var t = document.getElementById("drafts"), head = t.tHead, body = t.tBodies[0];
    clear(head); clear(body);
    var tr = el("tr");
    D.draft_columns.forEach(function (c) { tr.appendChild(el("th", msg(D.draft_headers[c]))); });
    head.appendChild(tr);
    rowsOf(D.drafts).forEach(function (r) {
      var row = el("tr");
      D.draft_columns.forEach(function (c) {
        var v = r[c], act = "dash_act_" + v;
        if (c === "public_record") { v = recordText(v); }
        else if (v === "unknown" || (c === "year" && v !== null && !/^\d{4}$/.test(String(v)))) { v = msg("unknown"); }
        else if (c === "act_type" && Object.prototype.hasOwnProperty.call(D.messages[state.lang], act)) { v = msg(act); }
        row.appendChild(el("td", v === null ? "" : v, c === "title" ? "title" : null));
      });
      body.appendChild(row);
    });
  }

  // ---------- charts ----------
  function chartWidth(id) {
    var w = document.getElementById("chart-" + id).clientWidth;
    return Math.max(260, Math.floor(w) - 4);
  }
  function embed(id, specName, datasets, size) {
    var node = document.getElementById("chart-" + id);
    var spec = JSON.parse(JSON.stringify(D.specs[state.lang][specName]));
    spec.datasets = datasets;
    size(spec, chartWidth(id));
    if (embedded[id]) { embedded[id].finalize(); delete embedded[id]; }
    return vegaEmbed(node, spec, {
      renderer: "svg", actions: false, formatLocale: D.locales[state.lang]
    }).then(function (res) { embedded[id] = res; return res; }, function (err) {
      clear(node); node.appendChild(el("p", String(err), "error")); throw err;
    });
  }
  function legendSize(spec, w) {  // legends fit the chart: one entry per line on a phone
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({}, spec.config.legend,
      { gradientLength: Math.min(320, w - 40), labelLimit: w - 40 }, w < 600 ? { columns: 1 } : {});
  }
  function mapTitle() {
    var m = D.meta[state.indicator];
    return m.title[state.level][state.lang] + (m.unit[state.lang] ? ", " + m.unit[state.lang] : "") + " — " + msg("dash_level_" + state.level) + ", " + state.year;
  }
  function drawMap() {
    var sel = selection(), byCode = {};
    sel.forEach(function (r) { byCode[r.code] = r; });
    var feats = D.geo[state.level].map(function (f) {
      var r = byCode[f.properties.code], p = withNames(Object.assign({}, f.properties));
      p.value = r ? r.value : null;
      p.value_text = r ? numberText(r.value, D.meta[state.indicator].digits) : msg("no_data_available");
      p.selected = f.properties.code === state.profile;  // the open profile's unit, outlined
      return { type: "Feature", geometry: f.geometry, properties: p };
    });
    document.querySelector("#map .view-title").textContent = mapTitle();
    setCaption("map", uniqueSources(sel), String(state.year));
    setCsv("map", "map_" + state.indicator + "_" + state.level + "_" + state.year, indicatorCsv(sel, false));
    return embed("map", "map", { geo: feats }, function (spec, w) {
      var mw = Math.min(w - 12, 960);
      spec.width = mw; spec.height = Math.round(mw * 0.45);
      legendSize(spec, w);
    }).then(function (res) { onMapClick(res.view); return res; });
  }
  function drawRanking() {
    var sel = selection().map(withNames), nat = national();
    document.querySelector("#ranking .view-title").textContent = mapTitle();
    document.querySelector("#ranking .nat-note").textContent = nat.length ?
      "- - - " + msg("national_average") + ": " + numberText(nat[0].value, D.meta[state.indicator].digits) : "";
    setCaption("ranking", uniqueSources(sel.concat(nat)), String(state.year));
    setCsv("ranking", "ranking_" + state.indicator + "_" + state.level + "_" + state.year, indicatorCsv(sel.concat(nat), true));
    return embed("ranking", "ranking", { rank: sel, national: nat }, function (spec, w) {
      spec.width = Math.max(120, w - 190); spec.height = Math.max(60, sel.length * 17);
      if (!nat.length) { spec.layer = spec.layer.slice(0, 1); }  // no national value for this year
    });
  }
  function uniqueSources(rows) { return rows.map(function (r) { return r.source_id; }); }
  function withInputs(ids) {  // distinct ids, each derived series followed by the inputs it names
    var seen = [];
    function add(id) {
      if (seen.indexOf(id) >= 0) { return; }
      seen.push(id);
      if (D.sources[id]) { D.sources[id].inputs.forEach(add); }
    }
    ids.forEach(add);
    return seen;
  }
  function indicatorCsv(rows, ranked) {
    var sorted = rows.slice().sort(function (a, b) { return b.value - a.value; });
    var cols = (ranked ? ["rank"] : []).concat(["code", "name", "indicator", "year", "value", "unit", "source_id"]).concat(D.flag_columns);
    var rank = 0;
    return { columns: cols, rows: sorted.map(function (r) {
      var national = D.names[r.code] && D.names[r.code].levels.indexOf("national") >= 0;
      var o = Object.assign({}, r, { name: (D.names[r.code] || {})[state.lang] || r.code,
        unit: D.meta[r.indicator].unit_id });
      if (ranked) { o.rank = national ? "" : ++rank; }
      return o;
    }) };
  }
  function drawStatic() {
    var ds = D.datasets, jobs = [];
    jobs.push(embed("trend", "trend", { trend: ds.trend }, function (s, w) {
      s.width = Math.max(200, w - 70); s.height = 240;
      if (w < 600) { s.layer = s.layer.slice(0, 3); }  // break labels collide on a phone; the note explains
    }));
    jobs.push(embed("measures", "measures", { measures: ds.measures }, function (s, w) {
      s.width = Math.max(200, w - 70); s.height = 200; legendSize(s, w);
    }));
    jobs.push(embed("border", "border", { border: ds.border }, function (s, w) {
      s.spec.width = Math.max(140, w - 60);
      s.facet.row.header.labelLimit = w - 20; legendSize(s, w);
      // narrow screens: the measure on one line, its level, period and n below it (labels end " — level, …")
      if (w < 700) { s.facet.row.header.labelExpr = "split(datum.label, ' — ')"; }
    }));
    jobs.push(embed("growth", "growth", { growth: ds.growth }, function (s, w) {
      s.width = Math.max(120, w - 190); s.height = Math.max(60, ds.growth.length * 15); legendSize(s, w);
    }));
    jobs.push(embed("rates", "rates", { rates: ds.rates }, function (s, w) {
      s.width = Math.max(200, w - 20); s.height = Math.max(40, ds.rates.length * 40);
      s.layer[0].mark.limit = s.width;
    }));
    jobs.push(embed("by-year", "by_year", { by_year: ds.by_year }, function (s, w) {
      s.width = Math.max(200, w - 70); s.height = 200; legendSize(s, w);
    }));
    jobs.push(embed("context", "context", { context: ds.context }, function (s, w) {
      s.width = Math.max(200, w - 70); s.height = 200; legendSize(s, w);
    }));
    jobs.push(embed("context-gdl", "context", { context: ds.context_gdl }, function (s, w) {
      s.width = Math.max(200, w - 70); s.height = 200; legendSize(s, w);
    }));
    VIEWS.forEach(function (v) {  // one link per table behind the view
      var tools = document.querySelector("#" + v + " .tools");
      clear(tools);
      D.csv[v].forEach(function (c, i) {
        var a = el("a", msg("download_data_csv") + (D.csv[v].length > 1 ? " — " + c.label[state.lang] : ""), "csv");
        tools.appendChild(a);
        setCsv(v, c.name, { columns: c.table.columns, rows: rowsOf(c.table) }, i);
      });
    });
    return Promise.all(jobs);
  }

  // ---------- region profile (the numbers and words of `lsg profile`, D.profiles) ----------
  var P = D.profiles, sparks = [];
  var profileLines = {};
  rowsOf(P.lines).forEach(function (r) { (profileLines[r.code] = profileLines[r.code] || {})[r.indicator] = r; });
  function trendRows(r) {  // the drawn years of the latest segment, each with its line piece (gap years left out)
    var out = [];
    r.trend.forEach(function (v, i) {
      if (r.trend_piece[i] !== null) { out.push({ year: r.trend_from + i, value: v, segment: r.trend_piece[i] }); }
    });
    return out;
  }
  function inLang(x) { return x && typeof x === "object" ? x[state.lang] : x; }  // a text, or one per language
  function profileCode() {
    return state.profile || P.order[state.lang][0] || null;
  }
  function fillProfileControl(code) {
    var select = document.getElementById("ctl-profile"), groups = {};
    clear(select);
    if (!P.border[code]) { select.appendChild(el("option", "—")); }  // a unit without a profile (no data)
    P.order[state.lang].forEach(function (c) {
      var level = D.names[c].level;
      if (!groups[level]) {
        groups[level] = el("optgroup");
        groups[level].label = msg(level === 1 ? "dash_level_oblast" : "dash_level_rayon");
        select.appendChild(groups[level]);
      }
      var opt = el("option", D.names[c][state.lang]); opt.value = c;
      if (c === code) { opt.selected = true; }
      groups[level].appendChild(opt);
    });
  }
  function cell(row, text, cls, label) {
    var td = el("td", text, cls);
    td.setAttribute("data-label", label);
    row.appendChild(td);
    return td;
  }
  function drawSpark(node, rows) {
    var spec = JSON.parse(JSON.stringify(D.specs[state.lang].profile_trend));
    spec.datasets = { spark: rows };
    spec.width = 90; spec.height = 20;
    return vegaEmbed(node, spec, { renderer: "svg", actions: false, formatLocale: D.locales[state.lang] })
      .then(function (res) { sparks.push(res); return res; });
  }
  function drawProfile() {
    var code = profileCode(), t = document.getElementById("profile-table"), jobs = [];
    sparks.forEach(function (s) { s.finalize(); }); sparks = [];
    clear(t.tHead); clear(t.tBodies[0]);
    fillProfileControl(code);
    document.getElementById("profile-title").textContent = code ? D.names[code][state.lang] : msg("no_data_available");
    document.getElementById("profile-border").textContent = (P.border[code] || {})[state.lang] || "";
    if (!code) { return Promise.resolve(); }
    var head = P.header[state.lang] || [], tr = el("tr"), mine = profileLines[code] || {};
    head.forEach(function (h) { tr.appendChild(el("th", h)); });
    t.tHead.appendChild(tr);
    var inds = (P.level_indicators[String(D.names[code].level)] || []).slice();
    Object.keys(mine).forEach(function (i) { if (inds.indexOf(i) < 0) { inds.push(i); } });
    inds.sort();
    if (!inds.length) {  // no indicator of any unit of this level
      var none = el("tr"); cell(none, msg("no_data_available"), "missing", "").colSpan = head.length || 1;
      t.tBodies[0].appendChild(none);
    }
    inds.forEach(function (ind) {
      var r = mine[ind], row = el("tr"), l = state.lang;
      row.setAttribute("data-indicator", ind);
      var name = cell(row, (P.indicator_names[ind] || {})[l] || ind, "ind", head[0]);
      if (r && r["unit_" + l]) { name.appendChild(el("div", r["unit_" + l], "unit")); }
      if (!r) {  // this unit has no value of this indicator: shown as missing, never filled
        cell(row, msg("no_data_available"), "num missing", head[1]);
        for (var k = 2; k < head.length; k++) { cell(row, "", "num", head[k]); }
        t.tBodies[0].appendChild(row);
        return;
      }
      cell(row, r["value_" + l], "num value", head[1]);
      cell(row, r.year, "num year", head[2]);
      cell(row, r["rank_" + l], "num rank", head[3]);
      cell(row, r["national_" + l], "num national" + (r["national_" + l] === msg("no_data_available") ? " missing" : ""), head[4]);
      cell(row, r["gap_" + l], "num gap", head[5]);
      var src = cell(row, r.source_id, "source", head[6]), s = D.sources[r.source_id];
      if (s) { src.title = [s.producer, s.title].map(inLang).filter(Boolean).join(", "); }
      var td = cell(row, null, "spark", head[7]), rows = trendRows(r);
      var box = el("div", null, "chart");
      td.appendChild(box);
      td.appendChild(el("span", r.span, "span"));  // the drawn years (i18n.year_span)
      if (rows.length) { jobs.push(drawSpark(box, rows)); }
      t.tBodies[0].appendChild(row);
    });
    return Promise.all(jobs);
  }
  function openProfile(code) {
    if (!D.names[code]) { return Promise.resolve(); }
    state.profile = code; saveHash();
    var done = Promise.all([drawProfile(), drawMap()]);  // the map outlines the unit
    scrollToProfile();
    return done;
  }
  function scrollToProfile() {  // the section's top just below the sticky header (its height varies by language)
    var head = document.querySelector("header"), section = document.getElementById("profile");
    var off = getComputedStyle(head).position === "sticky" ? head.offsetHeight : 0;
    window.scrollTo(0, section.getBoundingClientRect().top + window.pageYOffset - off - 8);
  }
  function onMapClick(view) {  // a click on a region (or a city marker) opens its profile
    view.addEventListener("click", function (ev, item) {
      var p = item && item.datum && item.datum.properties;
      if (p && p.code) { openProfile(p.code).catch(report); }
    });
  }

  // ---------- CSV ----------
  function csvCell(v) {
    if (v === null || v === undefined) { return ""; }
    var s = String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // no spreadsheet formulas from data
    return /[",\r\n;]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function setCsv(view, stem, table, index) {
    var lines = [table.columns.join(",")], key = view + "/" + (index || 0);
    table.rows.forEach(function (r) { lines.push(table.columns.map(function (c) { return csvCell(r[c]); }).join(",")); });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    if (csvUrls[key]) { URL.revokeObjectURL(csvUrls[key]); }
    csvUrls[key] = URL.createObjectURL(blob);
    var a = document.querySelectorAll("#" + view + " a.csv")[index || 0];
    a.href = csvUrls[key];
    a.download = "lsg-dashboard_" + stem + "_" + state.lang + ".csv";
  }

  // ---------- state in the URL hash (#lang=ky&indicator=...&level=...&year=...) ----------
  function readHash() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("=") < 0) { return; }
    h.split("&").forEach(function (kv) {
      var i = kv.indexOf("="), k = decodeURIComponent(kv.slice(0, i)), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "lang" && LANGS.indexOf(v) >= 0) { state.lang = v; }
      if (k === "indicator" && D.meta[v]) { state.indicator = v; }
      if (k === "level" && (v === "oblast" || v === "rayon")) { state.level = v; }
      if (k === "year" && /^\d{4}$/.test(v)) { state.year = Number(v); }
      if (k === "profile" && D.names[v]) { state.profile = v; }
    });
  }
  function saveHash() {
    var h = "lang=" + state.lang + "&indicator=" + encodeURIComponent(state.indicator) + "&level=" + state.level +
      "&year=" + state.year + (state.profile ? "&profile=" + encodeURIComponent(state.profile) : "");
    try { history.replaceState(null, "", "#" + h); } catch (e) { /* some file:// contexts forbid it */ }
  }

  // ---------- wiring ----------
  function report(err) { console.error(err); }
  function drawAll() { return Promise.all([drawMap(), drawProfile(), drawRanking(), drawStatic()]); }
  function setLang(lang) {
    state.lang = lang;
    applyTexts(); fillControls(); saveHash();
    return drawAll().catch(report);
  }
  function start() {
    readHash(); normaliseState();
    applyTexts(); fillControls();
    document.getElementById("ctl-indicator").addEventListener("change", onControl("indicator", String));
    document.getElementById("ctl-level").addEventListener("change", onControl("level", String));
    document.getElementById("ctl-year").addEventListener("change", onControl("year", Number));
    document.getElementById("ctl-profile").addEventListener("change", function (ev) {
      if (D.names[ev.target.value]) { openProfile(ev.target.value).catch(report); }
    });
    window.addEventListener("hashchange", function () {
      var before = state.profile;
      readHash();
      if (state.profile !== before) { openProfile(state.profile).catch(report); }
    });
    document.querySelectorAll(".langs button").forEach(function (b) {
      b.addEventListener("click", function () { setLang(b.getAttribute("data-lang")); });
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var w = document.querySelector("main").clientWidth;
        if (Math.abs(w - lastWidth) > 8) { lastWidth = w; drawAll().catch(report); }
      }, 250);
    });
    lastWidth = document.querySelector("main").clientWidth;
    return drawAll().then(function () {
      window.lsgReadyMs = performance.now();
      if (state.profile) { scrollToProfile(); }  // #profile=CODE opens it
      document.documentElement.setAttribute("data-ready", "1");
    }, function (err) { report(err); document.documentElement.setAttribute("data-ready", "error"); });
  }
  start();
})();
