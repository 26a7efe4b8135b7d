// A table wider than the screen scrolls in its own box (.scroll) rather than the page: this marks such a box, makes it
// reachable by keyboard and says above it that it scrolls. Boxes are re-checked when the window or their content changes.
const hint = document.getElementById('scroll-texts')?.dataset.hint ?? 'Scroll sideways to see the whole table.';

function check(box) {
  const overflowing = box.scrollWidth > box.clientWidth + 1;
  box.dataset.overflowing = overflowing ? 'true' : 'false';
  let note = box.previousElementSibling?.classList.contains('scroll-hint') ? box.previousElementSibling : null;
  if (overflowing && !note) {
    note = document.createElement('p');
    note.className = 'scroll-hint';
    note.textContent = hint;
    box.before(note);
  }
  if (note) {
    note.hidden = !overflowing;
  }
  if (overflowing) {
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', box.getAttribute('aria-label') ?? hint);
  }
}

const observer = new ResizeObserver(entries => entries.forEach(entry => check(entry.target)));
function watch() {
  document.querySelectorAll('.scroll').forEach(box => {
    if (!box.dataset.watched) {
      box.dataset.watched = 'true';
      observer.observe(box);
      check(box);
    }
  });
}
watch();
new MutationObserver(watch).observe(document.body, { childList: true, subtree: true }); // panels that live pages replace
