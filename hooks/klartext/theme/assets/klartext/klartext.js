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
