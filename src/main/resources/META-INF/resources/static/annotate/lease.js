// The task's lease, looked after by the page: a countdown in the annotator's own time zone, the lease extended while
// they work, a warning two minutes before an idle lease runs out, and on expiry plain words and one button to take
// the task again. The expiry lives in the <time data-lease-expires> element, the one place every part reads it from.
import { $, setSaveState } from './view.js';
import { showError } from './submit.js';

/** Local wall-clock time of an instant, e.g. 14:32. */
export function localTime(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The countdown's words for the time left, e.g. "12 min left" or "45 s left". */
export function timeLeft(ms) {
  if (ms <= 0) {
    return 'expired';
  }
  return ms >= 60000 ? Math.floor(ms / 60000) + ' min left' : Math.ceil(ms / 1000) + ' s left';
}

/**
 * What the page should do about the lease now: 'expired', 'extend' (the annotator worked since the lease was last
 * granted and it runs out within the extension window), 'warn' (nothing done since the lease was granted and at most
 * warnWithinMs left) or 'ok'. An annotator who acts is never warned: the lease is extended instead.
 */
export function leaseState(remainingMs, activeSinceGrant, extendWithinMs, warnWithinMs) {
  if (remainingMs <= 0) {
    return 'expired';
  }
  if (activeSinceGrant) {
    return remainingMs <= Math.max(extendWithinMs, warnWithinMs) ? 'extend' : 'ok';
  }
  return remainingMs <= warnWithinMs ? 'warn' : 'ok';
}

/** Minutes in words: "1 minute", "30 minutes". */
export function minutes(count) {
  return count + (count === 1 ? ' minute' : ' minutes');
}

function expiryElement() {
  return $('[data-lease-expires]');
}

export function expiry() {
  const el = expiryElement();
  return el ? new Date(el.dataset.leaseExpires) : null;
}

export function showExpiry(iso) {
  const el = expiryElement();
  if (!el || !iso) {
    return;
  }
  const date = new Date(iso);
  el.setAttribute('datetime', iso);
  el.dataset.leaseExpires = iso;
  el.textContent = localTime(date);
  el.title = date.toISOString().replace(/\.\d+Z$/, 'Z').replace('T', ' ') + ' UTC';
}

/** Leases the task again (or extends a live lease); answers the new expiry, or null with the reason shown. */
export async function lease(taskId) {
  try {
    const response = await fetch('/api/v1/tasks/' + taskId + '/lease', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}'
    });
    if (response.ok) {
      const body = await response.json();
      showExpiry(body.leaseExpiresAt);
      return body.leaseExpiresAt;
    }
    let detail = 'The task could not be taken again.';
    try {
      detail = (await response.json()).detail || detail;
    } catch (e) { /* not JSON */ }
    showError(detail + ' Your work is still here if you want to copy it.', false);
  } catch (e) {
    showError('The connection failed. Your work is still here.', false);
  }
  return null;
}

/**
 * Watches the lease. options: {taskId, leaseMinutes, lastActivity() (ms), preview, onExpired(bool)}. Answers a
 * function that takes the task again (for the expiry message's button).
 */
export function watchLease(options) {
  const left = $('[data-lease-left]');
  const warning = $('[data-lease-warning]');
  const expired = $('[data-lease-expired]');
  let grantedAt = Date.now();
  let extending = false;
  let lapsed = false;
  // Extend when at most a third of the lease (at most 5 minutes) is left: early enough never to lapse while working.
  const extendWithin = Math.min(5 * 60000, options.leaseMinutes * 60000 / 3);
  // Warn an idle annotator two minutes before the end, or after half of a lease shorter than four minutes.
  const warnWithin = Math.min(2 * 60000, options.leaseMinutes * 60000 / 2);

  async function retake() {
    extending = true;
    const wasLapsed = lapsed;
    const granted = await lease(options.taskId);
    extending = false;
    if (granted) {
      grantedAt = Date.now();
      lapsed = false;
      expired.hidden = true;
      warning.hidden = true;
      showError('', false);
      options.onExpired(false);
      // "Again" only after the task was lost; an extension while working says so plainly.
      setSaveState((wasLapsed ? 'The task is yours again until ' : 'Yours for longer: until ')
        + localTime(new Date(granted)));
    }
    return granted;
  }

  function tick() {
    const until = expiry();
    if (!until || options.preview || lapsed) {
      return;
    }
    const remaining = until.getTime() - Date.now();
    left.textContent = '(' + timeLeft(remaining) + ')';
    const state = leaseState(remaining, options.lastActivity() > grantedAt, extendWithin, warnWithin);
    warning.hidden = state !== 'warn';
    if (state === 'warn') {
      $('[data-lease-warning-text]').textContent = 'You seem to be away: this task goes back to the queue at '
        + localTime(until) + ' unless you continue.';
    }
    if (state === 'extend' && !extending) {
      retake();
    }
    if (state === 'expired') {
      lapsed = true;
      $('[data-lease-expired-text]').textContent = 'This task was given back to the queue at ' + localTime(until)
        + ' because it was idle for ' + minutes(options.leaseMinutes) + '. Your work is still here.';
      expired.hidden = false;
      warning.hidden = true;
      setSaveState('');
      options.onExpired(true);
    }
  }

  $('[data-lease-keep]').addEventListener('click', retake);
  $('[data-lease-retake]').addEventListener('click', retake);
  $('[data-renew]').addEventListener('click', retake);
  showExpiry(expiryElement() && expiryElement().dataset.leaseExpires);
  tick();
  setInterval(tick, 1000);
  return retake;
}
