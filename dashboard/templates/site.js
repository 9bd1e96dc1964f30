// Draws every chart on the page from the Vega-Lite spec embedded next to it, with the bundled Vega (no network).
(function () {
  "use strict";
  window.govreqViews = {};
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var id = el.getAttribute("data-chart");
    var spec = JSON.parse(document.getElementById(id + "-spec").textContent);
    delete spec.title;  // the page prints the title as a heading; the PNG and SVG downloads keep it
    vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(function (result) {
        window.govreqViews[id] = result.view;
        el.setAttribute("data-rendered", "yes");
      })
      .catch(function (error) {
        el.textContent = "This chart could not be drawn here; the PNG and the data table below hold the same figures.";
        console.error(error);
      });
  });
  document.querySelectorAll("select[data-navigate]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) { window.location.href = select.value; }
    });
  });
  // a link to evidence inside a collapsed section opens it
  function reveal() {
    var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    for (var el = target; el; el = el.parentElement) { if (el.tagName === "DETAILS") { el.open = true; } }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  // one kind of request at a time on the index; without scripts every panel shows
  var buttons = document.querySelectorAll("button[data-tab]");
  function show(kind) {
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-tab") === kind)); });
    document.querySelectorAll("[data-tab-panel]").forEach(function (p) {
      p.hidden = p.getAttribute("data-tab-panel") !== kind;
    });
  }
  if (buttons.length) {
    buttons.forEach(function (b) { b.addEventListener("click", function () { show(b.getAttribute("data-tab")); }); });
    var wanted = (window.location.hash.match(/^#disclosure-(.+)$/) || [])[1];
    show(wanted && document.querySelector('[data-tab-panel="' + wanted + '"]') ? wanted : buttons[0].getAttribute("data-tab"));
  }
})();
