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
