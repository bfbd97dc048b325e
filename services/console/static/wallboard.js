// Follows the wallboard's server-sent events: the server pushes the rendered (escaped) board when
// a figure changed; the page swaps it in place, no reload. EventSource reconnects by itself.
(() => {
  const board = document.getElementById('wallboard');
  if (!board) return;
  const lang = board.dataset.lang || 'zh';
  const events = new EventSource(`/events/wallboard?lang=${encodeURIComponent(lang)}`);
  events.addEventListener('wallboard', (e) => {
    board.innerHTML = JSON.parse(e.data).html;
    board.dataset.version = String(Number(board.dataset.version || '0') + 1);
  });
})();
