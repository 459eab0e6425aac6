// Every page's forms: after a refused submit, focus goes to the first field marked invalid (its error is linked
// through aria-describedby, so a screen reader reads it); a button with data-confirm asks before its form is sent,
// saying what will follow; controls that act on a form's last applied choices wait while they are changed.
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
  // A form whose choices other controls act on (the export builder: its Download link and background export carry
  // the choices last applied): once a choice changes, those controls wait until the form is sent again, saying why,
  // instead of acting on the old choices.
  document.querySelectorAll('form[data-applied-by]').forEach(form => {
    const name = form.dataset.appliedBy;
    const stale = () => {
      document.querySelectorAll(`[data-applies="${name}"]`).forEach(control => {
        control.setAttribute('aria-disabled', 'true');
        control.setAttribute('aria-describedby', `${name}-stale`);
        control.classList.add('stale');
      });
      document.querySelectorAll(`[data-stale-note="${name}"]`).forEach(note => { note.hidden = false; });
    };
    form.addEventListener('input', stale);
    form.addEventListener('change', stale);
  });
  document.addEventListener('click', event => {
    const control = event.target.closest('[data-applies][aria-disabled="true"]');
    if (control) {
      event.preventDefault();
      const note = document.getElementById(control.getAttribute('aria-describedby'));
      if (note) {
        note.hidden = false;
      }
    }
  }, true);
  document.addEventListener('submit', event => {
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
