// What Aide remembers: the person's memories, newest first, filtered by kind, with the versions a later memory replaced
// when asked; each editable and erasable in place; a memory added by hand; and a search over everything the assistant
// recalls from (memories, what they said, passages of their documents). Their words are data: they reach the page
// through textContent and value only, never as markup, so a memory that reads like HTML shows as written.

const PAGE = 50;
const MAX = 500; // the list's ceiling in the API; past it, search finds the rest
const RESULTS = 20;
const MAX_LENGTH = 4000;
const TYPES = ['fact', 'preference', 'person', 'place', 'plan', 'other'];
const SOURCES = { asked: 'you asked', extracted: 'picked up in chat', import: 'imported', api: 'added here' };

let root;
let c; // the page context
const mem = { items: [], limit: PAGE, stale: false, ticket: 0, searchTicket: 0, ids: 0 };
const $ = (id) => root.querySelector('#' + id);

function option(value, text) {
  const node = c.el('option', null, text);
  node.value = value;
  return node;
}

export function mount(node, ctx) {
  root = node;
  c = ctx;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'What Aide remembers');
  title.id = 'memories-title';
  const refresh = el('button', 'btn small ghost', '↻');
  refresh.type = 'button';
  refresh.id = 'refresh-memories';
  refresh.setAttribute('aria-label', 'Refresh what Aide remembers');
  refresh.addEventListener('click', refreshMemories);
  head.append(title, refresh);
  const error = el('div', 'alert');
  error.id = 'memories-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const status = el('div', 'sr-only');
  status.id = 'memories-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

  // Remember something new, in the person's words.
  const add = el('form', 'card mem-add');
  add.id = 'memory-new-form';
  add.noValidate = true;
  const addTitle = el('h3', null, 'Tell Aide something to remember');
  addTitle.id = 'memory-new-title';
  add.setAttribute('aria-labelledby', addTitle.id);
  const text = el('textarea');
  text.id = 'memory-new';
  text.rows = 2;
  text.maxLength = MAX_LENGTH;
  text.placeholder = "Anna's birthday is 3 May";
  text.setAttribute('aria-labelledby', addTitle.id);
  const row = el('div', 'form-row');
  const typeBox = el('div', 'field');
  const typeLabel = el('label', null, 'Kind');
  const type = el('select');
  type.id = 'memory-new-type';
  typeLabel.htmlFor = type.id;
  TYPES.forEach(t => type.append(option(t, t)));
  typeBox.append(typeLabel, type);
  const save = el('button', 'btn primary', 'Remember');
  save.id = 'memory-add';
  row.append(typeBox, save);
  const addError = el('div', 'alert');
  addError.id = 'memory-new-error';
  addError.setAttribute('role', 'alert');
  addError.hidden = true;
  add.append(addTitle, text, addError, row);
  add.addEventListener('submit', (e) => { e.preventDefault(); addMemory(); });

  // Search everything Aide recalls from.
  const searchCard = el('section', 'card');
  const searchTitle = el('h3', null, 'Search');
  searchTitle.id = 'memory-search-title';
  searchCard.setAttribute('aria-labelledby', searchTitle.id);
  const search = el('form', 'mem-search');
  search.id = 'memory-search';
  search.setAttribute('role', 'search');
  search.setAttribute('aria-label', 'Search what Aide remembers');
  const qLabel = el('label', 'sr-only', 'Search memories, what you said and your documents');
  const q = el('input');
  q.id = 'memory-query';
  q.type = 'search';
  q.maxLength = 1000;
  q.autocomplete = 'off';
  q.placeholder = 'Search memories, messages, documents…';
  qLabel.htmlFor = q.id;
  const find = el('button', 'btn', 'Search');
  find.id = 'memory-search-submit';
  search.append(qLabel, q, find);
  search.addEventListener('submit', searchMemories);
  q.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && q.value) { e.preventDefault(); showAllMemories(); }
  });
  searchCard.append(searchTitle, el('p', 'muted small', 'Finds by words and by meaning, in what Aide remembers, '
    + 'what you said to it and the documents you gave it.'), search);

  const top = el('div', 'cards');
  top.append(add, searchCard);

  // Search results.
  const results = el('section', 'mem-section');
  results.id = 'memory-results-view';
  results.hidden = true;
  const resultsHead = el('div', 'mem-subhead');
  const resultsTitle = el('h3', null, 'Results');
  resultsTitle.id = 'memory-results-title';
  results.setAttribute('aria-labelledby', resultsTitle.id);
  const clear = el('button', 'linklike', 'Show all memories');
  clear.type = 'button';
  clear.id = 'clear-memory-search';
  clear.addEventListener('click', showAllMemories);
  resultsHead.append(resultsTitle, clear);
  const noResults = el('p', 'mem-note', 'Nothing Aide remembers matches that.');
  noResults.id = 'memory-results-empty';
  noResults.hidden = true;
  const resultList = el('ol', 'mem-list');
  resultList.id = 'memory-results';
  resultList.setAttribute('aria-labelledby', resultsTitle.id);
  results.append(resultsHead, noResults, resultList);

  // The list, by kind, perhaps with what was replaced.
  const listView = el('section', 'mem-section');
  listView.id = 'memory-list-view';
  const listHead = el('div', 'mem-subhead');
  const listTitle = el('h3', null, 'Memories');
  listTitle.id = 'memories-list-title';
  listView.setAttribute('aria-labelledby', listTitle.id);
  const filters = el('div', 'mem-filters');
  const filterLabel = el('label', null, 'Kind');
  const filter = el('select');
  filter.id = 'memory-type-filter';
  filterLabel.htmlFor = filter.id;
  filter.append(option('', 'All kinds'), ...TYPES.map(t => option(t, t)));
  filter.addEventListener('change', () => { mem.limit = PAGE; loadMemories(); });
  const historyLabel = el('label', 'check-label');
  const history = el('input');
  history.type = 'checkbox';
  history.id = 'memory-history';
  history.className = 'check';
  history.addEventListener('change', () => loadMemories());
  historyLabel.append(history, document.createTextNode(' Show replaced versions'));
  filters.append(filterLabel, filter, historyLabel);
  listHead.append(listTitle, filters);
  const loading = el('p', 'mem-note', 'Loading…');
  loading.id = 'memories-loading';
  const empty = el('div', 'mem-empty');
  empty.id = 'memories-empty';
  empty.hidden = true;
  const start = el('button', 'linklike', 'Tell Aide something in the chat');
  start.type = 'button';
  start.id = 'memory-start';
  start.addEventListener('click', () => ctx.chat('Remember that '));
  const p1 = el('p');
  p1.append(el('strong', null, "Aide doesn't remember anything about you yet."));
  const p2 = el('p');
  p2.append('Tell it in the chat: ', el('q', null, "remember that Anna's birthday is 3 May"), '. It also keeps what you '
    + 'say about yourself in passing, like ', el('q', null, "I'm allergic to peanuts"), ' or ', el('q', null, 'I live in Porto'),
    '. Or write it above.');
  const p3 = el('p', null, 'Everything it keeps shows up here, where you can change it or have Aide forget it. ');
  p3.append(start);
  empty.append(p1, p2, p3);
  const list = el('ul', 'mem-list');
  list.id = 'memories';
  list.setAttribute('aria-labelledby', listTitle.id);
  const more = el('button', 'btn small', 'Show older memories');
  more.type = 'button';
  more.id = 'more-memories';
  more.hidden = true;
  more.addEventListener('click', showOlderMemories);
  const capped = el('p', 'mem-note', 'These are the newest 500. Search to find older ones.');
  capped.id = 'memories-capped';
  capped.hidden = true;
  listView.append(listHead, loading, empty, list, more, capped);

  root.append(head, error, status, top, results, listView);
}

export function reset() {
  Object.assign(mem, { items: [], limit: PAGE, stale: false, ticket: mem.ticket + 1, searchTicket: mem.searchTicket + 1 });
  $('memories').replaceChildren();
  $('memory-results').replaceChildren();
  $('memory-query').value = '';
  $('memory-new').value = '';
  $('memory-type-filter').value = '';
  $('memory-history').checked = false;
  $('memory-results-view').hidden = true;
  $('memory-list-view').hidden = false;
  $('memories-loading').hidden = false;
  $('memories-empty').hidden = true;
  $('more-memories').hidden = true;
  $('memories-capped').hidden = true;
  $('memories-status').textContent = '';
  c.showError($('memories-error'), '');
}

export function show() {
  return loadMemories();
}

/** An edit, or a deletion waiting for its yes, in the list: redrawing now would throw away what the person typed. */
function listBusy() {
  return Boolean($('memories').querySelector(':scope > li:not([data-mode="view"])'));
}

async function loadMemories() {
  if (!c.user()) return;
  if (listBusy()) { mem.stale = true; return; } // redrawn when the person is done
  const ticket = ++mem.ticket;
  const params = new URLSearchParams({ limit: String(mem.limit) });
  const type = $('memory-type-filter').value;
  if (type) params.set('type', type);
  const history = $('memory-history').checked;
  if (history) params.set('history', 'true');
  try {
    const data = await c.api('GET', '/memories?' + params);
    if (ticket !== mem.ticket || !c.user()) return; // a newer load has started, or the person signed out
    if (listBusy()) { mem.stale = true; return; } // an edit began while this was on its way
    mem.stale = false;
    const items = data.items || [];
    mem.fetched = items.length;
    mem.items = history ? withVersions(items) : items;
    c.showError($('memories-error'), '');
    renderMemories();
  } catch (e) {
    if (ticket === mem.ticket) c.failed(e, $('memories-error'));
  }
}

/**
 * The current memories, each with the versions it replaced (following supersededBy to the one still current), newest
 * first; a replaced one whose current memory is not in the list (filtered out, or beyond the page) stands alone.
 */
function withVersions(items) {
  const byId = new Map(items.map(m => [m.id, m]));
  const current = new Map();
  const shown = [];
  items.forEach(m => { if (!m.supersededBy) { const copy = Object.assign({}, m, { versions: [] }); current.set(m.id, copy); } });
  items.forEach(m => {
    if (!m.supersededBy) { shown.push(current.get(m.id)); return; }
    let at = m;
    const seen = new Set();
    while (at && at.supersededBy && !seen.has(at.id)) { seen.add(at.id); at = byId.get(at.supersededBy); }
    const owner = at && current.get(at.id);
    if (owner) owner.versions.push(m); else shown.push(m);
  });
  return shown;
}

function renderMemories() {
  const list = $('memories');
  const focused = focusedMemory(list);
  list.replaceChildren(...mem.items.map(m => memoryEntry(m, memoryView)));
  $('memories-loading').hidden = true;
  const filtered = $('memory-type-filter').value !== '';
  $('memories-empty').hidden = mem.items.length > 0 || filtered;
  if (!mem.items.length && filtered) {
    list.append(c.el('li', 'mem-note', 'No memories of this kind.'));
    list.lastChild.dataset.mode = 'view';
  }
  const full = mem.fetched >= mem.limit;
  $('more-memories').hidden = !full || mem.limit >= MAX;
  $('memories-capped').hidden = !full || mem.limit < MAX;
  if (focused) refocusMemory(list, focused);
}

/** Which memory, and which of its buttons, has the focus: given back after a redraw. */
function focusedMemory(list) {
  const active = document.activeElement;
  const li = list.contains(active) ? active.closest('li[data-id]') : null;
  return li ? { id: li.dataset.id, action: active.dataset.action } : null;
}

function refocusMemory(list, focused) {
  const li = Array.from(list.children).find(item => item.dataset.id === focused.id);
  const target = li && (li.querySelector('[data-action="' + focused.action + '"]') || li.querySelector('button'));
  if (target) target.focus(); else $('memories-title').focus();
}

async function showOlderMemories() {
  const shown = $('memories').children.length;
  mem.limit = Math.min(MAX, mem.limit * 2);
  await loadMemories();
  const first = $('memories').children[shown];
  const button = first && first.querySelector('button');
  if (button) button.focus();
}

async function addMemory() {
  const area = $('memory-new');
  const box = $('memory-new-error');
  const content = area.value.trim();
  if (!content) {
    c.showError(box, 'Write what Aide should remember first.');
    area.focus();
    return;
  }
  const button = $('memory-add');
  button.disabled = true;
  try {
    await c.api('POST', '/memories', { content, type: $('memory-new-type').value });
    area.value = '';
    c.showError(box, '');
    announce('Remembered.');
    if (!$('memory-results-view').hidden) showAllMemories(); else await loadMemories();
  } catch (e) {
    c.failed(e, box);
  } finally {
    button.disabled = false;
    if (c.user()) area.focus();
  }
}

/** A memory drawn by `view` (the list and search results show one differently), with Edit and Delete under it. */
function memoryEntry(memory, view) {
  const li = c.el('li');
  li.dataset.id = memory.id;
  li.dataset.testid = 'memory';
  if (memory.supersededBy) li.classList.add('replaced');
  const entry = { li, memory, view };
  showMemory(entry);
  return li;
}

function showMemory(entry, focusAction) {
  const { li, memory } = entry;
  li.dataset.mode = 'view';
  const name = shortText(memoryText(memory));
  const actions = c.el('div', 'actions');
  if (!memory.supersededBy) {
    actions.append(actionButton('Edit', 'btn small memory-edit', 'edit', 'Edit: ' + name, () => editMemory(entry)));
  }
  actions.append(actionButton('Delete', 'btn small memory-delete', 'delete', 'Delete: ' + name, () => confirmForget(entry)));
  li.replaceChildren(...entry.view(memory), actions);
  if (focusAction) li.querySelector('[data-action="' + focusAction + '"]').focus();
}

/** Back to showing the memory; a refresh held back while the person was busy with it runs now. */
function finishMemory(entry, focusAction) {
  showMemory(entry, focusAction);
  if (mem.stale) loadMemories();
}

function actionButton(text, className, action, label, onClick) {
  const button = c.el('button', className, text);
  button.type = 'button';
  if (action) button.dataset.action = action;
  if (label) button.setAttribute('aria-label', label);
  button.addEventListener('click', onClick);
  return button;
}

/** In the list: the words, the kind of thing it is, how Aide came by it and when; then what it replaced. */
function memoryView(m) {
  const { el, fmt } = c;
  const meta = el('div', 'mem-meta');
  meta.append(el('span', 'mem-type', m.type || 'other'));
  if (m.supersededBy) meta.append(el('span', 'mem-replaced', 'replaced'));
  if (SOURCES[m.source]) meta.append(el('span', 'mem-source', SOURCES[m.source]));
  const at = m.occurredAt || m.createdAt;
  const when = el('time', 'mem-when', m.occurredAt ? 'from ' + fmt.day(at, { year: true }) : fmt.when(at, { year: true }));
  when.dateTime = at || '';
  meta.append(when);
  const parts = [el('p', 'mem-text', memoryText(m)), meta];
  if (m.versions && m.versions.length) parts.push(versionsView(m.versions));
  return parts;
}

/** The versions a memory replaced, newest first, each with when it was replaced. */
function versionsView(versions) {
  const { el, fmt } = c;
  const box = el('details', 'mem-versions');
  box.dataset.testid = 'memory-versions';
  box.append(el('summary', null, versions.length === 1 ? 'It replaced 1 earlier version' : 'It replaced ' + versions.length + ' earlier versions'));
  const list = el('ol');
  versions.forEach(v => {
    const item = el('li');
    item.dataset.testid = 'memory-version';
    item.append(el('span', 'mem-text', memoryText(v)), ' ');
    const when = el('time', 'mem-when', 'until ' + fmt.when(v.updatedAt, { year: true }));
    when.dateTime = v.updatedAt || '';
    item.append(when);
    list.append(item);
  });
  box.append(list);
  return box;
}

/** Among search results: what it is, then the words. */
function resultView(m) {
  return [c.el('span', 'mem-kind', 'A memory'), c.el('p', 'mem-text', memoryText(m))];
}

/** A memory's words as the search has them: with the speaker of an imported line in front. */
function memoryText(m) {
  if (m.content == null) return m.text || ''; // a search result: the speaker is in its text already
  return m.speaker ? m.speaker + ': ' + m.content : m.content;
}

function shortText(text) {
  const chars = Array.from(text);
  return chars.length > 60 ? chars.slice(0, 59).join('') + '…' : text;
}

async function editMemory(entry) {
  const { el } = c;
  const { li } = entry;
  if (entry.memory.content == null) { // a search result holds the words with the speaker: the memory itself first
    const button = li.querySelector('[data-action="edit"]');
    button.disabled = true;
    try {
      entry.memory = await c.api('GET', '/memories/' + encodeURIComponent(entry.memory.id));
    } catch (e) {
      button.disabled = false;
      c.failed(e, $('memories-error'));
      return;
    }
  }
  const memory = entry.memory;
  li.dataset.mode = 'edit';
  const n = ++mem.ids;
  const form = el('form', 'mem-edit');
  form.noValidate = true;
  const textLabel = el('label', null, 'Memory');
  textLabel.htmlFor = 'memory-text-' + n;
  const area = el('textarea');
  area.id = textLabel.htmlFor;
  area.dataset.testid = 'memory-text';
  area.maxLength = MAX_LENGTH;
  area.rows = 3;
  area.value = memory.content;
  const hint = el('span', 'hint', 'Ctrl+Enter saves, Esc cancels.');
  hint.id = 'memory-hint-' + n;
  area.setAttribute('aria-describedby', hint.id);
  const typeLabel = el('label', null, 'Kind');
  typeLabel.htmlFor = 'memory-type-' + n;
  const type = el('select');
  type.id = typeLabel.htmlFor;
  type.dataset.testid = 'memory-type';
  TYPES.forEach(t => type.append(option(t, t)));
  type.value = memory.type || 'other';
  const error = el('div', 'alert');
  error.dataset.testid = 'memory-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const save = el('button', 'btn small primary memory-save', 'Save');
  save.type = 'submit';
  const cancel = actionButton('Cancel', 'btn small memory-cancel', null, null, () => finishMemory(entry, 'edit'));
  const actions = el('div', 'actions');
  actions.append(save, cancel);
  form.append(textLabel, area, hint, typeLabel, type, error, actions);
  const parts = { form, area, type, error, save, cancel };
  form.addEventListener('submit', (e) => { e.preventDefault(); saveMemory(entry, parts); });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (!cancel.disabled) cancel.click();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
      e.preventDefault();
      if (!save.disabled) form.requestSubmit();
    }
  });
  li.replaceChildren(form);
  area.focus();
}

/** Sends only what changed. A failed save keeps the editor open with the person's words in it and says why. */
async function saveMemory(entry, f) {
  const memory = entry.memory;
  const content = f.area.value.trim();
  if (!content) {
    c.showError(f.error, 'A memory cannot be empty. To have Aide forget it, cancel and choose Delete.');
    f.area.focus();
    return;
  }
  const changes = {};
  if (content !== memory.content) changes.content = content;
  if (f.type.value !== memory.type) changes.type = f.type.value;
  if (!Object.keys(changes).length) { finishMemory(entry, 'edit'); return; }
  setSaving(f, true);
  try {
    const saved = await c.api('PATCH', '/memories/' + encodeURIComponent(memory.id), changes);
    entry.memory = Object.assign(saved, memory.versions ? { versions: memory.versions } : {});
    mem.items = mem.items.map(m => m.id === saved.id ? entry.memory : m);
    finishMemory(entry, 'edit');
    announce('Saved.');
  } catch (e) {
    setSaving(f, false);
    if (e.status === 401) { c.failed(e, f.error); return; }
    const gone = e.status === 404;
    if (gone) mem.stale = true; // the list drops it once the person is done here
    c.showError(f.error, gone
      ? 'Not saved: Aide no longer has this memory (it may have been deleted elsewhere). Your words are still here to copy.'
      : 'Not saved: ' + e.message);
    f.area.focus();
  }
}

function setSaving(f, saving) {
  f.save.disabled = saving;
  f.cancel.disabled = saving;
  f.area.readOnly = saving;
  f.type.disabled = saving;
  f.save.textContent = saving ? 'Saving…' : 'Save';
  if (saving) f.form.setAttribute('aria-busy', 'true'); else f.form.removeAttribute('aria-busy');
}

/** Deleting asks first, in place; the focus starts on the harmless answer. */
function confirmForget(entry) {
  const { el } = c;
  const { li, memory } = entry;
  li.dataset.mode = 'confirm';
  const box = el('div', 'mem-confirm');
  box.setAttribute('role', 'group');
  const question = el('span', null, memory.versions && memory.versions.length
    ? 'Forget this, and the versions it replaced, for good?' : 'Forget this for good?');
  question.id = 'memory-forget-' + (++mem.ids);
  box.setAttribute('aria-labelledby', question.id);
  const error = el('div', 'alert');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const forget = actionButton('Forget it', 'btn small danger memory-forget', null, null,
    () => forgetMemory(entry, { forget, keep, error }));
  const keep = actionButton('Keep it', 'btn small memory-keep', null, null, () => finishMemory(entry, 'delete'));
  box.append(question, forget, keep);
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    if (!keep.disabled) keep.click();
  });
  li.replaceChildren(...entry.view(memory), box, error);
  keep.focus();
}

async function forgetMemory(entry, f) {
  const id = entry.memory.id;
  f.forget.disabled = f.keep.disabled = true;
  try {
    await c.api('DELETE', '/memories/' + encodeURIComponent(id));
  } catch (e) {
    if (e.status !== 404) { // already gone is what the person asked for
      f.forget.disabled = f.keep.disabled = false;
      c.failed(e, f.error);
      if (c.user()) f.forget.focus();
      return;
    }
  }
  mem.items = mem.items.filter(m => m.id !== id);
  const li = entry.li;
  const list = li.parentElement;
  if (!list) return; // signed out meanwhile
  const next = li.nextElementSibling || li.previousElementSibling;
  li.remove();
  announce('Forgotten.');
  if (list === $('memories')) {
    $('memories-empty').hidden = list.children.length > 0;
    if (!list.children.length || mem.stale) loadMemories(); // older ones may be waiting beyond the page
  } else {
    $('memory-results-empty').hidden = list.children.length > 0;
  }
  const target = next && next.querySelector('button');
  if (target) target.focus(); else $('memory-query').focus();
}

async function searchMemories(event) {
  event.preventDefault();
  const q = $('memory-query').value.trim();
  if (!q) { showAllMemories(); return; }
  const ticket = ++mem.searchTicket;
  try {
    const data = await c.api('GET', '/memories/search?q=' + encodeURIComponent(q) + '&limit=' + RESULTS);
    if (ticket !== mem.searchTicket || !c.user()) return;
    c.showError($('memories-error'), '');
    renderResults(q, data.items || []);
  } catch (e) {
    if (ticket === mem.searchTicket) c.failed(e, $('memories-error'));
  }
}

function renderResults(q, items) {
  $('memory-results-title').textContent = 'Best matches for “' + q + '”';
  $('memory-results').replaceChildren(...items.map(resultItem));
  $('memory-results-empty').hidden = items.length > 0;
  $('memory-results-view').hidden = false;
  $('memory-list-view').hidden = true;
  announce(items.length === 0 ? 'Nothing found.' : items.length === 1 ? 'One match.' : items.length + ' matches.');
}

/** A memory can be edited and deleted here too; a message or a passage is shown with where it comes from. */
function resultItem(r) {
  const li = r.kind === 'memory' ? memoryEntry(r, resultView) : c.el('li');
  li.dataset.kind = r.kind || '';
  if (r.kind !== 'memory') li.append(c.el('span', 'mem-kind', resultKind(r)), c.el('p', 'mem-text', r.text));
  return li;
}

function resultKind(r) {
  if (r.kind === 'message') return r.occurredAt ? 'Something you said on ' + c.fmt.day(r.occurredAt, { year: true }) : 'Something you said';
  if (r.kind === 'chunk') return 'A passage of ' + (r.source || 'one of your documents');
  return 'A memory';
}

function showAllMemories() {
  mem.searchTicket++;
  const focusWasInResults = $('memory-results-view').contains(document.activeElement);
  $('memory-query').value = '';
  $('memory-results').replaceChildren();
  $('memory-results-view').hidden = true;
  $('memory-list-view').hidden = false;
  if (focusWasInResults) $('memory-query').focus();
  loadMemories(); // what was changed among the results shows in the list too
}

function refreshMemories() {
  if (!$('memory-results-view').hidden && $('memory-query').value.trim()) $('memory-search').requestSubmit();
  else loadMemories();
}

function announce(text) {
  $('memories-status').textContent = text;
}
