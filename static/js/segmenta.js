// Small progressive enhancements; every page works without them.

// Tom Select moves the label to its own search box and hides the original
// <select>, which still carries the form value: it keeps the label's words as
// its accessible name.
function enhanceSelect(select, options) {
  const label = select.labels.length ? select.labels[0].textContent.trim() : "";
  // Tom Select's own words, in the page's language.
  const words = document.body.dataset;
  new TomSelect(select, {
    ...options,
    render: {
      no_results: () => `<div class="no-results">${words.noResults}</div>`,
      ...options.render,
    },
    plugins: Object.fromEntries(
      (options.plugins || []).map((plugin) => [
        plugin,
        plugin === "remove_button" ? { title: words.remove } : {},
      ]),
    ),
  });
  if (label && !select.hasAttribute("aria-label")) {
    select.setAttribute("aria-label", label);
  }
}

// Contact pickers: a <select data-autocomplete-url> becomes a search box that
// asks the server for matches, so no page ever lists every contact.
function initContactPickers() {
  if (typeof TomSelect === "undefined") {
    return;
  }
  for (const select of document.querySelectorAll("select[data-autocomplete-url]")) {
    const url = new URL(select.dataset.autocompleteUrl, window.location.origin);
    enhanceSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: [],
      maxOptions: 20,
      load(query, callback) {
        url.searchParams.set("q", query);
        fetch(url, { headers: { Accept: "application/json" } })
          .then((response) => response.json())
          .then((data) => callback(data.results))
          .catch(() => callback());
      },
    });
  }
}
document.addEventListener("DOMContentLoaded", initContactPickers);

// A header checkbox with data-select-all="name" ticks every checkbox of that name.
document.addEventListener("change", (event) => {
  const name = event.target.dataset.selectAll;
  if (name) {
    for (const box of document.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
      box.checked = event.target.checked;
    }
  }
});

// Multi-selects marked data-enhance="multi" become searchable tag pickers.
function initMultiSelects() {
  if (typeof TomSelect === "undefined") {
    return;
  }
  for (const select of document.querySelectorAll("select[data-enhance=multi]")) {
    enhanceSelect(select, { plugins: ["remove_button"], maxOptions: 500 });
  }
}
document.addEventListener("DOMContentLoaded", initMultiSelects);

// A job's page follows the worker's progress, then reloads to offer the file.
function followJob() {
  const card = document.querySelector("[data-job-status][data-job-running='1']");
  if (!card) {
    return;
  }
  const poll = () => {
    fetch(card.dataset.jobStatus, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((state) => {
        document.getElementById("job-progress").value = state.done;
        document.getElementById("job-done").textContent = state.done.toLocaleString();
        document.getElementById("job-state").textContent = state.state_label;
        document.getElementById("job-phase").textContent = state.phase ? ` · ${state.phase}` : "";
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(() => window.setTimeout(poll, 3000));
  };
  window.setTimeout(poll, 1000);
}
document.addEventListener("DOMContentLoaded", followJob);

// A region marked data-refresh="ms" (a delivery in progress) is read again from
// the server every so often, until the server's copy no longer asks for it.
function refreshRegions() {
  for (const region of document.querySelectorAll("[data-refresh][id]")) {
    const poll = () => {
      fetch(window.location.href, { headers: { Accept: "text/html" } })
        .then((response) => response.text())
        .then((html) => {
          const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (!fresh) {
            return;
          }
          region.innerHTML = fresh.innerHTML;
          if (fresh.dataset.refresh) {
            window.setTimeout(poll, Number(fresh.dataset.refresh));
          } else {
            region.removeAttribute("data-refresh");
          }
        })
        .catch(() => window.setTimeout(poll, 5000));
    };
    window.setTimeout(poll, Number(region.dataset.refresh));
  }
}
document.addEventListener("DOMContentLoaded", refreshRegions);

// A page that comes back with errors says so (WCAG 3.3.1, 4.1.3): the title
// starts with "Error", and focus goes to the error summary or the first
// field in error, so a screen reader reads it at once.
function announceErrors() {
  const target =
    document.querySelector("[data-error-summary]") ||
    document.querySelector(".is-invalid, [aria-invalid=true]");
  if (!target) {
    return;
  }
  document.title = `${document.body.dataset.errorTitle}: ${document.title}`;
  target.focus();
}
document.addEventListener("DOMContentLoaded", announceErrors);

// A field marked data-needs-value="<id>" is usable only while that field has a
// value (a segment's campaign target and response need a campaign).
function followNeededValues() {
  for (const field of document.querySelectorAll("[data-needs-value]")) {
    const needed = document.getElementById(field.dataset.needsValue);
    if (!needed) {
      continue;
    }
    const follow = () => {
      field.disabled = !needed.value;
      if (field.disabled) {
        field.checked = false;
      }
    };
    needed.addEventListener("change", follow);
    follow();
  }
}
document.addEventListener("DOMContentLoaded", followNeededValues);

// The segment header: what the chosen template brings, shown as soon as it is
// chosen (the page renders it for the template it opens with).
document.addEventListener("change", (event) => {
  const noteId = event.target.dataset.templateNotes;
  if (noteId) {
    const notes = JSON.parse(document.getElementById(`${noteId}-data`).textContent);
    document.getElementById(noteId).textContent = notes[event.target.value] || "";
  }
});
