// Small progressive enhancements; every page works without JavaScript.

// A table wider than the screen scrolls in its wrapper; keyboard users need to reach that
// region to scroll it (WCAG 2.1.1, axe "scrollable-region-focusable"). Such a wrapper becomes a
// named region in the tab order, while it scrolls; wrappers that fit stay out of the way.
function makeScrollingTablesFocusable(root) {
  for (const wrapper of root.querySelectorAll(".kern-table-responsive")) {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (wrapper.dataset.focusable === "markup") continue; // labelled in the template
    if (wrapper.hasAttribute("tabindex") && !wrapper.dataset.focusable) {
      wrapper.dataset.focusable = "markup";
      continue;
    }
    if (scrolls) {
      const caption = wrapper.querySelector("caption");
      const label = caption ? caption.textContent.trim() : document.title;
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", label);
      wrapper.dataset.focusable = "script";
    } else if (wrapper.dataset.focusable === "script") {
      for (const name of ["tabindex", "role", "aria-label"]) wrapper.removeAttribute(name);
      delete wrapper.dataset.focusable;
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  makeScrollingTablesFocusable(document);
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(() => makeScrollingTablesFocusable(document), 150);
  });
  document.body.addEventListener("htmx:afterSettle", () => makeScrollingTablesFocusable(document));
});

document.addEventListener("DOMContentLoaded", () => {
  const results = document.getElementById("results");
  if (!results) return;

  // One persistent live region announces the new row count after a refresh; announcing the
  // whole table (aria-live on #results) would read every row aloud.
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  results.before(status);

  // afterSettle, not afterSwap: htmx settles attributes after the swap, and focus set before
  // that can be lost on a slow machine.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target !== results) return;
    const trigger = event.detail.requestConfig.elt;
    const url = new URL(event.detail.xhr.responseURL || window.location.href);

    // Sorting by a column header happens outside the filter form: keep its hidden sort field
    // in step, so that the next search keeps the chosen order.
    const sortField = document.querySelector("form.filters input[name='sort']");
    if (sortField) sortField.value = url.searchParams.get("sort") || "";

    const count = results.querySelector(".pagination p");
    status.textContent = count ? count.textContent.trim() : "";

    // After sorting or paging (links), move focus to the new content so that keyboard and
    // screen-reader users continue there: the same column header, or the table.
    if (trigger && trigger.matches("a")) {
      const column = trigger.closest("th");
      const header = column ? results.querySelectorAll("thead th")[column.cellIndex] : null;
      const link = header ? header.querySelector("a") : null;
      if (link) {
        link.focus();
      } else {
        const table = results.querySelector("table") || results;
        table.setAttribute("tabindex", "-1");
        table.focus();
      }
    }
  });
});
