// Comments: token on demand, replies in place, posting without a page reload, and the reader's own
// pending comments. Without JS every part still works through plain links and form posts.
(function () {
  "use strict";
  var section = document.getElementById("comments");
  var respond = document.getElementById("respond");
  if (!section || !respond || !window.fetch) return;
  var form = respond.querySelector("form");
  var home = respond.parentNode;
  var homeNext = respond.nextSibling;
  var parentInput = form.querySelector("input[name=parent]");
  var cancel = form.querySelector(".cancel-reply");
  var message = form.querySelector(".form-message");
  var tokenPromise = null;

  function token() {
    if (!tokenPromise) {
      tokenPromise = fetch(section.dataset.tokenUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          form.querySelector("input[name=csrfmiddlewaretoken]").value = data.csrf;
          form.querySelector("input[name=stamp]").value = data.stamp;
          return data;
        });
    }
    return tokenPromise;
  }
  form.addEventListener("focusin", token, { once: true });

  function moveForm(target, parentId) {
    target.appendChild(respond);
    parentInput.value = parentId || "";
    cancel.hidden = !parentId;
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply");
    if (!link) return;
    event.preventDefault();
    moveForm(link.closest("li.comment"), link.dataset.replyTo);
    token();
    form.querySelector("textarea").focus();
  });
  cancel.addEventListener("click", function () {
    home.insertBefore(respond, homeNext);
    parentInput.value = "";
    cancel.hidden = true;
  });

  function insert(item) {
    var holder = document.createElement("ol");
    holder.innerHTML = item.html;
    var node = holder.firstElementChild;
    var parent = item.parent && document.getElementById("comment-" + item.parent);
    var list = section.querySelector(".comment-list");
    if (parent) {
      list = parent.querySelector(":scope > .comment-replies");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-replies";
        parent.appendChild(list);
      }
    }
    if (!document.getElementById(node.id)) list.appendChild(node);
    var empty = section.querySelector(".comments-empty");
    if (empty) empty.hidden = true;
    return node;
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    message.textContent = "";
  }

  function showErrors(errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (!input || input.type === "hidden") {
        message.textContent = errors[name].join(" ");
        return;
      }
      var note = document.createElement("span");
      note.className = "field-error";
      note.id = input.id + "-error";
      note.textContent = errors[name].join(" ");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      input.insertAdjacentElement("afterend", note);
      first = first || input;
    });
    if (first) first.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clearErrors();
    token()
      .then(function (data) {
        return fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": data.csrf },
        });
      })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        var data = result.data;
        if (data.ok) {
          var node = insert(data);
          form.querySelector("textarea").value = "";
          tokenPromise = null; // the next comment gets a fresh stamp, timed from now
          token();
          cancel.click();
          node.scrollIntoView({ block: "nearest" });
          if (data.status === "approved") {
            var count = section.querySelector(".comments-count");
            count.textContent = String(Number(count.textContent) + 1);
          }
        } else if (data.errors) {
          showErrors(data.errors);
        } else {
          message.textContent = data.message || "";
        }
      })
      .catch(function () {
        form.submit(); // the plain post still works and shows the server's own answer
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  // This reader's own comments that still await moderation: only asked for when a cookie says so.
  if (document.cookie.indexOf("murasil_pending=1") !== -1) {
    fetch(section.dataset.mineUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { data.comments.forEach(insert); });
  }
})();
