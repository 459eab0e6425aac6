// Every page's forms: after a refused submit, focus goes to the first field marked invalid (its error is linked
// through aria-describedby, so a screen reader reads it); a button with data-confirm asks before its form is sent,
// saying what will follow.
(() => {
  const firstInvalid = document.querySelector('main [aria-invalid="true"]');
  if (firstInvalid) {
    firstInvalid.focus();
  }
  // Times sent in UTC read in the browser's own time zone.
  document.querySelectorAll('time[data-local]').forEach(time => {
    const at = new Date(time.getAttribute('datetime'));
    if (!Number.isNaN(at.getTime())) {
      time.textContent = at.toLocaleString(undefined, time.dataset.local === 'hour'
        ? { month: 'short', day: 'numeric', hour: 'numeric' }
        : { dateStyle: 'medium', timeStyle: 'short' });
    }
  });
  document.addEventListener('submit', event => {
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
