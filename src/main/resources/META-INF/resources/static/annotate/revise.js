// Revising submitted work on the task page: the controls start from the latest revision, saving sends a PUT of the
// submission with a key of its own, and nothing about leases or skipping applies (the task is already finished).
import { emptyDraft } from './draft.js';
import { $, $$ } from './view.js';

/** The submission being revised ({revision, ranking, ratings, flags, comment, demonstration}), or null. */
export function revisionOf(root) {
  if (!root.hasAttribute('data-revising')) {
    return null;
  }
  try {
    return JSON.parse(root.dataset.submission);
  } catch (e) {
    return null;
  }
}

/** A draft holding the submission as sent: tier n gives place n, so ties stay ties. Pure. */
export function draftOf(submission, taskId, key) {
  const draft = emptyDraft(taskId, key);
  (submission.ranking || []).forEach((tier, index) => tier.forEach(id => { draft.places[id] = index + 1; }));
  draft.ratings = Object.assign({}, submission.ratings || {});
  Object.entries(submission.flags || {}).forEach(([id, codes]) => { draft.flags[id] = codes.slice(); });
  draft.comment = submission.comment || '';
  draft.demonstration = submission.demonstration || '';
  draft.revisionOf = submission.revision;
  return draft;
}

/**
 * Turns the task page into the revision of a submitted task: PUT instead of POST, back to the submitted view after
 * saving, no skip (a revision replaces work, it cannot withdraw it).
 */
export function enterRevision(sendOptions, taskId, submission) {
  sendOptions.method = 'PUT';
  sendOptions.next = '/annotate/tasks/' + taskId + '?revised=1';
  $$('[data-skip]').forEach(button => { button.hidden = true; });
  const submit = $('[data-submit]');
  submit.firstChild.textContent = 'Save revision ' + (submission.revision + 1) + ' ';
}
