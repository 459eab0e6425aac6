// The ranking as pure data: each response's place (1 = best, equal places are ties), and what follows from it.
// No DOM here, so that every rule can be checked on its own.

/** The responses grouped by place, best first; ties keep the order the responses are shown in. */
export function tiersOf(places, ids) {
  const byPlace = new Map();
  ids.filter(id => places[id] > 0).forEach(id => {
    if (!byPlace.has(places[id])) {
      byPlace.set(places[id], []);
    }
    byPlace.get(places[id]).push(id);
  });
  return Array.from(byPlace.keys()).sort((a, b) => a - b).map(place => byPlace.get(place));
}

/** The ranking as one ordered list: {id, tied} where tied means "tied with the entry above". */
export function listOf(places, ids) {
  const list = [];
  tiersOf(places, ids).forEach(tier => tier.forEach((id, i) => list.push({ id: id, tied: i > 0 })));
  return list;
}

/** Places 1, 2, 3… for an ordered list, ties sharing a place. */
export function placesOf(list) {
  const places = {};
  let place = 0;
  list.forEach((entry, index) => {
    if (index === 0 || !entry.tied) {
      place += 1;
    }
    places[entry.id] = place;
  });
  return places;
}

/** The dense place (1, 2, 3… without gaps) each ranked response shows in the ordered summary. */
export function shownPlaces(places, ids) {
  const shown = {};
  tiersOf(places, ids).forEach((tier, t) => tier.forEach(id => { shown[id] = t + 1; }));
  return shown;
}

/** Each ranked response's place as chosen (what its Place control holds), gaps and all. */
export function chosenPlaces(places, ids) {
  const chosen = {};
  ids.filter(id => places[id] > 0).forEach(id => { chosen[id] = places[id]; });
  return chosen;
}

/** Gives a response a place chosen on its card; 0 takes it out of the ranking. */
export function setPlace(places, id, place) {
  const next = Object.assign({}, places);
  if (place > 0) {
    next[id] = place;
  } else {
    delete next[id];
  }
  return next;
}

/** Takes a response out of the ranking; the others close up, so that no place is left empty (1, 2 and not 2, 3). */
export function remove(places, ids, id) {
  return placesOf(listOf(setPlace(places, id, 0), ids));
}

/** The places of a pairwise pick: 'A' (the first response better), 'B' or 'TIE'. */
export function pickPlaces(ids, choice) {
  const [a, b] = ids;
  if (choice === 'A') {
    return { [a]: 1, [b]: 2 };
  }
  return choice === 'B' ? { [a]: 2, [b]: 1 } : { [a]: 1, [b]: 1 };
}

/** Puts a response at the end of the ranking, below all others. */
export function append(places, ids, id) {
  if (places[id] > 0) {
    return places;
  }
  return setPlace(placesOf(listOf(places, ids)), id, tiersOf(places, ids).length + 1);
}

function rebuild(places, ids, change) {
  const list = listOf(places, ids);
  change(list);
  if (list[0]) {
    list[0].tied = false;
  }
  return placesOf(list);
}

/** Moves a ranked response one step up (-1) or down (+1) the ordered list; it leaves any tie it was in. */
export function move(places, ids, id, delta) {
  return rebuild(places, ids, list => {
    const index = list.findIndex(entry => entry.id === id);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= list.length) {
      return;
    }
    const entry = list.splice(index, 1)[0];
    entry.tied = false;
    list.splice(target, 0, entry);
    if (list[target + 1]) {
      list[target + 1].tied = false;
    }
  });
}

/** Ties a ranked response with the one above it in the list, or unties it. */
export function toggleTie(places, ids, id) {
  return rebuild(places, ids, list => {
    const index = list.findIndex(entry => entry.id === id);
    if (index > 0) {
      list[index].tied = !list[index].tied;
    }
  });
}

/** Reads the order the annotator dragged into the list, keeping ties of responses that stayed next to each other. */
export function fromOrder(places, ids, order) {
  const before = {};
  listOf(places, ids).forEach(entry => { before[entry.id] = entry.tied; });
  return placesOf(order.map((id, index) => ({ id: id, tied: index > 0 && !!before[id] })));
}

function plural(noun, labels) {
  return noun + (labels.length > 1 ? 's ' : ' ') + labels.join(', ');
}

/**
 * What still keeps the task from being submitted, in words. task: {kind, ids, labels, ratingsRequired, min, max};
 * work: {places, ratings, demonstration}.
 */
export function missing(task, work) {
  const list = [];
  if (task.kind === 'RANKING') {
    if (task.ratingsRequired) {
      const unrated = task.ids.filter(id => !work.ratings[id]).map(id => task.labels[id]);
      if (unrated.length) {
        list.push(plural('Rate response', unrated));
      }
    }
    const unranked = task.ids.filter(id => !(work.places[id] > 0)).map(id => task.labels[id]);
    if (unranked.length) {
      list.push(plural('Rank response', unranked));
    }
  } else {
    const length = Array.from((work.demonstration || '').trim()).length;
    if (length < task.min) {
      list.push(length === 0 ? 'Write your answer' : 'Write at least ' + task.min + ' characters (' + length + ' so far)');
    }
    if (length > task.max) {
      list.push('Shorten your answer to ' + task.max + ' characters');
    }
  }
  return list;
}

/** Pairs where a response ranked higher carries a lower rating: worth a second look before submitting. */
export function contradictions(task, work) {
  const found = [];
  const shown = shownPlaces(work.places, task.ids);
  task.ids.forEach(better => task.ids.forEach(worse => {
    const rb = work.ratings[better];
    const rw = work.ratings[worse];
    if (shown[better] && shown[worse] && shown[better] < shown[worse] && rb && rw && rw > rb) {
      found.push('Response ' + task.labels[better] + ' is ranked above response ' + task.labels[worse]
        + ' but rated ' + rb + ' against ' + rw);
    }
  }));
  return found;
}

/** The submission body for the ranking: tiers best first, ratings given, flags ticked, the comment. */
export function rankingBody(task, work, activeSeconds) {
  const flags = {};
  Object.keys(work.flags).forEach(id => {
    if (work.flags[id] && work.flags[id].length) {
      flags[id] = work.flags[id];
    }
  });
  const ratings = {};
  Object.keys(work.ratings).forEach(id => {
    if (work.ratings[id]) {
      ratings[id] = work.ratings[id];
    }
  });
  return { ranking: tiersOf(work.places, task.ids), ratings: ratings, flags: flags, comment: work.comment,
    activeSeconds: activeSeconds };
}

/** The first words of a response, for the ordered summary. */
export function firstWords(text, count) {
  const words = (text || '').trim().split(/\s+/).filter(Boolean);
  const head = words.slice(0, count).join(' ');
  return words.length > count ? head + '…' : head;
}
