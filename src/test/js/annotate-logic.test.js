// Checks of the task page's pure modules, run in Chromium by AnnotateLogicTest. It answers the list of failures.
const ranking = await import('/static/annotate/ranking.js');
const keymap = await import('/static/annotate/keymap.js');
const draft = await import('/static/annotate/draft.js');
const lease = await import('/static/annotate/lease.js');
const failures = [];
const same = (name, actual, expected) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    failures.push(name + ': expected ' + JSON.stringify(expected) + ' but was ' + JSON.stringify(actual));
  }
};
const ids = ['a', 'b', 'c', 'd'];
const labels = { a: '1', b: '2', c: '3', d: '4' };
const task = { kind: 'RANKING', ids: ids, labels: labels, ratingsRequired: true };

// Places and tiers: equal places tie, gaps do not matter, unplaced responses are left out.
same('tiers', ranking.tiersOf({ a: 3, b: 1, c: 3 }, ids), [['b'], ['a', 'c']]);
same('shown places are dense', ranking.shownPlaces({ a: 4, b: 2 }, ids), { b: 1, a: 2 });
same('chosen places keep gaps, as the place controls do', ranking.chosenPlaces({ a: 1, b: 2, c: 2, d: 4 }, ids),
  { a: 1, b: 2, c: 2, d: 4 });
same('append goes below all', ranking.append({ a: 1, b: 1 }, ids, 'c'), { a: 1, b: 1, c: 2 });
same('append keeps a placed one', ranking.append({ a: 1 }, ids, 'a'), { a: 1 });
same('set place 0 unranks', ranking.setPlace({ a: 1, b: 2 }, 'a', 0), { b: 2 });
same('removing the top closes the gap', ranking.remove({ c: 1, a: 2, b: 3 }, ids, 'c'), { a: 1, b: 2 });
same('removing keeps ties', ranking.remove({ a: 1, b: 2, c: 2, d: 4 }, ids, 'a'), { b: 1, c: 1, d: 2 });
same('move up', ranking.move({ a: 1, b: 2, c: 3 }, ids, 'c', -1), { a: 1, c: 2, b: 3 });
same('move top up stays', ranking.move({ a: 1, b: 2 }, ids, 'a', -1), { a: 1, b: 2 });
same('move out of a tie', ranking.move({ a: 1, b: 1, c: 2 }, ids, 'b', 1), { a: 1, c: 2, b: 3 });
same('tie with above', ranking.toggleTie({ a: 1, b: 2, c: 3 }, ids, 'c'), { a: 1, b: 2, c: 2 });
same('untie', ranking.toggleTie({ a: 1, b: 2, c: 2 }, ids, 'c'), { a: 1, b: 2, c: 3 });
same('the top cannot tie upwards', ranking.toggleTie({ a: 1, b: 2 }, ids, 'a'), { a: 1, b: 2 });
same('dragged order keeps ties of neighbours', ranking.fromOrder({ a: 1, b: 1, c: 2 }, ids, ['a', 'b', 'd', 'c']),
  { a: 1, b: 1, d: 2, c: 3 });

// What is missing, and contradictions.
same('all missing', ranking.missing(task, { places: {}, ratings: {} }),
  ['Rate responses 1, 2, 3, 4', 'Rank responses 1, 2, 3, 4']);
same('ratings optional', ranking.missing(Object.assign({}, task, { ratingsRequired: false }),
  { places: { a: 1, b: 2, c: 2 }, ratings: {} }), ['Rank response 4']);
same('complete', ranking.missing(task, { places: { a: 1, b: 2, c: 3, d: 4 }, ratings: { a: 7, b: 6, c: 5, d: 1 } }),
  []);
same('demonstration too short', ranking.missing({ kind: 'DEMONSTRATION', min: 5, max: 10 }, { demonstration: ' ab ' }),
  ['Write at least 5 characters (2 so far)']);
same('demonstration empty', ranking.missing({ kind: 'DEMONSTRATION', min: 1, max: 10 }, { demonstration: '' }),
  ['Write your answer']);
same('contradiction', ranking.contradictions(task, { places: { a: 1, b: 2 }, ratings: { a: 3, b: 5 } }),
  ['Response 1 is ranked above response 2 but rated 3 against 5']);
same('ties never contradict', ranking.contradictions(task, { places: { a: 1, b: 1 }, ratings: { a: 3, b: 5 } }), []);
same('body', ranking.rankingBody(task, { places: { a: 2, b: 1, c: 2, d: 3 }, ratings: { a: 1 }, flags: { a: [], b: ['x'] },
  comment: '' }, 9), { ranking: [['b'], ['a', 'c'], ['d']], ratings: { a: 1 }, flags: { b: ['x'] }, comment: '',
  activeSeconds: 9 });
same('first words', ranking.firstWords('  one two\nthree four ', 3), 'one two three…');

// The key table.
const listed = kind => keymap.KEYS[kind].map(row => row[1]).join(' | ');
const at = (key, context, extra) => keymap.actionFor(Object.assign({ key: key, code: '' }, extra || {}),
  Object.assign({ kind: 'RANKING', count: 4, selected: true }, context || {}));
same('digit selects', at('2', { selected: false }), { type: 'select', index: 2 });
same('digit beyond K', at('5', { selected: false }), null);
same('upper-case J moves', at('J', {}, { shiftKey: true }), { type: 'move', delta: 1 });
same('upper-case T ties', at('T', {}, { shiftKey: true }), { type: 'tie' });
same('arrow outside the list scrolls', at('ArrowDown', { inList: false }), null);
same('arrow in the list moves', at('ArrowUp', { inList: true, item: true }), { type: 'move', delta: -1 });
same('escape clears', at('Escape', {}), { type: 'clear' });
same('tab is the browser\'s', at('Tab', { item: true }), null);
same('shift-tab is the browser\'s', at('Tab', { item: true }, { shiftKey: true }), null);
same('enter on a focused unselected card selects it', at('Enter', { item: true, selectedIsFocused: false }),
  { type: 'selectFocused' });
same('space on a focused card selects it', at(' ', { item: true, selected: false }), { type: 'selectFocused' });
same('enter on the selected card places it', at('Enter', { item: true, selectedIsFocused: true }), { type: 'place' });
same('enter on a button is the button\'s', at('Enter', { control: true }), null);
same('digits on a select are the select\'s', at('3', { control: true }), null);
same('shift+digit rates', at('%', {}, { shiftKey: true, code: 'Digit5' }), { type: 'rate', value: 5 });
same('F then a digit flags', at('2', { flagMode: true }), { type: 'flag', index: 2 });
same('F then 0 is flag 10', at('0', { flagMode: true }), { type: 'flag', index: 10 });
same('F needs a selection', at('f', { selected: false }), null);
same('S skips', at('S', { selected: false }, { shiftKey: true }), { type: 'skip' });
same('typing is left alone', at('s', { typing: true }), null);
same('ctrl+enter submits while typing', at('Enter', { typing: true }, { ctrlKey: true }), { type: 'submit' });
same('pairwise A', at('a', { kind: 'PAIRWISE', count: 2, selected: false }), { type: 'pick', choice: 'A' });
same('no A outside pairwise', at('a', { selected: false }), null);
same('pairwise upper-case B', at('B', { kind: 'PAIRWISE', count: 2, selected: false }, { shiftKey: true }),
  { type: 'pick', choice: 'B' });
same('pairwise = ties', at('=', { kind: 'PAIRWISE', count: 2 }), { type: 'pick', choice: 'TIE' });
same('pairwise U is both unusable', at('u', { kind: 'PAIRWISE', count: 2 }), { type: 'pick', choice: 'UNUSABLE' });
same('pairwise pick on a focused button', at('a', { kind: 'PAIRWISE', count: 2, control: true }),
  { type: 'pick', choice: 'A' });
same('pairwise pick not while typing', at('a', { kind: 'PAIRWISE', count: 2, typing: true }), null);
same('U outside pairwise asks why', at('u', { selected: false }), { type: 'unrankable' });
same('pick A', ranking.pickPlaces(['a', 'b'], 'A'), { a: 1, b: 2 });
same('pick B', ranking.pickPlaces(['a', 'b'], 'B'), { a: 2, b: 1 });
same('a tie is one tier', ranking.tiersOf(ranking.pickPlaces(['a', 'b'], 'TIE'), ['a', 'b']), [['a', 'b']]);
same('pairwise keys list the picks only for K = 2', /both are unusable/.test(listed('PAIRWISE'))
  && !/both are unusable/.test(listed('RANKING')), true);
same('demonstration ? in the editor types', at('?', { kind: 'DEMONSTRATION', typing: true }), null);
same('demonstration digits type', at('1', { kind: 'DEMONSTRATION' }), null);
same('ranking keys do not mention the editor', /editor/.test(listed('RANKING')), false);
same('editor keys do not mention ranking', /rank|select response/.test(listed('DEMONSTRATION')), false);

// Drafts, including those saved before places existed.
same('old draft read into places', draft.parseDraft(JSON.stringify({ taskId: '7', ranked: [{ id: 'a' },
  { id: 'b', tied: true }, { id: 'c' }] }), '7').places, { a: 1, b: 1, c: 2 });
same('draft of another task ignored', draft.parseDraft(JSON.stringify({ taskId: '8' }), '7'), null);
same('broken draft ignored', draft.parseDraft('{', '7'), null);
// The lease: a warning only for the idle, an extension for the active, whatever the time left.
same('a fresh short lease is no warning', lease.leaseState(60000, false, 20000, 30000), 'ok');
same('idle for half a short lease warns', lease.leaseState(25000, false, 20000, 30000), 'warn');
same('acting while warned extends', lease.leaseState(25000, true, 20000, 30000), 'extend');
same('active with time left is fine', lease.leaseState(100000, true, 20000, 30000), 'ok');
same('expired', lease.leaseState(0, true, 20000, 30000), 'expired');
same('one minute', lease.minutes(1), '1 minute');
same('minutes', lease.minutes(30), '30 minutes');
return failures;
