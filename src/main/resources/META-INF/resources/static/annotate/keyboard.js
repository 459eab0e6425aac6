// Binds the key table to the page. Focus is never moved by a key except to the response a digit selects, so Tab
// and Shift+Tab always continue from where the annotator is.
import { actionFor } from './keymap.js';

const NATIVE = 'a[href], button, select, input, textarea, summary, [contenteditable="true"]';

/** What the focused element tells the key table. */
export function focusContext(target, selected) {
  const el = target && target.nodeType === 1 ? target : document.body;
  const typing = el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && /^(text|search|email|url|number|password)$/
    .test(el.type)) || el.isContentEditable;
  const item = el.matches('[data-chip], [data-response]');
  const id = el.dataset ? (el.dataset.chip || el.dataset.response) : null;
  return {
    typing: typing,
    control: el.matches(NATIVE),
    item: item,
    inList: !!el.closest('[data-ranked]'),
    selected: !!selected,
    selectedIsFocused: item && id === selected,
    focusedId: item ? id : null
  };
}

/** handlers: an object with one function per action type; state(): {kind, count, selected, flagMode}. */
export function bindKeyboard(state, handlers) {
  document.addEventListener('keydown', event => {
    if (document.querySelector('dialog[open]')) {
      return;
    }
    const now = state();
    const context = Object.assign(focusContext(event.target, now.selected), now);
    const action = actionFor(event, context);
    if (!now.flagMode || !action || action.type !== 'flag') {
      handlers.endFlagMode();
    }
    if (!action || !handlers[action.type]) {
      return;
    }
    event.preventDefault();
    handlers[action.type](action, context);
  });
}
