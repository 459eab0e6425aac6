// Ranklab's task pages: ranking (place controls on each card, an ordered summary with drag-and-drop, the keyboard),
// demonstrations with preview, drafts kept in the browser until the server has acknowledged the submission, and
// submissions made idempotent with a per-draft key. Each concern lives in its own module; this one wires them.
import { DraftStore, emptyDraft, newKey } from './draft.js';
import { KEYS } from './keymap.js';
import { bindKeyboard } from './keyboard.js';
import { watchLease } from './lease.js';
import * as ranking from './ranking.js';
import { draftOf, enterRevision, revisionOf } from './revise.js';
import { bindSkip, send, showError } from './submit.js';
import { $, $$, labelChips, markSelected, openDialog, renderFlags, renderKeys, renderMissing, renderRanking,
  setSaveState } from './view.js';

/** The reason stored when a pairwise task is answered "both unusable". */
const BOTH_UNUSABLE = 'Both responses are unusable';

const root = $('[data-task]');
if (root) {
  start(root);
}

function start(root) {
  const taskId = root.dataset.taskId;
  const preview = root.hasAttribute('data-preview');
  const cards = $$('[data-response]');
  const task = {
    kind: root.dataset.kind,
    ids: cards.map(card => card.dataset.response),
    labels: Object.fromEntries(cards.map(card => [card.dataset.response, card.dataset.label])),
    ratingsRequired: root.dataset.ratingsRequired !== 'false',
    min: Number(root.dataset.minChars),
    max: Number(root.dataset.maxChars)
  };
  const keyKind = task.kind === 'RANKING' && task.ids.length === 2 && !task.ratingsRequired ? 'PAIRWISE' : task.kind;
  const revising = revisionOf(root);
  const store = new DraftStore(taskId, preview, revising ? 'revision' : '');
  const restored = store.load();
  const work = restored || (revising ? draftOf(revising, taskId, newKey()) : emptyDraft(taskId, newKey()));
  let selected = null;
  let flagMode = false;
  let busy = false;
  let sent = false;
  let lapsed = false;

  function update() {
    let list = ranking.missing(task, work);
    if (keyKind === 'PAIRWISE' && !task.ids.some(id => work.places[id] > 0)) {
      list = ['Pick the better response, a tie or both unusable'];
    }
    renderMissing(lapsed ? ['Take the task again to submit it'].concat(list) : list, busy);
  }

  function save() {
    work.touched = true;
    if (!preview) {
      setSaveState(store.save(work) ? 'Draft saved' : 'Draft not saved: browser storage is full');
    }
    update();
  }

  function redraw() {
    renderRanking(task, work, selected, tie);
  }

  function change(places, message) {
    work.places = places;
    redraw();
    save();
    if (message) {
      setSaveState(message);
    }
  }

  const label = id => 'Response ' + task.labels[id];
  const tie = id => {
    change(ranking.toggleTie(work.places, task.ids, id), label(id) + ' tie changed');
  };

  function select(id, focusCard) {
    selected = id;
    markSelected(selected);
    if (focusCard && id) {
      const card = $('#response-' + id);
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- Active time: counted while the page is visible and the annotator did something in the last minute ------
  let lastActivity = Date.now();
  ['keydown', 'mousedown', 'mousemove', 'scroll', 'input', 'touchstart'].forEach(type =>
    document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true }));
  setInterval(() => {
    if (document.visibilityState === 'visible' && Date.now() - lastActivity < 60000) {
      work.activeMs += 1000;
    }
  }, 1000);
  setInterval(() => {
    if (work.touched && !sent) {
      store.save(work);
    }
  }, 15000);
  const activeSeconds = () => Math.round(work.activeMs / 1000);

  // ---- Dialogs -------------------------------------------------------------------------------------------------
  $$('[data-open]').forEach(button => button.addEventListener('click', () => openDialog(button.dataset.open)));
  $$('dialog [data-close]').forEach(button => button.addEventListener('click', () => button.closest('dialog').close()));
  renderKeys(KEYS[keyKind]);

  // ---- Ranking -------------------------------------------------------------------------------------------------
  if (task.kind === 'RANKING') {
    labelChips();
    $$('[data-chip]').forEach(chip => {
      chip.addEventListener('click', () => select(chip.dataset.chip, false));
      chip.addEventListener('dblclick', () => change(ranking.append(work.places, task.ids, chip.dataset.chip)));
    });
    cards.forEach(card => card.addEventListener('click', event => {
      if (!event.target.closest('a, button, input, select, textarea, summary, label')) {
        select(card.dataset.response, false);
      }
    }));
    $$('[data-place-select]').forEach(control => control.addEventListener('change', () => {
      const id = control.dataset.placeSelect;
      const place = Number(control.value) || 0;
      change(place ? ranking.setPlace(work.places, id, place) : ranking.remove(work.places, task.ids, id),
        control.value ? label(id) + ' given place ' + control.value : label(id) + ' taken out of the ranking');
    }));
    if (window.Sortable) {
      const options = {
        group: 'ranking',
        animation: 120,
        filter: '.tie-toggle',
        // Mouse-event dragging: the same on touch screens, and drivable by automated browser tests.
        forceFallback: true,
        preventOnFilter: false,
        onEnd: () => change(ranking.fromOrder(work.places, task.ids,
          $$('[data-chip]', $('[data-ranked]')).map(chip => chip.dataset.chip)))
      };
      Sortable.create($('[data-ranked]'), options);
      Sortable.create($('[data-pool]'), options);
    }
    $$('[data-rating-of]').forEach(input => {
      input.checked = work.ratings[input.dataset.ratingOf] === Number(input.value);
      input.addEventListener('change', () => {
        work.ratings[input.dataset.ratingOf] = Number(input.value);
        save();
      });
    });
    $$('[data-flag-of]').forEach(input => {
      input.checked = (work.flags[input.dataset.flagOf] || []).includes(input.value);
      input.addEventListener('change', () => {
        const id = input.dataset.flagOf;
        work.flags[id] = $$('[data-flag-of="' + id + '"]').filter(box => box.checked).map(box => box.value);
        renderFlags(work);
        save();
      });
    });
    const comment = $('#comment');
    comment.value = work.comment;
    comment.addEventListener('input', () => { work.comment = comment.value; save(); });
    redraw();
  }

  // ---- Demonstration -------------------------------------------------------------------------------------------
  const text = $('#demonstration');
  const previewPane = $('#preview');
  function showTab(name) {
    const showPreview = name === 'preview';
    $$('[data-tab]').forEach(t => t.setAttribute('aria-selected', t.dataset.tab === name ? 'true' : 'false'));
    text.hidden = showPreview;
    previewPane.hidden = !showPreview;
    if (showPreview) {
      window.ranklabRenderMarkdown(text.value, previewPane);
      $('[data-tab="preview"]').focus();
    } else {
      text.focus();
    }
  }
  if (task.kind === 'DEMONSTRATION') {
    const count = $('[data-char-count]');
    text.value = work.demonstration;
    const counted = () => { count.textContent = Array.from(text.value.trim()).length; };
    counted();
    text.addEventListener('input', () => { work.demonstration = text.value; counted(); save(); });
    $$('[data-tab]').forEach(tab => tab.addEventListener('click', () => showTab(tab.dataset.tab)));
    $('.writer').addEventListener('keydown', event => {
      if (event.key === 'Escape' && !previewPane.hidden) {
        showTab('write');
      }
    });
    text.focus({ preventScroll: true });
    keepClearOfTheBar(text);
  }

  /** Scrolls just enough that the whole editor sits above the sticky bottom bar (or its top does, if taller). */
  function keepClearOfTheBar(element) {
    const bar = $('.submitbar');
    const box = element.getBoundingClientRect();
    const limit = bar ? bar.getBoundingClientRect().top - 8 : window.innerHeight;
    const overlap = Math.min(box.bottom - limit, box.top - 8);
    if (overlap > 0) {
      window.scrollBy(0, overlap);
    }
  }

  // ---- Submitting ----------------------------------------------------------------------------------------------
  const sendOptions = {
    taskId: taskId,
    campaignId: root.dataset.campaignId,
    preview: preview,
    store: store,
    key: () => work.idempotencyKey,
    onBusy: value => { busy = value; update(); },
    onSent: () => { sent = true; },
    onExpired: () => showError('This task was given back to the queue because it was idle too long. Your work is '
      + 'still here: take the task again, then submit.', true)
  };

  function body() {
    if (task.kind === 'RANKING') {
      return ranking.rankingBody(task, work, activeSeconds());
    }
    return { demonstration: work.demonstration, activeSeconds: activeSeconds() };
  }

  /** A key or click that would send work while the lease is gone says why nothing happens, and where to go. */
  function askToRetake() {
    showError('Nothing was sent: this task went back to the queue. Take the task again first, then send it.', false);
    const retake = $('[data-lease-retake]');
    if (retake) {
      retake.focus();
    }
  }

  function submit() {
    if (lapsed) {
      askToRetake();
      return;
    }
    if (ranking.missing(task, work).length || busy) {
      return;
    }
    if (task.kind === 'RANKING') {
      const found = ranking.contradictions(task, work);
      if (found.length) {
        const list = $('[data-confirm-list]');
        list.textContent = '';
        found.forEach(line => {
          const item = document.createElement('li');
          item.textContent = line;
          list.appendChild(item);
        });
        openDialog('confirm-dialog');
        return;
      }
    }
    send(sendOptions, body());
  }

  $('[data-submit]').addEventListener('click', submit);
  const confirmSubmit = $('[data-confirm-submit]');
  if (confirmSubmit) {
    confirmSubmit.addEventListener('click', () => {
      $('#confirm-dialog').close();
      send(sendOptions, body());
    });
  }
  if (revising) {
    enterRevision(sendOptions, taskId, revising);
  } else {
    watchLease({
      taskId: taskId,
      leaseMinutes: Number(root.dataset.leaseMinutes) || 30,
      preview: preview,
      lastActivity: () => lastActivity,
      onExpired: value => { lapsed = value; update(); }
    });
  }
  const openSkip = bindSkip((outcome, reason) => send(sendOptions,
    { outcome: outcome, reason: reason, activeSeconds: activeSeconds() }));

  // ---- Keyboard ------------------------------------------------------------------------------------------------
  const flagBoxes = id => $$('[data-flag-of="' + id + '"]');
  bindKeyboard(() => ({ kind: keyKind, count: task.ids.length, selected: selected, flagMode: flagMode }), {
    endFlagMode: () => { flagMode = false; },
    submit: submit,
    help: () => openDialog('help-dialog'),
    guidelines: () => openDialog('guidelines-dialog'),
    skip: () => revising || openSkip('SKIPPED'),
    unrankable: () => revising || openSkip('UNRANKABLE'),
    togglePreview: () => showTab(previewPane.hidden ? 'preview' : 'write'),
    clear: () => {
      select(null, false);
      setSaveState('Selection cleared');
    },
    select: action => select(task.ids[action.index - 1], true),
    selectFocused: (action, context) => select(context.focusedId, false),
    place: () => change(ranking.append(work.places, task.ids, selected),
      label(selected) + ' placed at the end of the ranking'),
    move: action => change(ranking.move(work.places, task.ids, selected, action.delta),
      label(selected) + ' moved ' + (action.delta < 0 ? 'up' : 'down')),
    tie: () => tie(selected),
    unplace: () => change(ranking.remove(work.places, task.ids, selected), label(selected) + ' taken out of the ranking'),
    rate: action => {
      work.ratings[selected] = action.value;
      $$('[data-rating-of="' + selected + '"]').forEach(input => { input.checked = Number(input.value) === action.value; });
      save();
      setSaveState(label(selected) + ' rated ' + action.value);
    },
    flagMode: () => {
      flagMode = true;
      // Only the first ten flags have keys (1-9, then 0); the rest are ticked on the card.
      const names = flagBoxes(selected).slice(0, 10).map((box, i) => ((i + 1) % 10) + ' ' + box.dataset.flagLabel);
      setSaveState(names.length ? 'Flag ' + label(selected) + ': press ' + names.join(', ') : 'This campaign has no flags');
    },
    flag: action => {
      flagMode = false;
      const box = flagBoxes(selected)[action.index - 1];
      if (box) {
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change'));
        setSaveState(label(selected) + (box.checked ? ' flagged: ' : ' unflagged: ') + box.dataset.flagLabel);
      }
    },
    pick: action => pick(action.choice)
  });

  /**
   * Pairwise in one key: the pick is the whole ranking (a tie is one tier of both), sent at once with any ratings,
   * flags and comment given. "Both unusable" is the "cannot rank" outcome, so that it never counts as a preference.
   */
  function pick(choice) {
    if (lapsed) {
      askToRetake();
      return;
    }
    if (busy) {
      return;
    }
    if (choice === 'UNUSABLE') {
      const comment = work.comment.trim();
      send(sendOptions, { outcome: 'UNRANKABLE', reason: BOTH_UNUSABLE + (comment ? ': ' + comment : ''),
        activeSeconds: activeSeconds() });
      return;
    }
    work.places = ranking.pickPlaces(task.ids, choice);
    redraw();
    save();
    send(sendOptions, body());
  }
  $$('[data-pick]').forEach(button => button.addEventListener('click', () => pick(button.dataset.pick)));

  // ---- Never lose work -----------------------------------------------------------------------------------------
  window.addEventListener('beforeunload', event => {
    if (work.touched && !sent && !preview) {
      store.save(work);
      event.preventDefault();
      event.returnValue = '';
    }
  });

  if (restored && restored.touched) {
    setSaveState('Draft restored');
  }
  update();
}
