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

/* Klartext: "Stand" of a page. The date comes from the data (builds stay repeatable); the reader's own
   clock decides whether the notice "older than N months" is shown. */
document.querySelectorAll("[data-kt-stand]").forEach(function (stand) {
  var parts = stand.getAttribute("data-kt-stand").split("-").map(Number);
  var months = Number(stand.getAttribute("data-kt-notice-months"));
  var limit = new Date(parts[0], parts[1] - 1 + months, parts[2]);
  var notice = stand.querySelector(".kt-stand__old");
  if (notice && new Date() > limit) notice.hidden = false;
});
