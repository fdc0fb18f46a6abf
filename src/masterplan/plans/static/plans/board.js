// The board of measures: drag and drop between columns, and what happens after a move.
// Without JavaScript every card still moves with its buttons (a plain form POST).
(() => {
  let dragged = null;

  function board() {
    return document.getElementById("board");
  }

  // A refused move (409: changed by someone else; 400: not allowed) still answers with the
  // current board: show it instead of leaving the optimistic state on screen.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 400) && event.detail.target === board()) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a move or a filter change: announce the message and keep the keyboard focus on the
  // moved card, which has been redrawn in its new column.
  document.addEventListener("htmx:afterSettle", () => {
    const current = board();
    if (!current) return;
    const live = document.getElementById("board-status");
    const message = current.querySelector("[data-board-message]");
    if (live) live.textContent = message ? message.textContent.trim() : "";
    const moved = current.dataset.moved;
    if (moved) {
      const link = document.querySelector(`#measure-card-${moved} .board-card__title a`);
      if (link) link.focus();
    }
  });

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".board-card[draggable='true']");
    if (!card) return;
    dragged = card;
    card.classList.add("board-card--dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.measure);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("board-card--dragging");
    document.querySelectorAll(".board-column--drop").forEach((c) => c.classList.remove("board-column--drop"));
    dragged = null;
  });

  document.addEventListener("dragover", (event) => {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!dragged || !column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".board-column--drop").forEach((c) => {
      if (c !== column) c.classList.remove("board-column--drop");
    });
    column.classList.add("board-column--drop");
  });

  document.addEventListener("drop", (event) => {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!dragged || !column) return;
    event.preventDefault();
    const card = dragged;
    const from = card.closest(".board-column");
    column.classList.remove("board-column--drop");
    if (from === column) return;
    const form = card.querySelector("form");
    const input = form && form.querySelector("[data-drop-status]");
    if (!input) return;
    // Optimistic: the card shows in its new column at once; the answer redraws the board.
    column.querySelector(".board-cards").prepend(card);
    input.disabled = false;
    input.value = column.dataset.status;
    form.requestSubmit();
  });
})();
