// Quick exit: hides the page at once, tells the server (which ends any follow-up session and makes the forms shown
// before useless), then leaves for a neutral page, replacing this page in the history so that Back does not return
// to it. It waits for the server a moment at most: a slow server never holds the reporter here. Without JavaScript
// the link does the same through the server. Pressing Escape twice does the same.
(function () {
  var link = document.querySelector('[data-quick-exit]');
  if (!link) return;
  var leaving = false;
  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    document.title = '';
    document.body.style.display = 'none';
    var gone = false;
    var go = function () {
      if (gone) return;
      gone = true;
      window.location.replace(link.getAttribute('data-quick-exit'));
    };
    setTimeout(go, 400);
    if (window.fetch) fetch(link.href, { keepalive: true, credentials: 'same-origin', redirect: 'manual' }).then(go, go);
    else go();
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
// Only Back to this page's own entry counts: links within the page (skip link, error links) move through entries too.
document.addEventListener('DOMContentLoaded', function () {
  var change = document.querySelector('[data-browser-back]');
  if (!change || !window.history.pushState) return;
  window.history.replaceState({ harbour: 'check' }, '');
  window.history.pushState({ harbour: 'checking' }, '');
  window.addEventListener('popstate', function (event) {
    if (event.state && event.state.harbour === 'check') change.click();
  });
});

// A form is sent once: a second click while the first is on its way would send the report twice. (After a while it
// may be sent again, in case the first attempt never arrived.)
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (event.defaultPrevented) return;
  if (form.getAttribute('data-sent')) return event.preventDefault();
  form.setAttribute('data-sent', 'yes');
  setTimeout(function () { form.removeAttribute('data-sent'); }, 15000);
});

// On the report form, the contact and meeting questions show only for the ways of reporting that use them (without
// JavaScript they are always there, with a note). A section with something in it or a mistake to correct stays.
document.addEventListener('DOMContentLoaded', function () {
  var sections = document.querySelectorAll('[data-for-kinds]');
  var kinds = document.querySelectorAll('input[name=kind]');
  if (!sections.length || !kinds.length) return;
  function inUse(section) {
    if (section.querySelector('.has-error, input:checked')) return true;
    return Array.prototype.some.call(section.querySelectorAll('input[type=text], input[type=email], input[type=tel]'),
      function (input) { return input.value !== ''; });
  }
  function update() {
    var chosen = document.querySelector('input[name=kind]:checked');
    Array.prototype.forEach.call(sections, function (section) {
      var wanted = chosen && section.getAttribute('data-for-kinds').split(' ').indexOf(chosen.value) >= 0;
      section.hidden = !wanted && !inUse(section);
    });
  }
  Array.prototype.forEach.call(kinds, function (kind) { kind.addEventListener('change', update); });
  update();
});

// Files too many, too large or empty are named beside the field before anything is sent, in the server's words, so
// that a large video chosen by mistake costs no upload and nothing typed is lost. The server checks again.
document.addEventListener('DOMContentLoaded', function () {
  var input = document.querySelector('input[type=file][data-max-bytes]');
  if (!input || !input.form) return;
  var most = +input.getAttribute('data-max-files');
  var max = +input.getAttribute('data-max-bytes');
  input.form.addEventListener('submit', function (event) {
    if (event.submitter && event.submitter.value === 'change') return;
    var files = Array.prototype.slice.call(input.files || []);
    var problem = files.length > most ? 'Attach up to ' + most + ' files.' : null;
    files.forEach(function (file) {
      if (problem) return;
      if (file.size === 0) problem = '"' + file.name + '" is empty: attach the file again, or leave it out.';
      else if (file.size > max) problem = '"' + file.name + '" is larger than ' + Math.round(max / 1048576) + ' MB. Attach a smaller file, or leave it out.';
    });
    if (!problem) return;
    event.preventDefault();
    var field = input.parentNode;
    var message = document.getElementById('evidence-error');
    if (!message) {
      message = document.createElement('p');
      message.className = 'error-message';
      message.id = 'evidence-error';
      field.insertBefore(message, input);
      input.setAttribute('aria-describedby', (input.getAttribute('aria-describedby') || '') + ' evidence-error');
    }
    message.textContent = problem;
    field.classList.add('has-error');
    input.focus();
  });
});
