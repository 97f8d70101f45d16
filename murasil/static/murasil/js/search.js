// Search as you type: headlines that fit what the reader has typed so far, under the search box.
// Optional: without JS the form simply submits. Suggestions are links; arrows move, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) return;
  var endpoint = input.getAttribute("data-suggest");
  var timer = null, asked = "", active = -1;

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(results) {
    list.textContent = "";
    results.forEach(function (item, i) {
      // The link itself is the option (a link inside an option would nest interactive controls).
      var li = document.createElement("li");
      li.setAttribute("role", "none");
      var a = document.createElement("a");
      a.id = "search-suggestion-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.href = item.url;
      a.tabIndex = -1;
      a.textContent = item.title; // text only: never markup from the server
      var section = document.createElement("span");
      section.className = "suggestion-section";
      section.textContent = item.section;
      a.appendChild(section);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    if (q === asked) return;
    asked = q;
    fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (data.q === input.value.trim()) { active = -1; show(data.results || []); } })
      .catch(close);
  }

  function move(step) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    if (active >= 0) {
      items[active].classList.remove("is-active");
      items[active].firstChild.setAttribute("aria-selected", "false");
    }
    active = (active + step + items.length) % items.length;
    items[active].classList.add("is-active");
    items[active].firstChild.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].firstChild.id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { event.preventDefault(); close(); } // a second Escape clears the box
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("li a")[active].href;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
