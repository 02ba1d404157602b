/* Klartext: Material's search worker with two changes to its lunr.js, so that search works the same in
   every language variant and script (README: "Search").

   1. Inflected forms find each other. Material appends "*" to every query word (prefix search) and lunr
      skips its stemmer for such words, while the index holds stems: "Sprache*" never met the stem
      "sprach". Here the word before the "*" goes through the language's pipeline too ("sprach*").
      A stop word keeps its plain prefix, so typing "die" still finds "Dienst".
   2. Spellings are normalised in the index and in the query alike: the Leichte Sprache middle dot and
      soft hyphens inside a word (Stadt·verwaltung = Stadtverwaltung), the typographic and the typewriter
      apostrophe (Ukrainian з’явитися = з'явитися), Arabic short vowels and tatweel.

   Loaded instead of Material's worker (theme/main.html), whose file name comes after "material=";
   inside the iframe-worker shim of the offline copy, importScripts() returns a promise. */
(function () {
  var own = typeof parent !== "undefined" && "IFrameWorker" in parent
    ? document.querySelector("script[src]").src
    : self.location.href;
  var material = /[?&]material=([\w.\-]+)/.exec(own)[1];
  var folder = own.split("?")[0].replace(/[^\/]*$/, "");
  Promise.resolve(importScripts(folder + material)).then(function () { patch(self.lunr); });

  function normalise(token) {
    var text = token.toString()
      .replace(/[\u00b7\u00ad\u200b-\u200d\u2060]/g, "")
      .replace(/[\u2019\u02bc\u2018\u0060\u00b4]/g, "'")
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "");
    if (!text) return undefined;
    return token.update(function () { return text; });
  }

  var pipeline = null; /* the search pipeline of the index */

  function stem(clause) {
    var prefix = /^([^*]+)\*$/.exec(clause.term);
    if (clause.usePipeline !== false || !prefix) return;
    var terms = pipeline.runString(prefix[1]);
    if (terms.length === 1 && terms[0]) clause.term = terms[0] + "*";
  }

  function patch(lunr) {
    lunr.Pipeline.registerFunction(normalise, "klartextNormalise");

    var add = lunr.Builder.prototype.add;
    lunr.Builder.prototype.add = function () {
      if (!this.klartextNormalised) {
        this.klartextNormalised = true;
        this.pipeline._stack.unshift(normalise);
        this.searchPipeline._stack.unshift(normalise);
        pipeline = this.searchPipeline;
      }
      return add.apply(this, arguments);
    };

    /* Material's query parser runs twice per search: for lunr's search and for marking which words
       were found (the words in the index are stems, so the marked words must be stems too). */
    var parse = lunr.QueryParser.prototype.parse;
    lunr.QueryParser.prototype.parse = function () {
      var query = parse.apply(this, arguments);
      if (pipeline) query.clauses.forEach(stem);
      return query;
    };
  }
})();
