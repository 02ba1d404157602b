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
