// Pages say "upcoming", "happening now" or "past" as the build saw it; a page
// read later (a cached copy, a site not rebuilt since) corrects the label
// here from the <time> values it carries. Without JavaScript the build's
// label stays, which is right as of the build.
(function () {
  "use strict";
  var now = Date.now();
  document.querySelectorAll(".phase[data-start][data-end]").forEach(function (label) {
    var start = Date.parse(label.dataset.start);
    var end = Date.parse(label.dataset.end);
    if (isNaN(start) || isNaN(end)) return;
    var phase = now >= end ? "past" : now >= start ? "now" : "upcoming";
    var text = label.dataset["label" + phase.charAt(0).toUpperCase() + phase.slice(1)];
    if (text && label.textContent.trim() !== text) label.textContent = text;
    label.dataset.phase = phase;
  });
})();

// Upcoming editions, as the build saw them: those the visitor's clock has
// passed are hidden, and the next ones carried by the page (hidden until
// then) shown in their place, as many as the list shows (data-shown).
(function () {
  "use strict";
  var now = Date.now();
  document.querySelectorAll(".cards[data-upcoming]").forEach(function (list) {
    var room = parseInt(list.dataset.shown, 10) || 0, shown = 0;
    list.querySelectorAll(".edition-card[data-end]").forEach(function (card) {
      var over = Date.parse(card.dataset.end) <= now;
      card.hidden = over || shown >= room;
      if (!card.hidden) shown += 1;
    });
    var none = list.parentNode.querySelector(".no-upcoming");
    if (none) none.hidden = shown > 0;
  });
})();

// Copy buttons on the subscription pages: shown only when they can work.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.dataset.done = "true";
      });
    });
  });
})();

// Now/next pages: relabel each session (over, on now, coming up) from its
// <time> values, so a page loaded later than the build is still right.
(function () {
  "use strict";
  var now = Date.now();
  document.querySelectorAll(".room-session[data-start][data-end]").forEach(function (item) {
    var start = Date.parse(item.dataset.start), end = Date.parse(item.dataset.end);
    if (isNaN(start) || isNaN(end)) return;
    var state = now >= end ? "past" : now >= start ? "now" : "later";
    item.className = item.className.replace(/\bstate-\w+/, "state-" + state);
    var label = item.querySelector(".nn-label");
    var key = "label" + state.charAt(0).toUpperCase() + state.slice(1);
    if (label && label.dataset[key]) label.textContent = label.dataset[key];
  });
})();

// The search page: Pagefind's index, queried in the browser, with results
// narrowed by camp, city and year (each page's data-pagefind-meta).
(function () {
  "use strict";
  var form = document.querySelector(".search-form[data-bundle]");
  if (!form) return;
  var list = document.querySelector(".search-results");
  var count = document.querySelector(".search-count");
  var messages = document.getElementById("search-messages").dataset;
  var keys = ["camp", "city", "year"];
  // Resolved against the page: import() alone would resolve against this script.
  var bundle = new URL(form.dataset.bundle + "pagefind.js", document.baseURI).href;
  import(bundle).then(function (pagefind) {
    document.querySelector(".search-fallback").hidden = true;
    form.hidden = false;
    var found = [];
    function show() {
      var chosen = {};
      keys.forEach(function (k) { chosen[k] = form.elements[k].value; });
      var shown = found.filter(function (r) {
        return keys.every(function (k) { return !chosen[k] || (r.meta[k] || "") === chosen[k]; });
      });
      list.textContent = "";
      shown.forEach(function (r) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = r.url;
        link.textContent = r.meta.title || r.url;
        var excerpt = document.createElement("p");
        excerpt.innerHTML = r.excerpt;  // Pagefind's excerpt: escaped text with <mark>
        item.append(link, excerpt);
        list.append(item);
      });
      count.textContent = shown.length ? messages.some.replace("{n}", shown.length) : messages.none;
    }
    function fill() {
      keys.forEach(function (k) {
        var select = form.elements[k], keep = select.value;
        var values = Array.from(new Set(found.map(function (r) { return r.meta[k]; }).filter(Boolean))).sort();
        select.length = 1;
        values.forEach(function (v) { select.add(new Option(v, v)); });
        select.value = values.indexOf(keep) >= 0 ? keep : "";
      });
    }
    function run(query) {
      pagefind.search(query).then(function (search) {
        return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
      }).then(function (results) { found = results; fill(); show(); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); run(form.elements.q.value); });
    keys.forEach(function (k) { form.elements[k].addEventListener("change", show); });
    var query = new URLSearchParams(location.search).get("q");
    if (query) { form.elements.q.value = query; run(query); }
  }).catch(function () {
    document.querySelector(".search-unavailable").hidden = false;
  });
})();
