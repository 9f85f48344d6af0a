// paralign review page: filters and search. Without this script every row is shown.
// The state lives in the URL fragment (#problems&flag=diverging&lang=es&q=text), so that a
// filtered view can be bookmarked or opened from a link. Only reads the page; loads nothing.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var problems = document.getElementById("f-problems");
  var flag = document.getElementById("f-flag");
  var lang = document.getElementById("f-lang");
  var search = document.getElementById("f-q");
  var count = document.getElementById("f-count");
  var cols = document.getElementById("f-cols");
  var rows = document.querySelectorAll(".grid > .row[data-f]");
  var toks = [], only = [], texts = [];
  for (var i = 0; i < rows.length; i++) {
    var f = rows[i].getAttribute("data-f");
    toks.push(f ? f.split(" ") : []);
    only.push(rows[i].getAttribute("data-only"));
  }
  form.hidden = false;

  function keep(i, p, fl, l) {
    if (l && only[i] && only[i] !== l) { return false; }
    if (!p && !fl) { return true; }
    var t = toks[i];
    for (var k = 0; k < t.length; k++) {
      var c = t[k].lastIndexOf(":");
      if ((!l || t[k].slice(0, c) === l) && (!fl || t[k].slice(c + 1) === fl)) { return true; }
    }
    return false;
  }

  function hasOption(select, value) {
    for (var k = 0; k < select.options.length; k++) {
      if (select.options[k].value === value) { return true; }
    }
    return false;
  }

  function read() {
    var parts = location.hash.replace(/^#/, "").split("&");
    var st = { p: false, f: "", l: "", q: "" };
    for (var k = 0; k < parts.length; k++) {
      var kv = parts[k].split("="), v = "";
      try { v = decodeURIComponent((kv[1] || "").replace(/\+/g, " ")); } catch (e) { v = ""; }
      if (kv[0] === "problems" || kv[0] === "only-problems") { st.p = true; }
      else if (kv[0] === "flag") { st.f = v; }
      else if (kv[0] === "lang") { st.l = v; }
      else if (kv[0] === "q") { st.q = v; }
    }
    problems.checked = st.p;
    flag.value = hasOption(flag, st.f) ? st.f : "";
    lang.value = hasOption(lang, st.l) ? st.l : "";
    search.value = st.q;
  }

  function write() {
    var h = [];
    if (problems.checked) { h.push("problems"); }
    if (flag.value) { h.push("flag=" + encodeURIComponent(flag.value)); }
    if (lang.value) { h.push("lang=" + encodeURIComponent(lang.value)); }
    if (search.value.trim()) { h.push("q=" + encodeURIComponent(search.value.trim())); }
    try {
      history.replaceState(null, "", h.length ? "#" + h.join("&") : location.pathname + location.search);
    } catch (e) { /* some browsers refuse this on file: pages; the view still filters */ }
  }

  function apply() {
    var p = problems.checked, fl = flag.value, l = lang.value;
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    for (var k = 0; k < rows.length; k++) {
      var ok = keep(k, p, fl, l);
      if (ok && q) {
        if (texts[k] === undefined) { texts[k] = rows[k].textContent.toLowerCase(); }
        ok = texts[k].indexOf(q) >= 0;
      }
      if (rows[k].hidden === ok) { rows[k].hidden = !ok; }
      if (ok) { shown++; }
    }
    var esc = window.CSS && CSS.escape ? CSS.escape(l) : l.replace(/[^A-Za-z0-9-]/g, "");
    cols.textContent = l ? '.grid .t:not([data-l="' + esc + '"]), .summary tr[data-l]:not([data-l="' + esc + '"]) { display: none; } .grid { --n: 2 !important; }' : "";
    document.body.classList.toggle("filtered", shown !== rows.length);
    count.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows shown";
  }

  var timer = null;
  function changed() { write(); apply(); }
  problems.addEventListener("change", changed);
  flag.addEventListener("change", changed);
  lang.addEventListener("change", changed);
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(changed, 200);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); changed(); });
  window.addEventListener("hashchange", function () { read(); apply(); });
  read();
  apply();
}());
