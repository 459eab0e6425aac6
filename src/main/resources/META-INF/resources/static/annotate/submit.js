// Sending the work: idempotent with the draft's key, the draft kept until the server acknowledged it, and every
// failure said in words next to the Submit button.
import { $, $$, openDialog, setSaveState } from './view.js';

export function showError(text, canRetake) {
  const box = $('[data-error]');
  box.textContent = text;
  box.hidden = !text;
  $('[data-renew]').hidden = !canRetake;
}

async function problemDetail(response, fallback) {
  try {
    return (await response.json()).detail || fallback;
  } catch (e) {
    return fallback;
  }
}

/**
 * Sends a submission; on success the draft is dropped and the next task opens. options: {taskId, campaignId,
 * preview, store, key(), onBusy(busy), onExpired(), method ('POST', or 'PUT' to revise)}.
 */
export async function send(options, payload) {
  if (options.preview) {
    showError('Preview: nothing was saved. An annotator would now get their next task.', false);
    return false;
  }
  options.onBusy(true);
  showError('', false);
  setSaveState('Sending…');
  try {
    const response = await fetch('/api/v1/tasks/' + options.taskId + '/submission', {
      method: options.method || 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': options.key() },
      body: JSON.stringify(payload)
    });
    if (response.ok) {
      options.store.remove();
      options.onSent();
      setSaveState('Submitted');
      window.location.assign(options.next || '/annotate/' + options.campaignId);
      return true;
    }
    let detail = await problemDetail(response, 'The server answered ' + response.status + '.');
    if (response.status === 401) {
      detail = 'Your session ended. Log in again in another tab, then submit: your work is kept here.';
    }
    if (response.status === 409 && /expired|lease/i.test(detail) && options.onExpired) {
      options.onExpired();
    } else {
      showError(detail, false);
    }
    setSaveState('Not submitted: your work is kept in this browser');
  } catch (e) {
    showError('Not sent: the connection failed. Your work is kept in this browser; submit again when you are back '
      + 'online.', false);
    setSaveState('Not submitted');
  } finally {
    options.onBusy(false);
  }
  return false;
}

/**
 * The Skip and "cannot rank" dialog: preset reasons and free text; a reason is needed only where the campaign asks
 * for one (always for "cannot rank"), and a missing one is said where the reason goes.
 */
export function bindSkip(sendSkip) {
  const dialog = $('#skip-dialog');
  if (!dialog) {
    return () => {};
  }
  const reason = $('#skip-reason');
  const error = $('[data-skip-error]');
  const required = dialog.hasAttribute('data-reason-required');
  let outcome = 'SKIPPED';
  const open = which => {
    outcome = which;
    const unrankable = outcome === 'UNRANKABLE';
    $('[data-skip-title]').textContent = unrankable ? 'Cannot rank: all responses unusable' : 'Skip this task';
    $('[data-skip-confirm]').textContent = unrankable ? 'Report as unrankable' : 'Skip';
    $('[data-skip-optional]').hidden = unrankable || required;
    error.hidden = true;
    reason.removeAttribute('aria-invalid');
    markPreset();
    openDialog('skip-dialog');
    reason.focus();
  };
  $$('[data-skip]').forEach(button => button.addEventListener('click', () => open(button.dataset.skip)));
  const presets = $$('[data-skip-preset]');
  const markPreset = () => presets.forEach(button =>
    button.setAttribute('aria-pressed', button.dataset.skipPreset === reason.value.trim() ? 'true' : 'false'));
  presets.forEach(button => button.addEventListener('click', () => {
    reason.value = button.dataset.skipPreset;
    markPreset();
    reason.focus();
  }));
  reason.addEventListener('input', markPreset);
  // Reasons are short: Enter confirms, Shift+Enter starts a new line.
  reason.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      confirm();
    }
  });
  $('[data-skip-confirm]').addEventListener('click', () => confirm());
  function confirm() {
    const text = reason.value.trim();
    if (!text && (required || outcome === 'UNRANKABLE')) {
      error.textContent = outcome === 'UNRANKABLE'
        ? 'Say what is wrong with the responses, so the campaign\'s admins can fix the item.'
        : 'This campaign asks for a reason: pick one above or write it.';
      error.hidden = false;
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    dialog.close();
    sendSkip(outcome, text);
  }
  return open;
}
