// Quick exit: ends any follow-up session on this device and leaves for a neutral page at once, replacing this page
// in the history so that Back does not return to it. Without JavaScript the link does both through the server.
// Pressing Escape twice does the same.
(function () {
  var link = document.querySelector('[data-quick-exit]');
  if (!link) return;
  function leave(event) {
    if (event) event.preventDefault();
    document.title = '';
    document.body.style.display = 'none';
    fetch(link.href, { keepalive: true, credentials: 'same-origin', redirect: 'manual' }).catch(function () {});
    window.location.replace(link.getAttribute('data-quick-exit'));
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

// On "Check your report", the browser's Back button returns to the form as it was filled in, as "Change something"
// does. (Without JavaScript, Back shows an empty form: the pages are never stored, so nothing typed stays behind.)
document.addEventListener('DOMContentLoaded', function () {
  var change = document.querySelector('[data-browser-back]');
  if (!change || !window.history.pushState) return;
  window.history.pushState(null, '', window.location.href);
  window.addEventListener('popstate', function () { change.click(); });
});
