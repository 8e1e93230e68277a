/* The person picker: suggestions as the secretary types into a person field.
 *
 * A person field (congresses.forms.PersonForm) is a plain text input that the server resolves
 * when the form is sent; this script only adds suggestions. It reads from the input's data
 * attributes the URL of the term's people (a JSON list of {id, name, details}), the id of the
 * hidden `member` field it fills with the suggestion chosen, and the texts it shows (already
 * translated by the page). Arrow keys move through the suggestions, Enter picks one, Escape
 * closes the list; typing again clears the choice. Text is set with textContent only. */
(function () {
  "use strict";

  var WAIT_MS = 200;
  var MIN_LETTERS = 2;

  function setUp(input, index) {
    var memberField = document.getElementById(input.dataset.memberField);
    if (!memberField || memberField.type !== "hidden") {
      return; // namesakes are offered as choices on the page: the server's list is used
    }
    var listId = "person-suggestions-" + index;
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(list);
    var chosen = document.createElement("p");
    chosen.className = "chosen muted";
    chosen.setAttribute("aria-live", "polite");
    wrapper.appendChild(chosen);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      active = (next + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function pick(i) {
      var person = results[i];
      input.value = person.name;
      memberField.value = String(person.id);
      chosen.textContent = input.dataset.chosen + " " + person.name + " · " + person.details;
      close();
    }

    function show(found) {
      results = found;
      list.replaceChildren();
      active = -1;
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = input.dataset.none;
        list.appendChild(none);
      }
      found.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("strong");
        name.textContent = person.name;
        var details = document.createElement("span");
        details.className = "details";
        details.textContent = person.details;
        option.append(name, " ", details);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          pick(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < MIN_LETTERS) {
        results = [];
        close();
        return;
      }
      var ticket = ++asked;
      var url = input.dataset.peopleUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === asked && document.activeElement === input) {
            show(data.results);
          }
        })
        .catch(function () {
          close(); // the server still resolves what was typed
        });
    }

    input.addEventListener("input", function () {
      memberField.value = "";
      chosen.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim().length >= MIN_LETTERS) {
          event.preventDefault();
          ask();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // pick, do not send the form yet
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-people-url]").forEach(setUp);
})();
