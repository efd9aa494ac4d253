// Documents: files the person gives Aide to answer from. Upload one (within this Aide's size limit; a refused file
// says why, in the server's words), watch it being read (the list is polled while any document is waiting or being
// read, and no longer), rename it, delete it after a confirm.

const POLL_MS = 1500;
const STATUS_WORDS = { pending: 'Waiting to be read', processing: 'Being read', ready: 'Ready', failed: 'Could not be read' };
const ACCEPT = '.pdf,.md,.markdown,.html,.htm,.txt,application/pdf,text/markdown,text/html,text/plain';

let root;
let c;
let ticket = 0;
let timer = 0;
let items = [];
const $ = (id) => root.querySelector('#' + id);

export function mount(node, ctx) {
  root = node;
  c = ctx;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Documents');
  title.id = 'documents-title';
  head.append(title);
  const error = el('div', 'alert');
  error.id = 'documents-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const status = el('div', 'sr-only');
  status.id = 'documents-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

  const form = el('form', 'card');
  form.id = 'document-form';
  form.noValidate = true;
  const formTitle = el('h3', null, 'Give Aide a document');
  formTitle.id = 'document-form-title';
  form.setAttribute('aria-labelledby', formTitle.id);
  const about = el('p', 'muted small', 'Aide reads it and then answers from it in the chat: “what does my lease say about notice?”');
  const row = el('div', 'form-row');
  const fileBox = el('div', 'field');
  const fileLabel = el('label', null, 'File');
  const file = el('input');
  file.type = 'file';
  file.id = 'document-file';
  file.accept = ACCEPT;
  fileLabel.htmlFor = file.id;
  const hint = el('span', 'hint');
  hint.id = 'document-hint';
  file.setAttribute('aria-describedby', hint.id);
  fileBox.append(fileLabel, file, hint);
  const titleBox = el('div', 'field');
  const titleLabel = el('label', null, 'Title (optional)');
  const titleInput = el('input');
  titleInput.id = 'document-title';
  titleInput.maxLength = 200;
  titleInput.autocomplete = 'off';
  titleInput.placeholder = 'the file’s name';
  titleLabel.htmlFor = titleInput.id;
  titleBox.append(titleLabel, titleInput);
  const send = el('button', 'btn primary', 'Upload');
  send.id = 'document-upload';
  row.append(fileBox, titleBox, send);
  const formError = el('div', 'alert');
  formError.id = 'document-error';
  formError.setAttribute('role', 'alert');
  formError.hidden = true;
  form.append(formTitle, about, row, formError);
  form.addEventListener('submit', (e) => { e.preventDefault(); uploadDocument(); });

  const listCard = el('section', 'card spaced');
  const listTitle = el('h3', null, 'Your documents');
  listTitle.id = 'documents-list-title';
  listCard.setAttribute('aria-labelledby', listTitle.id);
  const list = el('ul', 'rows');
  list.id = 'documents';
  list.setAttribute('aria-labelledby', listTitle.id);
  const empty = el('p', 'empty', 'No documents yet. Upload a PDF, Markdown, HTML or text file above, or send one to Aide on Telegram.');
  empty.id = 'documents-empty';
  empty.hidden = true;
  listCard.append(listTitle, empty, list);
  root.append(head, error, status, form, listCard);
}

function maxBytes() {
  const user = c.user();
  const n = user && user.capabilities && Number(user.capabilities.documentMaxBytes);
  return n > 0 ? n : null;
}

/** "20 MB", "512 KB", "900 bytes". */
export function size(bytes) {
  const n = Number(bytes);
  if (!isFinite(n)) return '';
  if (n >= 1024 * 1024) return trim(n / (1024 * 1024)) + ' MB';
  if (n >= 1024) return trim(n / 1024) + ' KB';
  return n + (n === 1 ? ' byte' : ' bytes');
}

function trim(x) {
  return x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

export function reset() {
  ticket++;
  clearTimeout(timer);
  timer = 0;
  items = [];
  $('documents').replaceChildren();
  $('document-file').value = '';
  $('document-title').value = '';
  c.showError($('document-error'), '');
  c.showError($('documents-error'), '');
}

export function show() {
  const limit = maxBytes();
  $('document-hint').textContent = 'PDF, Markdown, HTML or plain text' + (limit ? ', up to ' + size(limit) + '.' : '.');
  return load();
}

async function load() {
  clearTimeout(timer);
  timer = 0;
  const mine = ++ticket;
  try {
    const data = await c.api('GET', '/documents?limit=500');
    if (mine !== ticket || !c.user()) return;
    c.showError($('documents-error'), '');
    render(data.items || []);
  } catch (e) {
    if (mine === ticket) c.failed(e, $('documents-error'));
  }
}

/** Polls again while something is still being read and the page is open; stops when nothing is. */
function schedule() {
  clearTimeout(timer);
  timer = 0;
  if (root.hidden || !c.user()) return;
  if (items.some(d => d.status === 'pending' || d.status === 'processing')) timer = setTimeout(load, POLL_MS);
}

function render(next) {
  const before = new Map(items.map(d => [d.id, d.status]));
  items = next;
  next.filter(d => before.has(d.id) && before.get(d.id) !== d.status && (d.status === 'ready' || d.status === 'failed'))
    .forEach(d => announce('“' + d.title + '” ' + (d.status === 'ready' ? 'is ready.' : 'could not be read.')));
  const list = $('documents');
  $('documents-empty').hidden = next.length > 0;
  // A row being renamed or waiting for its delete answer is left as it is.
  const busy = new Map(Array.from(list.children).filter(li => li.dataset.mode !== 'view').map(li => [li.dataset.id, li]));
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const focusedId = focused && focused.closest('li') ? focused.closest('li').dataset.id : null;
  const focusedAction = focused ? focused.dataset.action : null;
  list.replaceChildren(...next.map(d => busy.get(d.id) || row(d)));
  if (focusedId && !busy.has(focusedId)) {
    const li = Array.from(list.children).find(x => x.dataset.id === focusedId);
    const target = li && (li.querySelector('[data-action="' + focusedAction + '"]') || li.querySelector('button'));
    if (target) target.focus();
  }
  schedule();
}

function statusText(d) {
  if (d.status === 'processing' && d.chunks > 0) return 'Being read: ' + d.chunksDone + ' of ' + d.chunks + ' passages';
  if (d.status === 'ready') {
    const parts = ['Ready'];
    if (d.pages) parts.push(d.pages === 1 ? '1 page' : d.pages + ' pages');
    if (d.chunks) parts.push(d.chunks === 1 ? '1 passage' : d.chunks + ' passages');
    return parts.join(' · ');
  }
  if (d.status === 'failed') return 'Could not be read' + (d.error ? ': ' + d.error : '');
  return STATUS_WORDS[d.status] || d.status;
}

function row(d) {
  const { el, fmt } = c;
  const li = el('li');
  li.dataset.id = d.id;
  li.dataset.testid = 'document';
  li.dataset.status = d.status;
  li.dataset.mode = 'view';
  const main = el('div', 'grow');
  main.append(el('strong', 'document-title', d.title || d.filename || 'Document'));
  const meta = el('div', 'meta');
  const bits = [];
  if (d.filename && d.filename !== d.title) bits.push(d.filename);
  if (d.sizeBytes != null) bits.push(size(d.sizeBytes));
  meta.append(bits.join(' · ') + (bits.length ? ' · added ' : 'Added '));
  const when = el('time', null, fmt.when(d.createdAt, { year: true }));
  when.dateTime = d.createdAt || '';
  meta.append(when);
  main.append(meta);
  const state = el('span', 'doc-status ' + d.status, statusText(d));
  state.dataset.testid = 'document-status';
  main.append(state);
  if (d.status === 'processing' || d.status === 'pending') {
    const bar = el('progress');
    bar.max = Math.max(1, d.chunks || 0);
    if (d.chunks) bar.value = d.chunksDone || 0; // without a count yet: an indeterminate bar
    bar.setAttribute('aria-label', 'Reading “' + (d.title || 'document') + '”');
    main.append(bar);
  }
  const actions = el('div', 'inline-actions');
  const rename = el('button', 'btn small document-rename', 'Rename');
  rename.type = 'button';
  rename.dataset.action = 'rename';
  rename.setAttribute('aria-label', 'Rename “' + (d.title || 'document') + '”');
  rename.addEventListener('click', () => renameRow(li, d));
  const del = el('button', 'btn small document-delete', 'Delete');
  del.type = 'button';
  del.dataset.action = 'delete';
  del.setAttribute('aria-label', 'Delete “' + (d.title || 'document') + '”');
  del.addEventListener('click', () => confirmDelete(li, d));
  actions.append(rename, del);
  li.append(main, actions);
  return li;
}

function back(li, d, action) {
  const fresh = row(items.find(x => x.id === d.id) || d);
  li.replaceWith(fresh);
  const button = fresh.querySelector('[data-action="' + action + '"]');
  if (button) button.focus();
  schedule();
}

function renameRow(li, d) {
  const { el } = c;
  li.dataset.mode = 'rename';
  const form = el('form', 'form-row doc-rename');
  const label = el('label', 'sr-only', 'New title');
  const input = el('input');
  input.id = 'document-rename-' + d.id;
  label.htmlFor = input.id;
  input.maxLength = 200;
  input.value = d.title || '';
  input.className = 'grow';
  const save = el('button', 'btn small primary document-rename-save', 'Save');
  const cancel = el('button', 'btn small', 'Cancel');
  cancel.type = 'button';
  const error = el('div', 'alert');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  form.append(label, input, save, cancel);
  li.replaceChildren(form, error);
  input.focus();
  input.select();
  cancel.addEventListener('click', () => back(li, d, 'rename'));
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); cancel.click(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) { c.showError(error, 'A document needs a title.'); input.focus(); return; }
    save.disabled = cancel.disabled = true;
    try {
      const updated = await c.api('PATCH', '/documents/' + encodeURIComponent(d.id), { title });
      items = items.map(x => x.id === d.id ? updated : x);
      announce('Renamed.');
      back(li, updated, 'rename');
    } catch (err) {
      save.disabled = cancel.disabled = false;
      c.failed(err, error);
    }
  });
}

function confirmDelete(li, d) {
  const { el } = c;
  li.dataset.mode = 'confirm';
  const box = el('div', 'mem-confirm');
  box.setAttribute('role', 'group');
  const question = el('span', null, 'Delete “' + (d.title || 'document') + '”? Aide will no longer answer from it.');
  question.id = 'document-delete-' + d.id;
  box.setAttribute('aria-labelledby', question.id);
  const yes = el('button', 'btn small danger document-delete-yes', 'Delete it');
  const keep = el('button', 'btn small document-keep', 'Keep it');
  yes.type = keep.type = 'button';
  const error = el('div', 'alert');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  box.append(question, yes, keep);
  li.replaceChildren(box, error);
  keep.focus();
  keep.addEventListener('click', () => back(li, d, 'delete'));
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); keep.click(); } });
  yes.addEventListener('click', async () => {
    yes.disabled = keep.disabled = true;
    try {
      await c.api('DELETE', '/documents/' + encodeURIComponent(d.id));
    } catch (err) {
      if (err.status !== 404) { yes.disabled = keep.disabled = false; c.failed(err, error); return; }
    }
    items = items.filter(x => x.id !== d.id);
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    $('documents-empty').hidden = items.length > 0;
    announce('Deleted.');
    const target = next && next.querySelector('button');
    if (target) target.focus(); else $('document-file').focus();
  });
}

async function uploadDocument() {
  const input = $('document-file');
  const error = $('document-error');
  const file = input.files && input.files[0];
  if (!file) { c.showError(error, 'Choose a file first.'); input.focus(); return; }
  const limit = maxBytes();
  if (limit && file.size > limit) {
    // Said here rather than by the server, which would stop reading the upload part-way.
    c.showError(error, '“' + file.name + '” is ' + size(file.size) + ': larger than ' + size(limit) + ', the most this Aide takes.');
    input.focus();
    return;
  }
  const form = new FormData();
  form.append('file', file, file.name);
  const title = $('document-title').value.trim();
  if (title) form.append('title', title);
  const button = $('document-upload');
  button.disabled = true;
  button.textContent = 'Uploading…';
  try {
    const added = await c.upload('/documents', form);
    c.showError(error, '');
    input.value = '';
    $('document-title').value = '';
    announce('“' + (added.title || file.name) + '” is uploaded; Aide is reading it.');
    await load();
  } catch (e) {
    c.failed(e, error);
    input.focus();
  } finally {
    button.disabled = false;
    button.textContent = 'Upload';
  }
}

function announce(text) {
  $('documents-status').textContent = text;
}
