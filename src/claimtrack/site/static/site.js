/* claimtrack explorer: the claim panel on document pages; filters and search on the claims list. */
(function () {
  "use strict";

  function openClaim(slug, focus) {
    var template = document.getElementById("panel-" + slug);
    var panel = document.getElementById("panel");
    if (!template || !panel) { return false; }
    panel.replaceChildren(template.content.cloneNode(true));
    document.querySelectorAll("mark.selected").forEach(function (m) { m.classList.remove("selected"); });
    document.querySelectorAll('mark[data-claim="' + slug + '"]').forEach(function (m) { m.classList.add("selected"); });
    if (history.replaceState) { history.replaceState(null, "", "#claim-" + slug); }
    if (focus) { var heading = panel.querySelector(".statement"); if (heading) { heading.focus(); } }
    return true;
  }

  function documentPage(text) {
    text.addEventListener("click", function (event) {
      if (event.target.closest("a.fn")) { return; }
      var marker = event.target.closest("a.cm");
      var mark = marker || event.target.closest("mark.claim");
      if (!mark) { return; }
      if (openClaim(mark.getAttribute("data-claim"), Boolean(marker))) { event.preventDefault(); }
    });
    var match = /^#claim-([a-z0-9-]+)$/.exec(location.hash);
    if (match) {
      openClaim(match[1], false);
      var first = document.querySelector('mark[data-claim="' + match[1] + '"]');
      if (first) { first.scrollIntoView({ block: "center" }); }
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function claimsPage(form) {
    var claims = [].concat.apply([], window.CLAIMTRACK_CLAIMS || []);
    var byId = {};
    claims.forEach(function (claim) { byId[claim.id] = claim; });
    // lunr.js (Debian's libjs-lunr): statements and quotes, unstemmed so that a word's
    // beginning finds it (a trailing wildcard on each word of the query; words are OR'ed).
    var search = lunr(function () {
      this.ref("id");
      this.field("s");
      this.field("q");
      this.pipeline.remove(lunr.stemmer);
      this.searchPipeline.remove(lunr.stemmer);
      claims.forEach(function (claim) { this.add(claim); }, this);
    });
    function find(words) {
      var tokens = lunr.tokenizer(words).map(function (token) { return token.toString(); });
      return search.query(function (query) {
        tokens.forEach(function (token) {
          query.term(token, { wildcard: lunr.Query.wildcard.TRAILING });
        });
      });
    }
    var query = document.getElementById("q");
    var results = document.getElementById("results");
    var count = document.getElementById("count");
    var more = document.getElementById("more");
    var shown = 0, matched = [];
    var PAGE = 100;

    function passes(claim, field, value) {
      if (field === "x") { return claim.x === true; }
      if (field === "t") { return claim.t.indexOf(value) >= 0; }
      return claim[field] === value;
    }

    function render(reset) {
      if (reset) { results.replaceChildren(); shown = 0; }
      matched.slice(shown, shown + PAGE).forEach(function (claim) {
        var item = el("li");
        item.setAttribute("data-claim-id", claim.id);
        var link = el("a", "", claim.s);
        link.href = "claims/" + claim.id + ".html";
        item.append(link, el("span", "quote-line", "“" + claim.q + "” — " + claim.cn + " · " + claim.st + " · " + claim.y));
        results.append(item);
      });
      shown = Math.min(matched.length, shown + PAGE);
      more.hidden = shown >= matched.length;
    }

    function update() {
      var pool = claims;
      var words = query.value.trim();
      if (words) { pool = find(words).map(function (hit) { return byId[hit.ref]; }); }
      var active = [];
      form.querySelectorAll("[data-field]").forEach(function (input) {
        var value = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
        if (value) { active.push([input.getAttribute("data-field"), value]); }
      });
      matched = pool.filter(function (claim) {
        return active.every(function (pair) { return passes(claim, pair[0], pair[1]); });
      });
      count.textContent = matched.length + " of " + claims.length + " claims";
      render(true);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    more.addEventListener("click", function () { render(false); });
    update();
  }

  var text = document.getElementById("doc-text");
  if (text) { documentPage(text); }
  var form = document.getElementById("filters");
  if (form) { claimsPage(form); }
})();
