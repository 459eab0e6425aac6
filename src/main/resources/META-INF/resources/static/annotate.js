// Ranklab's task pages: ranking by drag-and-drop and keyboard, demonstrations with preview, drafts kept in the
// browser until the server has acknowledged the submission, and submissions made idempotent with a per-draft key.
(function () {
  'use strict';

  const root = document.querySelector('[data-task]');
  if (!root) {
    return;
  }
  const taskId = root.dataset.taskId;
  const campaignId = root.dataset.campaignId;
  const kind = root.dataset.kind;
  // An admin's preview works like the real page but stores nothing, neither drafts nor submissions.
  const preview = root.hasAttribute('data-preview');
  const draftKey = 'ranklab.draft.' + taskId;
  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.from((scope || document).querySelectorAll(selector));

  // ---- Draft state ---------------------------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function loadDraft() {
    if (preview) {
      return null;
    }
    try {
      const saved = JSON.parse(localStorage.getItem(draftKey) || 'null');
      return saved && saved.taskId === taskId ? saved : null;
    } catch (e) {
      return null;
    }
  }

  const state = loadDraft() || {
    taskId: taskId,
    idempotencyKey: newKey(),
    ratings: {},
    flags: {},
    ranked: [], // [{id, tied}] best first; tied means "tied with the entry above"
    comment: '',
    demonstration: '',
    activeMs: 0,
    touched: false
  };
  const restored = !!loadDraft();
  let submitting = false;
  let submitted = false;

  function saveDraft() {
    state.touched = true;
    if (preview) {
      update();
      return;
    }
    try {
      localStorage.setItem(draftKey, JSON.stringify(state));
      setSaveState('Draft saved');
    } catch (e) {
      setSaveState('Draft not saved: browser storage is full');
    }
    update();
  }

  function setSaveState(text) {
    const el = $('[data-save-state]');
    if (el) {
      el.textContent = text;
    }
  }

  // ---- Active time: counted while the page is visible and the annotator did something in the last minute ------
  let lastActivity = Date.now();
  ['keydown', 'mousedown', 'mousemove', 'scroll', 'input', 'touchstart'].forEach(type =>
    document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true }));
  setInterval(() => {
    if (document.visibilityState === 'visible' && Date.now() - lastActivity < 60000) {
      state.activeMs += 1000;
    }
  }, 1000);
  setInterval(() => {
    if (state.touched && !submitted && !preview) {
      try { localStorage.setItem(draftKey, JSON.stringify(state)); } catch (e) { /* storage full: shown on edit */ }
    }
  }, 15000);

  // ---- Dialogs -------------------------------------------------------------------------------------------------
  $$('[data-open]').forEach(button => button.addEventListener('click', () => openDialog(button.dataset.open)));
  $$('dialog [data-close]').forEach(button => button.addEventListener('click', () => button.closest('dialog').close()));

  function openDialog(id) {
    const dialog = document.getElementById(id);
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }

  // ---- Ranking -------------------------------------------------------------------------------------------------
  const responses = $$('[data-response]').map(el => el.dataset.response);
  const labelOf = {};
  $$('[data-response]').forEach(el => { labelOf[el.dataset.response] = el.dataset.label; });
  let selected = null;

  function rankedIds() {
    return state.ranked.map(entry => entry.id);
  }

  function tiers() {
    const result = [];
    state.ranked.forEach((entry, index) => {
      if (index > 0 && entry.tied) {
        result[result.length - 1].push(entry.id);
      } else {
        result.push([entry.id]);
      }
    });
    return result;
  }

  function renderRanking() {
    const list = $('[data-ranked]');
    const pool = $('[data-pool]');
    if (!list || !pool) {
      return;
    }
    const placed = rankedIds();
    const chips = {};
    $$('[data-chip]').forEach(chip => { chips[chip.dataset.chip] = chip; });
    list.textContent = '';
    const tierOf = {};
    tiers().forEach((tier, t) => tier.forEach(id => { tierOf[id] = t + 1; }));
    state.ranked.forEach((entry, index) => {
      const chip = chips[entry.id];
      chip.classList.toggle('tied', index > 0 && entry.tied);
      let tie = chip.querySelector('[data-tie]');
      if (index > 0) {
        if (!tie) {
          tie = document.createElement('button');
          tie.type = 'button';
          tie.className = 'tie-toggle';
          tie.dataset.tie = entry.id;
          tie.addEventListener('click', event => {
            event.stopPropagation();
            toggleTie(entry.id);
          });
          chip.prepend(tie);
        }
        tie.textContent = entry.tied ? '=' : '>';
        tie.title = entry.tied ? 'Tied with the one above: click to rank it below' : 'Ranked below the one above: click to tie';
        tie.setAttribute('aria-label', entry.tied ? 'tied with the response above' : 'ranked below the response above');
      } else if (tie) {
        tie.remove();
      }
      chip.setAttribute('aria-label', 'Response ' + labelOf[entry.id] + ', place ' + tierOf[entry.id]
        + (index > 0 && entry.tied ? ', tied with the one above' : ''));
      list.appendChild(chip);
    });
    responses.forEach(id => {
      if (!placed.includes(id)) {
        const chip = chips[id];
        chip.classList.remove('tied');
        const tie = chip.querySelector('[data-tie]');
        if (tie) {
          tie.remove();
        }
        chip.setAttribute('aria-label', 'Response ' + labelOf[id] + ', not ranked');
        pool.appendChild(chip);
      }
    });
    $$('[data-place-of]').forEach(el => {
      const id = el.dataset.placeOf;
      el.textContent = tierOf[id] ? '#' + tierOf[id] + (state.ranked.find(e => e.id === id && e.tied) ? ' (tie)' : '') : 'unranked';
      el.classList.toggle('placed', !!tierOf[id]);
    });
    markSelected();
  }

  function syncFromDom() {
    const before = {};
    state.ranked.forEach(entry => { before[entry.id] = entry.tied; });
    state.ranked = $$('[data-chip]', $('[data-ranked]')).map((chip, index) => ({
      id: chip.dataset.chip,
      tied: index > 0 && !!before[chip.dataset.chip]
    }));
    renderRanking();
    saveDraft();
  }

  function place(id) {
    if (!rankedIds().includes(id)) {
      state.ranked.push({ id: id, tied: false });
      renderRanking();
      saveDraft();
      announce('Response ' + labelOf[id] + ' placed at position ' + state.ranked.length);
    }
  }

  function unplace(id) {
    const index = rankedIds().indexOf(id);
    if (index >= 0) {
      state.ranked.splice(index, 1);
      if (state.ranked[0]) {
        state.ranked[0].tied = false;
      }
      renderRanking();
      saveDraft();
      announce('Response ' + labelOf[id] + ' taken out of the ranking');
    }
  }

  function move(id, delta) {
    const index = rankedIds().indexOf(id);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= state.ranked.length) {
      return;
    }
    const entry = state.ranked.splice(index, 1)[0];
    state.ranked.splice(target, 0, entry);
    state.ranked[0].tied = false;
    renderRanking();
    saveDraft();
    announce('Response ' + labelOf[id] + ' moved to position ' + (target + 1));
  }

  function toggleTie(id) {
    const index = rankedIds().indexOf(id);
    if (index > 0) {
      state.ranked[index].tied = !state.ranked[index].tied;
      renderRanking();
      saveDraft();
      announce(state.ranked[index].tied ? 'Tied with the response above' : 'Ranked below the response above');
    }
  }

  function select(id) {
    selected = id;
    markSelected();
    const chip = $('[data-chip="' + id + '"]');
    if (chip) {
      chip.focus();
    }
  }

  function markSelected() {
    $$('[data-chip]').forEach(chip => {
      const on = chip.dataset.chip === selected;
      chip.classList.toggle('selected', on);
      chip.setAttribute('aria-selected', on ? 'true' : 'false');
    });
    $$('[data-response]').forEach(card => card.classList.toggle('selected', card.dataset.response === selected));
  }

  function announce(text) {
    setSaveState(text);
  }

  if (kind === 'RANKING') {
    $$('[data-chip]').forEach(chip => {
      chip.addEventListener('click', () => select(chip.dataset.chip));
      chip.addEventListener('dblclick', () => place(chip.dataset.chip));
    });
    if (window.Sortable) {
      const options = {
        group: 'ranking',
        animation: 120,
        filter: '.tie-toggle',
        // Mouse-event dragging: the same on touch screens, and drivable by automated browser tests.
        forceFallback: true,
        preventOnFilter: false,
        onEnd: syncFromDom
      };
      Sortable.create($('[data-ranked]'), options);
      Sortable.create($('[data-pool]'), options);
    }
    $$('[data-rating-of]').forEach(input => {
      input.checked = state.ratings[input.dataset.ratingOf] === Number(input.value);
      input.addEventListener('change', () => {
        state.ratings[input.dataset.ratingOf] = Number(input.value);
        saveDraft();
      });
    });
    $$('[data-flag-of]').forEach(input => {
      const list = state.flags[input.dataset.flagOf] || [];
      input.checked = list.includes(input.value);
      input.addEventListener('change', () => {
        const id = input.dataset.flagOf;
        state.flags[id] = $$('[data-flag-of="' + id + '"]').filter(box => box.checked).map(box => box.value);
        saveDraft();
      });
    });
    const comment = $('#comment');
    comment.value = state.comment;
    comment.addEventListener('input', () => { state.comment = comment.value; saveDraft(); });
    renderRanking();
  }

  // ---- Demonstration -------------------------------------------------------------------------------------------
  if (kind === 'DEMONSTRATION') {
    const text = $('#demonstration');
    const count = $('[data-char-count]');
    text.value = state.demonstration;
    const counted = () => { count.textContent = Array.from(text.value.trim()).length; };
    counted();
    text.addEventListener('input', () => { state.demonstration = text.value; counted(); saveDraft(); });
    const preview = $('#preview');
    $$('[data-tab]').forEach(tab => tab.addEventListener('click', () => {
      const showPreview = tab.dataset.tab === 'preview';
      $$('[data-tab]').forEach(t => t.setAttribute('aria-selected', t === tab ? 'true' : 'false'));
      text.hidden = showPreview;
      preview.hidden = !showPreview;
      if (showPreview) {
        window.ranklabRenderMarkdown(text.value, preview);
      }
    }));
  }

  // ---- What is missing, and submitting -------------------------------------------------------------------------
  function missing() {
    const list = [];
    if (kind === 'RANKING') {
      const unrated = responses.filter(id => !state.ratings[id]).map(id => labelOf[id]);
      if (unrated.length) {
        list.push('Rate response' + (unrated.length > 1 ? 's ' : ' ') + unrated.join(', '));
      }
      const unranked = responses.filter(id => !rankedIds().includes(id)).map(id => labelOf[id]);
      if (unranked.length) {
        list.push('Rank response' + (unranked.length > 1 ? 's ' : ' ') + unranked.join(', '));
      }
    } else {
      const length = Array.from(state.demonstration.trim()).length;
      const min = Number(root.dataset.minChars);
      const max = Number(root.dataset.maxChars);
      if (length < min) {
        list.push(length === 0 ? 'Write your answer' : 'Write at least ' + min + ' characters (' + length + ' so far)');
      }
      if (length > max) {
        list.push('Shorten your answer to ' + max + ' characters');
      }
    }
    return list;
  }

  function update() {
    const list = missing();
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
    $('[data-submit]').disabled = list.length > 0 || submitting;
  }

  function contradictions() {
    const found = [];
    const tierOf = {};
    tiers().forEach((tier, t) => tier.forEach(id => { tierOf[id] = t; }));
    responses.forEach(better => responses.forEach(worse => {
      if (tierOf[better] < tierOf[worse] && state.ratings[worse] > state.ratings[better]) {
        found.push('Response ' + labelOf[better] + ' is ranked above response ' + labelOf[worse] + ' but rated '
          + state.ratings[better] + ' against ' + state.ratings[worse]);
      }
    }));
    return found;
  }

  function body() {
    const activeSeconds = Math.round(state.activeMs / 1000);
    if (kind === 'RANKING') {
      const flags = {};
      Object.keys(state.flags).forEach(id => { if (state.flags[id].length) { flags[id] = state.flags[id]; } });
      return { ranking: tiers(), ratings: state.ratings, flags: flags, comment: state.comment, activeSeconds: activeSeconds };
    }
    return { demonstration: state.demonstration, activeSeconds: activeSeconds };
  }

  function showError(text, canRenew) {
    const box = $('[data-error]');
    box.textContent = text;
    box.hidden = !text;
    $('[data-renew]').hidden = !canRenew;
  }

  async function send(payload) {
    if (preview) {
      showError('Preview: nothing was saved. An annotator would now get their next task.', false);
      return;
    }
    submitting = true;
    update();
    showError('', false);
    setSaveState('Sending…');
    try {
      const response = await fetch('/api/v1/tasks/' + taskId + '/submission', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': state.idempotencyKey },
        body: JSON.stringify(payload)
      });
      if (response.status === 201) {
        submitted = true;
        localStorage.removeItem(draftKey);
        setSaveState('Submitted');
        window.location.assign('/annotate/' + campaignId);
        return;
      }
      let detail = 'The server answered ' + response.status + '.';
      try {
        detail = (await response.json()).detail || detail;
      } catch (e) { /* not JSON */ }
      if (response.status === 401) {
        detail = 'Your session ended. Log in again in another tab, then submit: your work is kept here.';
      }
      showError(detail, response.status === 409 && /expired/.test(detail));
      setSaveState('Not submitted: your work is kept in this browser');
    } catch (e) {
      showError('Not sent: the connection failed. Your work is kept in this browser; submit again when you are back online.', false);
      setSaveState('Not submitted');
    } finally {
      submitting = false;
      update();
    }
  }

  function submit() {
    if (missing().length || submitting) {
      return;
    }
    if (kind === 'RANKING') {
      const found = contradictions();
      if (found.length) {
        const list = $('[data-confirm-list]');
        list.textContent = '';
        found.forEach(text => {
          const item = document.createElement('li');
          item.textContent = text;
          list.appendChild(item);
        });
        openDialog('confirm-dialog');
        return;
      }
    }
    send(body());
  }

  $('[data-submit]').addEventListener('click', submit);
  const confirmSubmit = $('[data-confirm-submit]');
  if (confirmSubmit) {
    confirmSubmit.addEventListener('click', () => {
      $('#confirm-dialog').close();
      send(body());
    });
  }

  $('[data-renew]').addEventListener('click', async () => {
    const response = await fetch('/api/v1/tasks/' + taskId + '/lease', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}'
    });
    if (response.ok) {
      showError('', false);
      setSaveState('Leased again: you can submit now');
    } else {
      let detail = 'The task could not be leased again.';
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      showError(detail + ' Your work is still here if you want to copy it.', false);
    }
  });

  // Skip and "cannot rank" ask for a reason first.
  let skipOutcome = 'SKIPPED';
  $$('[data-skip]').forEach(button => button.addEventListener('click', () => {
    skipOutcome = button.dataset.skip;
    $('[data-skip-title]').textContent = skipOutcome === 'UNRANKABLE' ? 'Cannot rank: all responses unusable' : 'Skip this task';
    $('[data-skip-confirm]').textContent = skipOutcome === 'UNRANKABLE' ? 'Report as unrankable' : 'Skip';
    openDialog('skip-dialog');
    $('#skip-reason').focus();
  }));
  $('[data-skip-confirm]').addEventListener('click', () => {
    const reason = $('#skip-reason').value.trim();
    if (!reason) {
      $('#skip-reason').focus();
      $('#skip-reason').setAttribute('aria-invalid', 'true');
      return;
    }
    $('#skip-dialog').close();
    send({ outcome: skipOutcome, reason: reason, activeSeconds: Math.round(state.activeMs / 1000) });
  });

  // ---- Keyboard ------------------------------------------------------------------------------------------------
  // The digit row by physical key where the browser says which key it was, else by the character it typed
  // (with Shift on a US layout, 1-7 type !@#$%^&).
  const SHIFTED = { '!': 1, '@': 2, '#': 3, '$': 4, '%': 5, '^': 6, '&': 7 };

  function digitOf(event) {
    const code = event.code || '';
    if (/^(Digit|Numpad)[0-9]$/.test(code)) {
      return Number(code.slice(-1));
    }
    if (/^[0-9]$/.test(event.key)) {
      return Number(event.key);
    }
    return SHIFTED[event.key] || NaN;
  }

  document.addEventListener('keydown', event => {
    if (document.querySelector('dialog[open]')) {
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      submit();
      return;
    }
    const target = event.target;
    const typing = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && target.type === 'text');
    if (typing) {
      return;
    }
    if (event.key === '?') {
      event.preventDefault();
      openDialog('help-dialog');
      return;
    }
    if (kind !== 'RANKING') {
      return;
    }
    const digit = digitOf(event);
    if (event.shiftKey && digit >= 1 && digit <= 7 && selected) {
      event.preventDefault();
      state.ratings[selected] = digit;
      $$('[data-rating-of="' + selected + '"]').forEach(input => { input.checked = Number(input.value) === digit; });
      saveDraft();
      announce('Response ' + labelOf[selected] + ' rated ' + digit);
      return;
    }
    if (!event.shiftKey && !event.ctrlKey && !event.altKey && digit >= 1 && digit <= 9 && digit <= responses.length) {
      event.preventDefault();
      const id = $$('[data-response]')[digit - 1].dataset.response;
      select(id);
      $('#response-' + id).scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      return;
    }
    if (!selected) {
      return;
    }
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        place(selected);
        break;
      case 'ArrowUp':
      case 'k':
        event.preventDefault();
        move(selected, -1);
        break;
      case 'ArrowDown':
      case 'j':
        event.preventDefault();
        move(selected, 1);
        break;
      case 't':
        event.preventDefault();
        toggleTie(selected);
        break;
      case 'Backspace':
      case 'Delete':
        event.preventDefault();
        unplace(selected);
        break;
      default:
    }
    select(selected);
  });

  // ---- Never lose work -----------------------------------------------------------------------------------------
  window.addEventListener('beforeunload', event => {
    if (state.touched && !submitted && !preview) {
      try { localStorage.setItem(draftKey, JSON.stringify(state)); } catch (e) { /* nothing more to do */ }
      event.preventDefault();
      event.returnValue = '';
    }
  });

  if (restored && state.touched) {
    setSaveState('Draft restored');
  }
  update();
})();
