// Which key does what on a task page, as pure data and one pure function: the Keys dialog is written from the same
// table the keyboard handler reads, so the two cannot disagree.

// The digit row by physical key where the browser says which key it was, else by the character it typed
// (with Shift on a US layout, 1-9 type !@#$%^&*().
const SHIFTED = { '!': 1, '@': 2, '#': 3, '$': 4, '%': 5, '^': 6, '&': 7, '*': 8, '(': 9 };

export function digitOf(event) {
  const code = event.code || '';
  if (/^(Digit|Numpad)[0-9]$/.test(code)) {
    return Number(code.slice(-1));
  }
  if (/^[0-9]$/.test(event.key)) {
    return Number(event.key);
  }
  return SHIFTED[event.key] || NaN;
}

/** The keys of each kind of task, as the Keys dialog lists them. */
export const KEYS = {
  RANKING: [
    [['1', '–', '9'], 'select response 1–9 (Enter or Space on a focused response does the same)'],
    [['Enter'], 'place the selected response at the end of the ranking'],
    [['↑', '↓'], 'move it up or down, while focus is in the ranking list (elsewhere they scroll)'],
    [['K', 'J'], 'move the selected response up or down the ranking'],
    [['T'], 'tie it with the response above (press again to untie)'],
    [['Backspace'], 'take it out of the ranking'],
    [['Shift', '+', '1', '–', '7'], 'rate the selected response'],
    [['F', 'then', '1', '–', '9'], 'tick or untick flag 1–9 on the selected response (F then 0: flag 10)'],
    [['Esc'], 'clear the selection'],
    [['S'], 'skip this task'],
    [['U'], 'report that no response can be ranked'],
    [['G'], 'show the guidelines'],
    [['Ctrl', '+', 'Enter'], 'submit'],
    [['?'], 'show this list']
  ],
  PAIRWISE: [
    [['A'], 'response 1 is better: submit and open the next task'],
    [['B'], 'response 2 is better: submit and open the next task'],
    [['='], 'both are as good: submit as a tie'],
    [['U'], 'both are unusable: submit that and open the next task'],
    [['1', '2'], 'select a response to rate or flag it first (ratings are optional)'],
    [['Shift', '+', '1', '–', '7'], 'rate the selected response'],
    [['F', 'then', '1', '–', '9'], 'tick or untick flag 1–9 on the selected response (F then 0: flag 10)'],
    [['Esc'], 'clear the selection'],
    [['S'], 'skip this task'],
    [['G'], 'show the guidelines'],
    [['?'], 'show this list']
  ],
  DEMONSTRATION: [
    [['Ctrl', '+', 'Enter'], 'submit (also while writing)'],
    [['Tab'], 'leave the editor for the next control'],
    [['Ctrl', '+', 'Shift', '+', 'P'], 'switch between writing and the preview'],
    [['Esc'], 'in the preview: back to writing'],
    [['?'], 'show this list (outside the editor)']
  ]
};

/**
 * The action for a key press, or null to leave the key to the browser (Tab, scrolling, typing, buttons).
 * event: {key, code, shiftKey, ctrlKey, metaKey, altKey}; context: {kind ('RANKING', 'PAIRWISE' or
 * 'DEMONSTRATION'), typing (focus in a text field), control (focus on a button, link, select or other native
 * control), item (focus on a response card or ranking chip), inList (focus in the ordered list), selected (a response
 * is selected), selectedIsFocused, flagMode (F was pressed), count (responses)}.
 */
export function actionFor(event, context) {
  const key = (event.key || '').toLowerCase();
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && event.key === 'Enter') {
    return { type: 'submit' };
  }
  if (context.kind === 'DEMONSTRATION') {
    if (ctrl && event.shiftKey && key === 'p') {
      return { type: 'togglePreview' };
    }
    if (!context.typing && !ctrl && !event.altKey && event.key === '?') {
      return { type: 'help' };
    }
    return null;
  }
  if (context.typing || ctrl || event.altKey) {
    return null;
  }
  const digit = digitOf(event);
  // F then 1-9 for flags 1-9 and F then 0 for flag 10: one digit each, so that the badge on a flag is its keys.
  if (context.flagMode && digit >= 0 && digit <= 9) {
    return { type: 'flag', index: digit === 0 ? 10 : digit };
  }
  if (event.key === '?') {
    return { type: 'help' };
  }
  if (event.key === 'Escape') {
    return { type: 'clear' };
  }
  if (event.shiftKey && digit >= 1 && digit <= 7) {
    return context.selected ? { type: 'rate', value: digit } : null;
  }
  // The pick letters mean nothing to a focused control, so they work wherever focus is (outside text fields).
  if (context.kind === 'PAIRWISE') {
    const choice = { a: 'A', b: 'B', '=': 'TIE', u: 'UNUSABLE' }[key];
    if (choice) {
      return { type: 'pick', choice: choice };
    }
  }
  // A focused select or radio answers digits and arrows itself.
  if (context.control && !context.item) {
    return null;
  }
  if (digit >= 1 && digit <= 9 && digit <= context.count && !event.shiftKey) {
    return { type: 'select', index: digit };
  }
  switch (key) {
    case 'g':
      return { type: 'guidelines' };
    case 's':
      return { type: 'skip' };
    case 'u':
      return { type: 'unrankable' };
    case 'f':
      return context.selected ? { type: 'flagMode' } : null;
    default:
  }
  if ((event.key === 'Enter' || event.key === ' ') && context.item && !context.selectedIsFocused) {
    return { type: 'selectFocused' };
  }
  if (!context.selected) {
    return null;
  }
  switch (event.key === ' ' ? 'space' : key) {
    case 'enter':
      return { type: 'place' };
    case 'space':
      return context.item ? { type: 'place' } : null;
    case 'arrowup':
      return context.inList ? { type: 'move', delta: -1 } : null;
    case 'arrowdown':
      return context.inList ? { type: 'move', delta: 1 } : null;
    case 'k':
      return { type: 'move', delta: -1 };
    case 'j':
      return { type: 'move', delta: 1 };
    case 't':
      return { type: 'tie' };
    case 'backspace':
    case 'delete':
      return { type: 'unplace' };
    default:
      return null;
  }
}
