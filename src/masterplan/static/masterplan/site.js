// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the results after an HTMX list refresh triggered by sorting or paging,
  // so keyboard and screen-reader users land on the new content.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "results" && event.detail.requestConfig.elt.matches("a")) {
      const heading = target.querySelector("caption") || target;
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
});
