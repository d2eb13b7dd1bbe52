// Fact details for highlighted figures, and the area charts. Reads data-* attributes and writes them with
// textContent only, so document text can never become markup. The page works without it (title
// attributes, tables).
(function () {
  "use strict";
  // Area charts: each <div data-spec> is drawn from the JSON spec it names with vega-embed (the local
  // bundle, loaded before this file on area pages). Vega's DOM renderers follow a point's href with a click
  // handler; only its SVG string renderer writes real <a> elements, which keyboards can focus and browsers
  // open in a new tab, so the chart is rendered to an SVG string and parsed as SVG (never as HTML, and a
  // parsed document runs nothing). `ast` interprets Vega expressions instead of compiling them with
  // `new Function`, which the pages' Content-Security-Policy (script-src 'self') forbids; no default
  // style or tooltip library, which would inject <style> elements the policy also refuses.
  var EMBED = { mode: "vega-lite", renderer: "none", actions: false, ast: true, defaultStyle: false, tooltip: false };
  var SVG = "http://www.w3.org/2000/svg";

  function titled(svg) {
    svg.querySelectorAll("a > [aria-label]").forEach(function (mark) {
      var title = document.createElementNS(SVG, "title");
      title.textContent = mark.getAttribute("aria-label");
      mark.parentNode.insertBefore(title, mark);
    });
    return svg;
  }

  function draw(target) {
    var spec = JSON.parse(document.getElementById(target.dataset.spec).textContent);
    // Vega measures labels (legends of titles and names) in the page's own font, which the stylesheet
    // gives the drawn SVG too: measured in its default font, the longer labels overran the chart and were cut.
    var options = Object.assign({ config: { font: getComputedStyle(target).fontFamily } }, EMBED);
    return window.vegaEmbed(target, spec, options).then(function (result) {
      return result.view.toSVG().then(function (markup) {
        result.finalize();
        var svg = new DOMParser().parseFromString(markup, "image/svg+xml").documentElement;
        target.replaceChildren(titled(svg));
        target.dataset.rendered = "true";
      });
    }).catch(function (error) {
      target.textContent = "图表无法显示 — the chart could not be drawn: " + error.message;
      console.error(error);
    });
  }

  if (typeof window.vegaEmbed === "function") {
    document.querySelectorAll("div.vega[data-spec]").forEach(draw);
  }

  // Search over areas, indicators and documents. The index is a script file of the site (the CSP allows
  // no fetch and no inline script), loaded on first use; results are written with textContent only.
  var KINDS = { area: "地区 area", indicator: "指标 indicator", document: "文件 document" };
  var ORDER = { area: 0, indicator: 1, document: 2 };
  var LIMIT = 30;
  var root = document.body.dataset.root || "";
  var box = document.querySelector("div.search");
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");

  function loadIndex(then) {
    if (window.envreportsSearch) { then(); return; }
    if (loadIndex.loading) { loadIndex.loading.push(then); return; }
    loadIndex.loading = [then];
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () { loadIndex.loading.forEach(function (f) { f(); }); };
    script.onerror = function () { results.hidden = false; results.textContent = "搜索索引无法加载 — the search index could not be loaded"; };
    document.head.appendChild(script);
  }

  function matches(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) { return []; }
    var first = terms[0];
    return window.envreportsSearch.filter(function (entry) {
      return terms.every(function (term) { return entry[4].indexOf(term) >= 0; });
    }).map(function (entry) {
      var label = entry[1].toLowerCase();
      var rank = label === first ? 0 : (label.indexOf(first) === 0 ? 1 : 2);
      return [rank, ORDER[entry[0]], entry];
    }).sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2][1] < b[2][1] ? -1 : a[2][1] > b[2][1] ? 1 : 0);
    }).map(function (ranked) { return ranked[2]; });
  }

  function item(entry) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + entry[3];
    a.className = "kind-" + entry[0];
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = KINDS[entry[0]] || entry[0];
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = entry[1];
    var detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = entry[2];
    a.append(kind, label, detail);
    li.appendChild(a);
    return li;
  }

  function search() {
    var found = matches(input.value);
    var shown = found.slice(0, LIMIT).map(item);
    if (input.value.trim() && !found.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "没有结果 — nothing found";
      shown = [none];
    } else if (found.length > LIMIT) {
      var more = document.createElement("li");
      more.className = "none";
      more.textContent = "还有 " + (found.length - LIMIT) + " 条 — " + (found.length - LIMIT) + " more; type more to narrow";
      shown.push(more);
    }
    results.replaceChildren.apply(results, shown);
    results.hidden = !shown.length;
  }

  if (box && input && results) {
    box.hidden = false;
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    input.addEventListener("input", function () { loadIndex(search); });
    input.addEventListener("keydown", function (event) {
      var links = results.querySelectorAll("a");
      if (event.key === "Enter" && links.length) { window.location.href = links[0].href; }
      if (event.key === "ArrowDown" && links.length) { event.preventDefault(); links[0].focus(); }
      if (event.key === "Escape") { input.value = ""; search(); }
    });
    results.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(results.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) { results.hidden = true; }
    });
  }

  var FIELDS = [
    ["code", "指标 indicator"], ["name", "名称 name"], ["value", "数值 value"], ["unit", "单位 unit"],
    ["qualifier", "限定 qualifier"], ["year", "年份 year"], ["kind", "类型 kind"], ["area", "地区 area"],
    ["figure", "原文 as written"], ["page", "页 page"], ["reason", "隔离原因 reason"],
    ["conflict", "⚠ 冲突 conflict"]
  ];
  var pop = document.createElement("div");
  pop.id = "fact-pop";
  pop.setAttribute("role", "dialog");
  pop.setAttribute("aria-label", "fact details");
  pop.hidden = true;
  document.body.appendChild(pop);
  var pinned = null;

  function marksAt(el) {
    var found = [];
    for (var m = el.closest("mark[data-code]"); m; m = m.parentElement && m.parentElement.closest("mark[data-code]")) {
      found.push(m);
    }
    return found;
  }

  function details(mark) {
    var dl = document.createElement("dl");
    var kind = mark.classList.contains("rejected") ? "quarantined" : "fact";
    var head = document.createElement("dt");
    head.textContent = kind === "fact" ? "事实 fact" : "隔离 quarantined";
    head.className = "kind-" + (kind === "fact" ? "fact" : "rejected");
    var key = document.createElement("dd");
    key.textContent = mark.dataset.key || "";
    dl.append(head, key);
    FIELDS.forEach(function (field) {
      var value = mark.dataset[field[0]];
      if (value === undefined || value === "") { return; }
      var dt = document.createElement("dt");
      dt.textContent = field[1];
      var dd = document.createElement("dd");
      dd.textContent = value;
      dl.append(dt, dd);
    });
    return dl;
  }

  function show(el) {
    var marks = marksAt(el);
    if (!marks.length) { return; }
    pop.replaceChildren.apply(pop, marks.map(details));
    var box = el.getBoundingClientRect();
    pop.style.left = Math.max(8, window.scrollX + box.left) + "px";
    pop.style.top = (window.scrollY + box.bottom + 6) + "px";
    pop.hidden = false;
    document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    marks[0].classList.add("current");
  }

  function hide() {
    pop.hidden = true;
    pinned = null;
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-code]");
    if (mark) { pinned = mark; show(mark); } else if (!pop.contains(event.target)) { hide(); }
  });
  document.addEventListener("mouseover", function (event) {
    var mark = event.target.closest("mark[data-code]");
    if (mark) { show(mark); }
  });
  document.addEventListener("mouseout", function (event) {
    var mark = event.target.closest("mark[data-code]");
    if (mark && !mark.contains(event.relatedTarget)) { if (pinned) { show(pinned); } else { pop.hidden = true; } }
  });
  document.addEventListener("focusin", function (event) {
    var mark = event.target.closest("mark[data-code]");
    if (mark) { pinned = mark; show(mark); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });

  function showTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.matches("mark[data-code]")) { pinned = target; show(target); }
  }
  window.addEventListener("hashchange", showTarget);
  showTarget();
})();
