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
