// Quick exit: leaves for a neutral page at once, replacing this page in the history so that Back does not
// return to it. Without JavaScript the link still leaves. Pressing Escape twice does the same.
(function () {
  var link = document.querySelector('[data-quick-exit]');
  if (!link) return;
  function leave(event) {
    if (event) event.preventDefault();
    document.title = '';
    document.body.style.display = 'none';
    window.location.replace(link.href);
  }
  link.addEventListener('click', leave);
  var last = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - last < 1000) leave();
    last = now;
  });
})();

// After a mistake, a screen reader or keyboard user starts at the list of what to correct.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
});
