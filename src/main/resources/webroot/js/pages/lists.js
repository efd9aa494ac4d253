// Lists and notes: each list with its items (checked off, quantities changed, added, removed), and the notes with
// their tags, searched by words or by a tag.

let root;
let ticket = 0;

export function mount(node, ctx) {
  root = node;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Lists and notes');
  title.id = 'lists-title';
  head.append(title);
  const error = el('div', 'alert');
  error.id = 'lists-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;

  const newList = el('form', 'form-row');
  newList.id = 'list-new';
  const nameField = el('div', 'field');
  const nameLabel = el('label', null, 'New list');
  const name = el('input');
  name.id = 'list-new-name';
  name.maxLength = 100;
  name.placeholder = 'groceries';
  nameLabel.htmlFor = name.id;
  nameField.append(nameLabel, name);
  const create = el('button', 'btn', 'Create list');
  newList.append(nameField, create);
  newList.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = name.value.trim();
    if (!value) return;
    if (await change(ctx, 'POST', '/lists', { name: value })) name.value = '';
  });

  const lists = el('div', 'cards');
  lists.id = 'lists';

  const notesHead = el('div', 'page-head spaced-top');
  const notesTitle = el('h2', null, 'Notes');
  notesTitle.id = 'notes-title';
  notesHead.append(notesTitle);
  const search = el('form', 'form-row');
  search.id = 'notes-search';
  search.setAttribute('role', 'search');
  search.setAttribute('aria-label', 'Search notes');
  const q = labelled(ctx, 'notes-q', 'Words', 'search');
  const tag = labelled(ctx, 'notes-tag', 'Tag', 'text');
  const find = el('button', 'btn', 'Search');
  search.append(q, tag, find);
  search.addEventListener('submit', (e) => { e.preventDefault(); loadNotes(ctx); });

  const add = el('form', 'card');
  add.id = 'note-form';
  const addTitle = el('h3', null, 'New note');
  addTitle.id = 'note-form-title';
  add.setAttribute('aria-labelledby', addTitle.id);
  const content = el('textarea');
  content.id = 'note-content';
  content.rows = 3;
  content.maxLength = 20000;
  content.setAttribute('aria-label', 'Note');
  content.placeholder = 'The plumber is called Jo, 555 0100';
  const tags = labelled(ctx, 'note-tags', 'Tags (space-separated)', 'text');
  const save = el('button', 'btn primary', 'Save note');
  add.append(addTitle, content, tags, save);
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = content.value.trim();
    if (!text) { content.focus(); return; }
    const tagList = root.querySelector('#note-tags').value.split(/[\s,]+/).map(t => t.replace(/^#/, '')).filter(Boolean);
    if (await change(ctx, 'POST', '/notes', { content: text, tags: tagList })) {
      content.value = '';
      root.querySelector('#note-tags').value = '';
    }
  });
  const notes = el('ul', 'cards plain');
  notes.id = 'notes';
  root.append(head, error, newList, lists, notesHead, search, add, notes);
}

function labelled(ctx, id, label, type) {
  const box = ctx.el('div', 'field');
  const l = ctx.el('label', null, label);
  const input = ctx.el('input');
  input.type = type;
  input.id = id;
  input.maxLength = 200;
  l.htmlFor = id;
  box.append(l, input);
  return box;
}

export function reset() {
  ticket++;
}

export async function show(ctx) {
  await Promise.all([loadLists(ctx), loadNotes(ctx)]);
}

async function loadLists(ctx) {
  const mine = ++ticket;
  try {
    const data = await ctx.api('GET', '/lists');
    if (mine !== ticket) return;
    renderLists(ctx, data.items || []);
  } catch (e) {
    ctx.failed(e, root.querySelector('#lists-error'));
  }
}

/** Runs a change and redraws; true when it worked. */
async function change(ctx, method, path, body) {
  const error = root.querySelector('#lists-error');
  try {
    await ctx.api(method, path, body);
    ctx.showError(error, '');
    await show(ctx);
    return true;
  } catch (e) {
    ctx.failed(e, error);
    return false;
  }
}

function renderLists(ctx, lists) {
  const { el } = ctx;
  const box = root.querySelector('#lists');
  if (!lists.length) {
    box.replaceChildren(el('p', 'empty', 'No lists yet. Create one above, or tell Aide “add milk to my shopping list”.'));
    return;
  }
  box.replaceChildren(...lists.map(list => {
    const card = el('section', 'card');
    card.dataset.testid = 'list';
    card.dataset.id = list.id;
    const h = el('h3', null, list.name);
    h.id = 'list-' + list.id;
    card.setAttribute('aria-labelledby', h.id);
    const open = (list.items || []).filter(i => !i.done).length;
    h.append(el('span', 'count', String(open)));
    h.lastChild.setAttribute('aria-label', open + ' to do');
    const items = el('ul', 'rows');
    (list.items || []).forEach(item => items.append(itemRow(ctx, list, item)));
    sortable(ctx, list, items);
    const add = el('form', 'form-row');
    const text = el('input');
    text.id = 'add-' + list.id;
    text.maxLength = 200;
    text.placeholder = 'Add an item';
    text.setAttribute('aria-label', 'Add an item to ' + list.name);
    text.className = 'list-add-text';
    const qty = el('input', 'qty');
    qty.inputMode = 'decimal';
    qty.placeholder = 'Qty';
    qty.setAttribute('aria-label', 'Quantity');
    const addButton = el('button', 'btn small', 'Add');
    add.append(text, qty, addButton);
    add.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!text.value.trim()) return;
      const body = { text: text.value.trim() };
      if (qty.value.trim()) body.quantity = qty.value.trim();
      if (await change(ctx, 'POST', '/lists/' + encodeURIComponent(list.id) + '/items', body)) {
        const again = root.querySelector('#add-' + list.id);
        if (again) again.focus();
      }
    });
    const actions = el('div', 'inline-actions');
    const clear = el('button', 'btn small ghost', 'Delete list');
    clear.type = 'button';
    clear.setAttribute('aria-label', 'Delete the list ' + list.name);
    clear.addEventListener('click', () => {
      actions.replaceChildren(el('span', 'overdue', 'Delete “' + list.name + '” and its items?'));
      const keep = el('button', 'btn small', 'Keep');
      const sure = el('button', 'btn small danger', 'Delete');
      keep.type = sure.type = 'button';
      keep.addEventListener('click', () => show(ctx));
      sure.addEventListener('click', () => change(ctx, 'DELETE', '/lists/' + encodeURIComponent(list.id)));
      actions.append(keep, sure);
      keep.focus();
    });
    actions.append(clear);
    card.append(h, items, add, actions);
    return card;
  }));
}

function itemRow(ctx, list, item) {
  const { el } = ctx;
  const li = el('li', item.done ? 'item-done' : '');
  li.dataset.testid = 'list-item';
  li.dataset.id = item.id;
  const check = el('input', 'check');
  check.type = 'checkbox';
  check.checked = !!item.done;
  check.id = 'item-' + item.id;
  const label = el('label', 'grow', item.text);
  label.htmlFor = check.id;
  const path = '/lists/' + encodeURIComponent(list.id) + '/items/' + encodeURIComponent(item.id);
  check.addEventListener('change', () => change(ctx, 'PATCH', path, { done: check.checked }).then(() => {
    const again = root.querySelector('#item-' + item.id);
    if (again) again.focus();
  }));
  const qty = el('input', 'qty');
  qty.inputMode = 'decimal';
  qty.value = item.quantity == null ? '' : String(item.quantity);
  qty.placeholder = 'Qty';
  qty.setAttribute('aria-label', 'Quantity of ' + item.text);
  qty.addEventListener('change', () => change(ctx, 'PATCH', path, { quantity: qty.value.trim() || null }));
  const unit = item.unit ? el('span', 'meta', item.unit) : null;
  const remove = el('button', 'btn small ghost', '✕');
  remove.type = 'button';
  remove.setAttribute('aria-label', 'Remove ' + item.text);
  remove.addEventListener('click', () => change(ctx, 'DELETE', path));
  const handle = el('button', 'btn small ghost drag-handle', '⠿');
  handle.type = 'button';
  handle.setAttribute('aria-label', 'Move ' + item.text + ' (arrow keys up and down)');
  handle.title = 'Drag, or use the arrow keys, to move';
  li.draggable = true;
  li.append(handle, check, label, qty);
  if (unit) li.append(unit);
  li.append(remove);
  return li;
}

/** Items reordered by dragging, or by the arrow keys on an item's handle; the new order is saved at once. */
function sortable(ctx, list, ul) {
  const save = async (focusId) => {
    const ids = Array.from(ul.children).map(li => li.dataset.id).filter(Boolean);
    if (await change(ctx, 'PUT', '/lists/' + encodeURIComponent(list.id) + '/order', { itemIds: ids }) && focusId) {
      const handle = root.querySelector('[data-testid=list-item][data-id="' + focusId + '"] .drag-handle');
      if (handle) handle.focus();
    }
  };
  let dragged = null;
  ul.addEventListener('dragstart', (e) => {
    dragged = e.target.closest('li');
    if (e.dataTransfer) { e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', dragged.dataset.id); }
  });
  ul.addEventListener('dragover', (e) => {
    const over = e.target.closest('li');
    if (!dragged || !over || over === dragged || over.parentElement !== ul) return;
    e.preventDefault();
    const after = e.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
    over[after ? 'after' : 'before'](dragged);
  });
  ul.addEventListener('drop', (e) => { e.preventDefault(); });
  ul.addEventListener('dragend', () => { if (dragged) { const id = dragged.dataset.id; dragged = null; save(id); } });
  ul.addEventListener('keydown', (e) => {
    if (!e.target.classList.contains('drag-handle') || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const li = e.target.closest('li');
    const other = e.key === 'ArrowUp' ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    if (e.key === 'ArrowUp') other.before(li); else other.after(li);
    save(li.dataset.id);
  });
}

async function loadNotes(ctx) {
  const { el, fmt } = ctx;
  const params = new URLSearchParams();
  const q = root.querySelector('#notes-q').value.trim();
  const tag = root.querySelector('#notes-tag').value.trim().replace(/^#/, '');
  if (q) params.set('q', q);
  if (tag) params.set('tag', tag.toLowerCase());
  params.set('limit', '200');
  const box = root.querySelector('#notes');
  try {
    const data = await ctx.api('GET', '/notes?' + params);
    const items = data.items || [];
    if (!items.length) {
      const li = el('li', 'empty', q || tag ? 'No note matches.' : 'No notes yet.');
      box.replaceChildren(li);
      return;
    }
    box.replaceChildren(...items.map(n => {
      const li = el('li', 'card');
      li.dataset.testid = 'note';
      if (n.title) li.append(el('h3', null, n.title));
      li.append(el('p', 'note-text', n.content));
      const meta = el('div', 'inline-actions');
      (n.tags || []).forEach(t => {
        const b = el('button', 'tag', '#' + t);
        b.type = 'button';
        b.setAttribute('aria-label', 'Notes tagged ' + t);
        b.addEventListener('click', () => { root.querySelector('#notes-tag').value = t; loadNotes(ctx); });
        meta.append(b);
      });
      const when = el('time', 'meta', fmt.when(n.updatedAt || n.createdAt));
      when.dateTime = n.updatedAt || n.createdAt;
      meta.append(when);
      const del = el('button', 'btn small ghost', 'Delete');
      del.type = 'button';
      del.setAttribute('aria-label', 'Delete the note ' + (n.title || n.content.slice(0, 40)));
      del.addEventListener('click', () => change(ctx, 'DELETE', '/notes/' + encodeURIComponent(n.id)));
      meta.append(del);
      li.append(meta);
      return li;
    }));
  } catch (e) {
    ctx.failed(e, root.querySelector('#lists-error'));
  }
}
