// The annotator's work on one task, kept in this browser until the server has acknowledged the submission.

/** A fresh idempotency key: one per draft, so that sending the same draft twice stores it once. */
export function newKey() {
  if (window.crypto && crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
}

export function emptyDraft(taskId, key) {
  return { taskId: taskId, idempotencyKey: key, ratings: {}, flags: {}, places: {}, comment: '', demonstration: '',
    activeMs: 0, touched: false };
}

/**
 * A stored draft for this task, or null. Drafts saved before places existed kept an ordered list instead; it is
 * read into places so that no work is lost across an upgrade.
 */
export function parseDraft(text, taskId) {
  let saved;
  try {
    saved = JSON.parse(text || 'null');
  } catch (e) {
    return null;
  }
  if (!saved || typeof saved !== 'object' || saved.taskId !== taskId) {
    return null;
  }
  const draft = Object.assign(emptyDraft(taskId, saved.idempotencyKey), saved);
  if (!saved.places && Array.isArray(saved.ranked)) {
    let place = 0;
    saved.ranked.forEach((entry, index) => {
      if (index === 0 || !entry.tied) {
        place += 1;
      }
      draft.places[entry.id] = place;
    });
  }
  delete draft.ranked;
  return draft;
}

/** Where a task's draft lives: localStorage, or nowhere in an admin's preview. */
export class DraftStore {
  /** kind: '' for the task's work, 'revision' for a revision of it, kept apart so neither overwrites the other. */
  constructor(taskId, preview, kind) {
    this.key = 'ranklab.draft.' + taskId + (kind ? '.' + kind : '');
    this.taskId = taskId;
    this.preview = preview;
  }

  load() {
    if (this.preview) {
      return null;
    }
    try {
      return parseDraft(localStorage.getItem(this.key), this.taskId);
    } catch (e) {
      return null;
    }
  }

  /** Stores the draft; false when the browser refused (storage full). */
  save(draft) {
    if (this.preview) {
      return true;
    }
    try {
      localStorage.setItem(this.key, JSON.stringify(draft));
      return true;
    } catch (e) {
      return false;
    }
  }

  remove() {
    if (!this.preview) {
      localStorage.removeItem(this.key);
    }
  }
}
