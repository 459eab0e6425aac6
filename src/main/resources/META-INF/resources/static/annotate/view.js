// The ranking on the page: each card's place control and badge, the ordered summary and the pool of unranked
// responses, the selection and the flags. It draws what the draft says; it never decides anything itself.
import { chosenPlaces, firstWords, listOf } from './ranking.js';

const $ = (selector, scope) => (scope || document).querySelector(selector);
const $$ = (selector, scope) => Array.from((scope || document).querySelectorAll(selector));

export { $, $$ };

/** Adds each chip's first words of its response once, so the ordered summary says which answer is which. */
export function labelChips() {
  $$('[data-chip]').forEach(chip => {
    const card = $('[data-response="' + chip.dataset.chip + '"]');
    const words = document.createElement('span');
    words.className = 'chip-words';
    words.textContent = firstWords($('.response-text', card).textContent, 8);
    chip.appendChild(words);
  });
}

function tieButton(chip, entry, onTie) {
  let tie = $('[data-tie]', chip);
  if (!tie) {
    tie = document.createElement('button');
    tie.type = 'button';
    tie.className = 'tie-toggle';
    tie.dataset.tie = entry.id;
    tie.addEventListener('click', event => {
      event.stopPropagation();
      onTie(tie.dataset.tie);
    });
    chip.prepend(tie);
  }
  tie.textContent = entry.tied ? '=' : '>';
  tie.title = entry.tied ? 'Tied with the one above: click to rank it below' : 'Ranked below the one above: click to tie';
  tie.setAttribute('aria-label', entry.tied ? 'tied with the response above' : 'ranked below the response above');
}

/** Redraws the ranking from the draft; focus stays on the element that had it, even when it moved lists. */
export function renderRanking(task, work, selected, onTie) {
  const list = $('[data-ranked]');
  const pool = $('[data-pool]');
  if (!list || !pool) {
    return;
  }
  const focused = document.activeElement;
  const chips = {};
  $$('[data-chip]').forEach(chip => { chips[chip.dataset.chip] = chip; });
  // The badge and the chip say the place the card's Place control holds, never a renumbered one, so that the two
  // cannot disagree (places 1, 2, 2, 4 show #4 on the fourth, as its control does).
  const shown = chosenPlaces(work.places, task.ids);
  const ordered = listOf(work.places, task.ids);
  ordered.forEach((entry, index) => {
    const chip = chips[entry.id];
    chip.classList.toggle('tied', entry.tied);
    if (index > 0) {
      tieButton(chip, entry, onTie);
    } else if ($('[data-tie]', chip)) {
      $('[data-tie]', chip).remove();
    }
    chip.setAttribute('aria-label', 'Response ' + task.labels[entry.id] + ', place ' + shown[entry.id]
      + (entry.tied ? ', tied with the one above' : ''));
    list.appendChild(chip);
  });
  task.ids.filter(id => !shown[id]).forEach(id => {
    const chip = chips[id];
    chip.classList.remove('tied');
    if ($('[data-tie]', chip)) {
      $('[data-tie]', chip).remove();
    }
    chip.setAttribute('aria-label', 'Response ' + task.labels[id] + ', not ranked');
    pool.appendChild(chip);
  });
  $$('[data-place-of]').forEach(el => {
    const id = el.dataset.placeOf;
    const tied = ordered.filter(entry => shown[entry.id] === shown[id]).length > 1;
    el.textContent = shown[id] ? '#' + shown[id] + (tied ? ' (tie)' : '') : 'unranked';
    el.classList.toggle('placed', !!shown[id]);
  });
  $$('[data-place-select]').forEach(select => {
    const place = work.places[select.dataset.placeSelect];
    select.value = place > 0 ? String(place) : '';
  });
  renderFlags(work);
  markSelected(selected);
  if (focused && focused !== document.activeElement && document.contains(focused)) {
    focused.focus({ preventScroll: true });
  }
}

export function markSelected(selected) {
  $$('[data-chip]').forEach(chip => {
    const on = chip.dataset.chip === selected;
    chip.classList.toggle('selected', on);
    chip.setAttribute('aria-selected', on ? 'true' : 'false');
  });
  $$('[data-response]').forEach(card => {
    const on = card.dataset.response === selected;
    card.classList.toggle('selected', on);
    card.setAttribute('aria-current', on ? 'true' : 'false');
  });
}

/** Ticked flags: counted in each card's Flags summary, named on the card and on its chip in the summary. */
export function renderFlags(work) {
  $$('[data-response]').forEach(card => {
    const id = card.dataset.response;
    const ticked = $$('[data-flag-of="' + id + '"]', card).filter(box => (work.flags[id] || []).includes(box.value));
    const labels = ticked.map(box => box.dataset.flagLabel);
    const count = $('[data-flag-count="' + id + '"]');
    if (count) {
      count.textContent = labels.length ? '(' + labels.length + ')' : '';
    }
    const shown = $('[data-flags-shown="' + id + '"]');
    if (shown) {
      shown.textContent = labels.length ? 'Flagged: ' + labels.join(', ') : '';
      shown.hidden = !labels.length;
    }
    const chip = $('[data-chip="' + id + '"]');
    if (chip) {
      let note = $('.chip-flags', chip);
      if (!note) {
        note = document.createElement('span');
        note.className = 'chip-flags';
        chip.appendChild(note);
      }
      note.textContent = labels.length ? '⚑ ' + labels.join(', ') : '';
      note.hidden = !labels.length;
    }
  });
}

/** The "still to do" line and whether Submit is enabled. */
export function renderMissing(list, busy) {
  const box = $('[data-missing]');
  box.textContent = '';
  if (list.length) {
    const title = document.createElement('strong');
    title.textContent = 'Still to do: ';
    box.appendChild(title);
    box.appendChild(document.createTextNode(list.join(' · ')));
  } else {
    box.textContent = 'Ready to submit.';
  }
  $('[data-submit]').disabled = list.length > 0 || busy;
}

export function setSaveState(text) {
  const el = $('[data-save-state]');
  if (el) {
    el.textContent = text;
  }
}

export function openDialog(id) {
  const dialog = document.getElementById(id);
  if (dialog && !dialog.open) {
    dialog.showModal();
  }
  return dialog;
}

/** Writes the Keys dialog from the key table of this kind of task. */
export function renderKeys(rows) {
  const list = $('[data-keys]');
  if (!list) {
    return;
  }
  list.textContent = '';
  rows.forEach(([keys, text]) => {
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    keys.forEach((key, i) => {
      if (key === '–' || key === '+' || key === 'then') {
        dt.appendChild(document.createTextNode(key === 'then' ? ' then ' : key));
      } else {
        if (i > 0 && keys[i - 1] !== '–' && keys[i - 1] !== '+' && keys[i - 1] !== 'then') {
          dt.appendChild(document.createTextNode(' '));
        }
        const kbd = document.createElement('kbd');
        kbd.textContent = key;
        dt.appendChild(kbd);
      }
    });
    const dd = document.createElement('dd');
    dd.textContent = text;
    row.append(dt, dd);
    list.appendChild(row);
  });
}
