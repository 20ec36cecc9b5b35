// Interdict workbench: keyboard triage (our own code; no third-party script).
// Queue: j/k move, Enter or o opens, t/f/u open the alert with that decision chosen.
// Alert page: t/f/u choose True match / False positive / Unsure and put the cursor in Reason
// (Enter there sends it); j/k go to the next/previous alert.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
  }
  function queue() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-alert]"));
    var at = -1;
    function move(to) {
      if (!rows.length) return;
      if (at >= 0) rows[at].classList.remove("current");
      at = Math.max(0, Math.min(rows.length - 1, to));
      rows[at].classList.add("current");
      rows[at].scrollIntoView({ block: "nearest" });
    }
    function open(choice) {
      if (at < 0) return;
      var link = rows[at].querySelector("a[href^='/ui/alerts/']");
      if (link) window.location.href = link.getAttribute("href") + (choice ? "#" + choice : "");
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "j") move(at + 1);
      else if (event.key === "k") move(at - 1);
      else if (event.key === "Enter" || event.key === "o") open("");
      else if (event.key === "t" || event.key === "f" || event.key === "u") open(event.key);
      else return;
      event.preventDefault();
    });
  }
  function alertPage() {
    var form = document.getElementById("decide");
    var reason = document.getElementById("reason");
    var chosen = null;
    function choose(key) {
      if (!form) return;
      var button = form.querySelector("button[data-key='" + key + "']");
      if (!button) return;
      if (chosen) chosen.classList.remove("chosen");
      chosen = button;
      button.classList.add("chosen");
      reason.focus();
    }
    if (reason) {
      reason.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && chosen) {
          event.preventDefault();
          chosen.click();
        }
      });
    }
    var hash = window.location.hash.replace("#", "");
    if (hash) choose(hash);
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      var link = null;
      if (event.key === "t" || event.key === "f" || event.key === "u") choose(event.key);
      else if (event.key === "j") link = document.querySelector("a[rel='next']");
      else if (event.key === "k") link = document.querySelector("a[rel='prev']");
      else return;
      event.preventDefault();
      if (link) window.location.href = link.getAttribute("href");
    });
  }
  var kind = document.body.getAttribute("data-page");
  if (kind === "queue") queue();
  else if (kind === "alert") alertPage();
})();
