// Live updates of a running episode's page: the server sends each new journal event as a ready, sanitized
// list item; this only appends it. Without JavaScript the page is the same, minus the updates.
(function () {
  "use strict";
  var article = document.querySelector("[data-events]");
  var log = document.getElementById("log");
  var state = document.getElementById("state");
  var after = document.getElementById("after");
  if (!article || !log || !window.EventSource) { return; }
  var source = new EventSource(article.getAttribute("data-events") + "?after=" + (after ? after.getAttribute("data-after") : "0"));
  source.addEventListener("open", function () { article.setAttribute("data-live", "open"); });
  source.addEventListener("error", function () { article.setAttribute("data-live", "reconnecting"); });
  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
  }
  source.addEventListener("item", function (e) {
    var template = document.createElement("template");
    template.innerHTML = e.data;
    var item = template.content.firstElementChild;
    if (!item || (item.id && document.getElementById(item.id))) { return; }
    var seat = item.getAttribute("data-seat");
    if (seat && item.classList.contains("msg") && !item.classList.contains("draft")) {
      log.querySelectorAll(".draft").forEach(function (d) {
        if (d.getAttribute("data-seat") === seat) { d.remove(); }
      });
    }
    var retracts = item.getAttribute("data-retracts");
    if (retracts) {
      retracts.split(" ").forEach(function (id) {
        var gone = document.getElementById(id);
        if (gone) { gone.remove(); }
      });
    }
    var follow = nearBottom();
    log.appendChild(item);
    if (follow) { item.scrollIntoView({block: "end"}); }
  });
  source.addEventListener("state", function (e) {
    var s = JSON.parse(e.data);
    state.setAttribute("data-state", s.state);
    state.textContent = s.text;
    if (s.state === "ended") { source.close(); }
  });
  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
})();
