/* Klartext: Escape dismisses an open glossary tooltip (WCAG 1.4.13); it returns on the next hover or focus. */
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".kt-term-wrap:hover, .kt-term-wrap:focus-within").forEach(function (wrap) {
    wrap.classList.add("kt-term-wrap--dismissed");
  });
});
["mouseout", "focusout"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var wrap = event.target.closest && event.target.closest(".kt-term-wrap");
    if (wrap && !wrap.contains(event.relatedTarget)) wrap.classList.remove("kt-term-wrap--dismissed");
  });
});
/* Klartext: Material's search reads the query on "keyup" only. Text that arrives without a key being
   released (pasted from a menu, dictated, picked from an on-screen keyboard's suggestions, composed with
   an input method, typed by assistive or automation tools) was never searched: the list stayed at
   "type to start searching". Every input now counts like a key. */
document.addEventListener("input", function (event) {
  var field = event.target;
  if (field && field.matches && field.matches("[data-md-component=search-query]")) {
    field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});

/* Klartext: "Stand" of a page. The date comes from the data (builds stay repeatable); the reader's own
   clock decides whether the notice "older than N months" is shown. */
document.querySelectorAll("[data-kt-stand]").forEach(function (stand) {
  var parts = stand.getAttribute("data-kt-stand").split("-").map(Number);
  var months = Number(stand.getAttribute("data-kt-notice-months"));
  var limit = new Date(parts[0], parts[1] - 1 + months, parts[2]);
  var notice = stand.querySelector(".kt-stand__old");
  if (notice && new Date() > limit) notice.hidden = false;
});

/* Klartext: glossary terms on touch screens. The first tap opens the explanation (a tap does not
   hover, so it would otherwise jump straight to the glossary); a second tap follows the link.
   A tap elsewhere or Escape closes it. Every explanation is kept inside the viewport. */
(function () {
  var touch = false;
  document.addEventListener("pointerdown", function (event) { touch = event.pointerType === "touch"; }, true);

  function closeAll(except) {
    document.querySelectorAll(".kt-term-wrap--open").forEach(function (wrap) {
      if (wrap !== except) wrap.classList.remove("kt-term-wrap--open");
    });
  }

  function keepInView(wrap) {
    var tip = wrap.querySelector(".kt-term__tip");
    if (!tip) return;
    tip.style.removeProperty("translate");
    var box = tip.getBoundingClientRect();
    if (!box.width) return;
    var margin = 8, shift = 0, width = document.documentElement.clientWidth;  // not innerWidth: on phones
    if (box.right > width - margin) shift = width - margin - box.right;   // it grows with the overflow
    if (box.left + shift < margin) shift = margin - box.left;
    if (shift) tip.style.setProperty("translate", shift + "px 0");
  }

  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest("a.kt-term");
    if (!term) {  // a tap elsewhere, or on the explanation itself, closes it
      var inside = event.target.closest && event.target.closest(".kt-term-wrap");
      if (!inside || event.target.closest(".kt-term__tip")) closeAll(null);
      return;
    }
    var wrap = term.closest(".kt-term-wrap");
    if (touch && wrap && !wrap.classList.contains("kt-term-wrap--open")) {
      event.preventDefault();
      closeAll(wrap);
      wrap.classList.remove("kt-term-wrap--dismissed");
      wrap.classList.add("kt-term-wrap--open");
      keepInView(wrap);
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeAll(null); });
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var wrap = event.target.closest && event.target.closest(".kt-term-wrap");
      if (wrap) keepInView(wrap);
    });
  });
})();

/* Klartext (16fig): a table wider than its box scrolls inside the box; the hint above it ("swipe sideways")
   is shown exactly when the box is narrower than its table (measured again when the window changes). */
(function () {
  function measure() {
    document.querySelectorAll(".kt-scroll").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("kt-scroll--wide", wide);
      if (wide) {  /* reachable by keyboard (arrow keys scroll it), named for screen readers */
        var named = box.closest("figure");
        var caption = named && named.querySelector("figcaption");
        var table = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", ((table || caption || box).textContent || "").trim().slice(0, 200));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
    document.documentElement.classList.add("kt-tables-measured");
  }
  measure();
  window.addEventListener("resize", measure);
})();
