/* reader HTML export: highlight a sentence's counterpart(s). No network, no eval. */
(function () {
  "use strict";
  var table = document.getElementById("diff");
  if (!table) { return; }
  var pinned = null;

  function group(s) {
    var keys = [s.getAttribute("data-s")];
    var partners = (s.getAttribute("data-partners") || "").split(" ");
    for (var i = 0; i < partners.length; i++) { if (partners[i]) { keys.push(partners[i]); } }
    var out = [];
    for (var k = 0; k < keys.length; k++) {
      var found = table.querySelectorAll('[data-s="' + keys[k] + '"]');
      for (var n = 0; n < found.length; n++) { out.push(found[n]); }
    }
    return out;
  }
  function clear(cls) {
    var on = table.querySelectorAll(".s." + cls);
    for (var i = 0; i < on.length; i++) { on[i].classList.remove(cls); }
  }
  function light(s, cls) {
    clear(cls);
    if (!s) { return; }
    var g = group(s);
    for (var i = 0; i < g.length; i++) { g[i].classList.add(cls); }
  }
  function sentenceOf(e) {
    return e.target && e.target.closest ? e.target.closest(".s") : null;
  }
  function toggle(s) {
    if (!s || s === pinned) { pinned = null; clear("pin"); return; }
    pinned = s;
    light(s, "pin");
  }

  table.addEventListener("mouseover", function (e) { light(sentenceOf(e), "hl"); });
  table.addEventListener("mouseleave", function () { clear("hl"); });
  table.addEventListener("focusin", function (e) { light(sentenceOf(e), "hl"); });
  table.addEventListener("click", function (e) { toggle(sentenceOf(e)); });
  table.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") {
      var s = sentenceOf(e);
      if (s) { e.preventDefault(); toggle(s); }
    }
  });
  /* Printed pages cannot be clicked open: show the removed lines and options. */
  window.addEventListener("beforeprint", function () {
    var d = document.querySelectorAll("details");
    for (var i = 0; i < d.length; i++) { d[i].setAttribute("open", ""); }
  });
})();
