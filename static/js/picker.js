/* Pickers: suggestions as the user types into a field the server resolves on its own.
 *
 * Two kinds of field use it, each a plain text input that works without this script:
 *
 * - a person field (congresses.forms.PersonForm): its data attributes give the URL of the
 *   term's people (a JSON list of {id, name, details}) and the id of the hidden `member`
 *   field that the suggestion chosen fills;
 * - a branch field (members.pickers.BranchCodeField), where the user may type a branch's code:
 *   the script asks the branches API (`?search=`, and `within=` for one subtree) as the user
 *   types part of a name or a code, and a suggestion chosen puts its code in the field.
 *
 * The texts shown come translated from the page (data-chosen, data-none). Arrow keys move
 * through the suggestions, Enter picks one, Escape closes the list; typing again clears the
 * choice. Text is set with textContent only. */
(function () {
  "use strict";

  var WAIT_MS = 200;
  var MIN_LETTERS = 2;

  /* How each kind of field asks and what a suggestion shows and does. */
  function personSource(input) {
    var memberField = document.getElementById(input.dataset.memberField);
    if (!memberField || memberField.type !== "hidden") {
      return null; // namesakes are offered as choices on the page: the server's list is used
    }
    return {
      prefix: "person-suggestions-",
      url: function (text) {
        return input.dataset.peopleUrl + "?q=" + encodeURIComponent(text);
      },
      items: function (data) {
        return data.results.map(function (person) {
          return { label: person.name, details: person.details, person: person };
        });
      },
      pick: function (item) {
        input.value = item.person.name;
        memberField.value = String(item.person.id);
        return item.person.name + " · " + item.person.details;
      },
      typed: function () {
        memberField.value = "";
      },
    };
  }

  function branchSource(input) {
    return {
      prefix: "branch-suggestions-",
      url: function (text) {
        var url = input.dataset.branchesUrl + "?search=" + encodeURIComponent(text);
        if (input.dataset.within) {
          url += "&within=" + encodeURIComponent(input.dataset.within);
        }
        return url;
      },
      items: function (data) {
        return data.results.map(function (branch) {
          var above = branch.ancestors.join(" › ");
          return {
            label: branch.name,
            details: branch.code + (above ? " · " + above : ""),
            branch: branch,
          };
        });
      },
      pick: function (item) {
        input.value = item.branch.code;
        return item.label + " · " + item.details;
      },
      typed: function () {},
    };
  }

  function setUp(input, index, source) {
    if (!source) {
      return;
    }
    var listId = source.prefix + index;
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
      chosen.textContent = input.dataset.chosen + " " + source.pick(results[i]);
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
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("strong");
        label.textContent = item.label;
        var details = document.createElement("span");
        details.className = "details";
        details.textContent = item.details;
        option.append(label, " ", details);
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
      fetch(source.url(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === asked && document.activeElement === input) {
            show(source.items(data));
          }
        })
        .catch(function () {
          close(); // the server still resolves what was typed
        });
    }

    input.addEventListener("input", function () {
      source.typed();
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

  document.querySelectorAll("input[data-people-url]").forEach(function (input, index) {
    setUp(input, index, personSource(input));
  });
  document.querySelectorAll("input[data-branches-url]").forEach(function (input, index) {
    setUp(input, index, branchSource(input));
  });
})();
