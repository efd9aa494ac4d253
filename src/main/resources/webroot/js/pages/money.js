// Money: the expenses (filtered by dates, category and words; edited and deleted in place; exported as CSV), charts
// of spending by category and by month, and the monthly budgets with how much of each is spent.
import { budgetBars } from './today.js';
import { loadScript, CHART_JS } from '../vendor.js';

const CATEGORIES = ['food', 'groceries', 'transport', 'housing', 'utilities', 'health', 'entertainment', 'shopping',
  'travel', 'education', 'gifts', 'other'];
let root;
let ticket = 0;
const charts = {};

function field(ctx, id, label, input) {
  const box = ctx.el('div', 'field');
  const l = ctx.el('label', null, label);
  l.htmlFor = id;
  input.id = id;
  box.append(l, input);
  return box;
}

function input(ctx, type, attrs) {
  const node = ctx.el('input');
  node.type = type;
  Object.assign(node, attrs || {});
  return node;
}

/**
 * A date written the person's way (day first, as every date on the page reads), not the browser's: a text field that
 * takes "4/12/2026", "4 Dec" or "2026-12-04" and, once left, shows what it understood as "04/12/2026".
 */
function dateInput(ctx, iso) {
  const node = input(ctx, 'text', { value: ctx.fmt.dateField(iso), placeholder: 'dd/mm/yyyy', autocomplete: 'off', maxLength: 40 });
  node.classList.add('date-field');
  node.dataset.date = 'true';
  node.title = ctx.fmt.dateFieldHint;
  node.addEventListener('blur', () => {
    const day = ctx.fmt.parseDay(node.value);
    if (day) { node.value = ctx.fmt.dateField(day); node.removeAttribute('aria-invalid'); }
    else if (node.value.trim()) node.setAttribute('aria-invalid', 'true');
  });
  return node;
}

/** The local date (YYYY-MM-DD) in a date field; '' when empty; throws, naming the field, when it is not a date. */
function dateValue(ctx, node, name) {
  const text = node.value.trim();
  if (!text) { node.removeAttribute('aria-invalid'); return ''; }
  const day = ctx.fmt.parseDay(text);
  if (!day) {
    node.setAttribute('aria-invalid', 'true');
    node.focus();
    throw new Error(name + ': “' + text + '” is not a date. Write it ' + ctx.fmt.dateFieldHint + '.');
  }
  node.removeAttribute('aria-invalid');
  return day;
}

export function mount(node, ctx) {
  root = node;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Money');
  title.id = 'money-title';
  const exportButton = el('button', 'btn small', '⬇ Export CSV');
  exportButton.type = 'button';
  exportButton.id = 'money-export';
  exportButton.addEventListener('click', () => exportCsv(ctx));
  head.append(title, exportButton);

  const error = el('div', 'alert');
  error.id = 'money-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;

  const list = el('datalist');
  list.id = 'money-categories';
  list.append(...CATEGORIES.map(c => { const o = el('option'); o.value = c; return o; }));

  // Add an expense
  const add = el('form', 'card');
  add.id = 'expense-form';
  add.setAttribute('aria-labelledby', 'expense-form-title');
  const addTitle = el('h3', null, 'Log an expense');
  addTitle.id = 'expense-form-title';
  const row = el('div', 'form-row');
  row.append(
    field(ctx, 'expense-amount', 'Amount', input(ctx, 'text', { inputMode: 'decimal', required: true, placeholder: '12.50', autocomplete: 'off' })),
    field(ctx, 'expense-currency', 'Currency', input(ctx, 'text', { maxLength: 3, placeholder: ctx.fmt.currency(), autocomplete: 'off' })),
    field(ctx, 'expense-category', 'Category', input(ctx, 'text', { maxLength: 64, placeholder: 'food' })),
    field(ctx, 'expense-description', 'What for', input(ctx, 'text', { maxLength: 500, placeholder: 'lunch' })),
    field(ctx, 'expense-date', 'Day', dateInput(ctx, '')));
  row.querySelector('#expense-category').setAttribute('list', 'money-categories');
  const save = el('button', 'btn primary', 'Add');
  save.id = 'expense-add';
  row.append(save);
  add.append(addTitle, row);
  add.addEventListener('submit', (e) => { e.preventDefault(); addExpense(ctx); });

  // Filters
  const filters = el('form', 'form-row');
  filters.id = 'expense-filters';
  filters.setAttribute('role', 'search');
  filters.setAttribute('aria-label', 'Filter expenses');
  filters.append(
    field(ctx, 'filter-from', 'From', dateInput(ctx, '')),
    field(ctx, 'filter-to', 'To', dateInput(ctx, '')),
    field(ctx, 'filter-category', 'Category', input(ctx, 'text', { maxLength: 64 })),
    field(ctx, 'filter-q', 'Words', input(ctx, 'search', { maxLength: 200 })));
  filters.querySelector('#filter-category').setAttribute('list', 'money-categories');
  const apply = el('button', 'btn', 'Filter');
  apply.id = 'filter-apply';
  filters.append(apply);
  filters.addEventListener('submit', (e) => { e.preventDefault(); show(ctx); });

  const table = el('section', 'card');
  table.setAttribute('aria-labelledby', 'expenses-title');
  const tableTitle = el('h3', null, 'Expenses');
  tableTitle.id = 'expenses-title';
  const wrap = el('div', 'table-wrap');
  wrap.id = 'expenses-box';
  table.append(tableTitle, filters, wrap);

  const byCategory = chartCard(ctx, 'chart-category', 'By category');
  const byMonth = chartCard(ctx, 'chart-month', 'By month');

  const budgets = el('section', 'card');
  budgets.id = 'budgets';
  budgets.setAttribute('aria-labelledby', 'budgets-title');
  const budgetsTitle = el('h3', null, 'Budgets this month');
  budgetsTitle.id = 'budgets-title';
  const budgetsBox = el('div');
  budgetsBox.id = 'budgets-box';
  const budgetForm = el('form', 'form-row');
  budgetForm.id = 'budget-form';
  budgetForm.append(
    field(ctx, 'budget-category', 'Category', input(ctx, 'text', { required: true, maxLength: 64 })),
    field(ctx, 'budget-amount', 'Monthly amount', input(ctx, 'text', { required: true, inputMode: 'decimal' })));
  budgetForm.querySelector('#budget-category').setAttribute('list', 'money-categories');
  const setBudget = el('button', 'btn', 'Set budget');
  budgetForm.append(setBudget);
  budgetForm.addEventListener('submit', (e) => { e.preventDefault(); saveBudget(ctx); });
  budgets.append(budgetsTitle, budgetsBox, budgetForm);

  const cards = el('div', 'cards');
  cards.append(add, byCategory, byMonth, budgets);
  table.classList.add('spaced');
  root.append(head, error, list, cards, table);
}

function chartCard(ctx, id, heading) {
  const section = ctx.el('section', 'card');
  section.setAttribute('aria-labelledby', id + '-title');
  const h = ctx.el('h3', null, heading);
  h.id = id + '-title';
  const box = ctx.el('div', 'chart-box');
  const canvas = ctx.el('canvas');
  canvas.id = id;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', heading);
  box.append(canvas);
  const words = ctx.el('p', 'sr-only');
  words.id = id + '-words';
  section.append(h, box, words);
  return section;
}

export function reset() {
  ticket++;
  Object.values(charts).forEach(c => c.destroy());
  Object.keys(charts).forEach(k => delete charts[k]);
}

function value(id) {
  return root.querySelector('#' + id).value.trim();
}

/** The filters as query parameters; throws when a date filter is not a date. */
function query(ctx) {
  const params = new URLSearchParams();
  [['from', 'filter-from', 'From'], ['to', 'filter-to', 'To'], ['category', 'filter-category'], ['q', 'filter-q']].forEach(([k, id, name]) => {
    const node = root.querySelector('#' + id);
    const v = node.dataset.date ? dateValue(ctx, node, name) : value(id);
    if (v) params.set(k, k === 'category' ? v.toLowerCase() : v);
  });
  return params;
}

export async function show(ctx) {
  const mine = ++ticket;
  const error = root.querySelector('#money-error');
  ctx.showError(error, '');
  if (!value('expense-date')) root.querySelector('#expense-date').value = ctx.fmt.dateField(ctx.fmt.today());
  let params;
  try {
    params = query(ctx);
  } catch (e) {
    ctx.showError(error, e.message);
    return;
  }
  params.set('limit', '500');
  const summaryParams = new URLSearchParams(params);
  summaryParams.delete('limit');
  summaryParams.delete('q');
  summaryParams.set('groupBy', 'category');
  if (!summaryParams.get('from')) summaryParams.set('from', ctx.fmt.today().slice(0, 8) + '01');
  const months = new URLSearchParams({ groupBy: 'month', from: monthsAgo(ctx.fmt.today(), 5), to: ctx.fmt.today() });
  const [expenses, byCategory, byMonth, budgets] = await Promise.allSettled([
    ctx.api('GET', '/expenses?' + params), ctx.api('GET', '/expenses/summary?' + summaryParams),
    ctx.api('GET', '/expenses/summary?' + months), ctx.api('GET', '/budgets')]);
  if (mine !== ticket) return;
  const failure = [expenses, byCategory, byMonth, budgets].find(r => r.status === 'rejected');
  if (failure) ctx.failed(failure.reason, error);
  if (expenses.status === 'fulfilled') renderTable(ctx, expenses.value.items || []);
  if (budgets.status === 'fulfilled') renderBudgets(ctx, budgets.value.items || []);
  const summaries = [byCategory, byMonth].map(r => r.status === 'fulfilled' ? r.value : null);
  try {
    await loadScript(CHART_JS);
    if (mine !== ticket) return;
    if (summaries[0]) drawChart(ctx, 'chart-category', 'doughnut', summaries[0], key => key);
    if (summaries[1]) drawChart(ctx, 'chart-month', 'bar', summaries[1], key => ctx.fmt.month(key));
  } catch (e) {
    ctx.showError(error, 'The charts could not be drawn: ' + e.message);
  }
}

function monthsAgo(today, n) {
  const [y, m] = today.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 10);
}

const PALETTE = ['#4f46e5', '#16a34a', '#d97706', '#dc2626', '#0891b2', '#9333ea', '#db2777', '#65a30d', '#475569', '#ea580c', '#2563eb', '#a16207'];

function drawChart(ctx, id, type, summary, label) {
  // One currency per chart: the person's default when there are several (amounts are never converted).
  const groups = (summary.groups || []).filter(g => !summary.currency ? g.currency === ctx.fmt.currency() : true);
  const currency = summary.currency || ctx.fmt.currency();
  const labels = groups.map(g => label(g.key));
  const data = groups.map(g => Number(g.total));
  const words = root.querySelector('#' + id + '-words');
  words.textContent = groups.length
    ? groups.map(g => label(g.key) + ': ' + ctx.fmt.money(g.total, g.currency)).join('; ')
    : 'Nothing spent in this period.';
  const canvas = root.querySelector('#' + id);
  canvas.setAttribute('aria-label', words.textContent);
  canvas.dataset.points = JSON.stringify(groups.map(g => [g.key, g.total]));
  if (charts[id]) charts[id].destroy();
  charts[id] = new window.Chart(canvas, {
    type,
    data: { labels, datasets: [{ label: 'Spent (' + currency + ')', data, backgroundColor: type === 'bar' ? PALETTE[0] : PALETTE }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: {
        legend: { display: type !== 'bar', position: 'right' },
        tooltip: { callbacks: { label: (item) => ctx.fmt.money(item.raw, currency) } }
      }
    }
  });
}

function renderTable(ctx, items) {
  const { el, fmt } = ctx;
  const box = root.querySelector('#expenses-box');
  if (!items.length) {
    box.replaceChildren(el('p', 'empty', 'No expenses match. Log one above, or tell Aide “I spent 12 on lunch”.'));
    return;
  }
  const table = el('table', 'data');
  table.id = 'expenses';
  const head = el('tr');
  ['Day', 'What for', 'Category', 'Amount', ''].forEach((h, i) => {
    const th = el('th', i === 3 ? 'num' : null, h);
    th.scope = 'col';
    if (i === 4) th.append(el('span', 'sr-only', 'Actions'));
    head.append(th);
  });
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  items.forEach(x => tbody.append(row(ctx, x)));
  table.append(thead, tbody);
  box.replaceChildren(table);
}

function row(ctx, x) {
  const { el, fmt } = ctx;
  const tr = el('tr');
  tr.dataset.id = x.id;
  tr.dataset.testid = 'expense';
  const what = [x.description, x.merchant ? '(' + x.merchant + ')' : ''].filter(Boolean).join(' ');
  tr.append(el('td', null, fmt.day(x.spentOn)), el('td', 'expense-what', what || '—'), el('td', 'expense-category', x.category),
    el('td', 'num expense-amount', fmt.money(x.amount, x.currency)));
  const actions = el('td');
  const wrap = el('span', 'inline-actions');
  const edit = el('button', 'btn small expense-edit', 'Edit');
  edit.type = 'button';
  edit.setAttribute('aria-label', 'Edit ' + (what || x.category) + ', ' + fmt.money(x.amount, x.currency));
  edit.addEventListener('click', () => editRow(ctx, tr, x));
  const del = el('button', 'btn small expense-delete', 'Delete');
  del.type = 'button';
  del.setAttribute('aria-label', 'Delete ' + (what || x.category) + ', ' + fmt.money(x.amount, x.currency));
  del.addEventListener('click', () => {
    wrap.replaceChildren();
    const sure = el('button', 'btn small danger expense-delete-yes', 'Delete it');
    const keep = el('button', 'btn small', 'Keep');
    sure.type = keep.type = 'button';
    keep.addEventListener('click', () => tr.replaceWith(row(ctx, x)));
    sure.addEventListener('click', () => change(ctx, 'DELETE', '/expenses/' + encodeURIComponent(x.id)));
    wrap.append(keep, sure);
    keep.focus();
  });
  wrap.append(edit, del);
  actions.append(wrap);
  tr.append(actions);
  return tr;
}

function editRow(ctx, tr, x) {
  const { el } = ctx;
  const cell = (node, label) => { const td = el('td'); node.setAttribute('aria-label', label); td.append(node); return td; };
  const day = dateInput(ctx, x.spentOn);
  day.required = true;
  const what = input(ctx, 'text', { value: x.description || '', maxLength: 500 });
  const category = input(ctx, 'text', { value: x.category || '', maxLength: 64 });
  category.setAttribute('list', 'money-categories');
  const amount = input(ctx, 'text', { value: x.amount, inputMode: 'decimal', required: true });
  amount.className = 'expense-amount-input';
  const actions = el('td');
  const wrap = el('span', 'inline-actions');
  const save = el('button', 'btn small primary expense-save', 'Save');
  const cancel = el('button', 'btn small', 'Cancel');
  save.type = cancel.type = 'button';
  cancel.addEventListener('click', () => tr.replaceWith(row(ctx, x)));
  save.addEventListener('click', () => {
    let spentOn;
    try {
      spentOn = dateValue(ctx, day, 'Day') || x.spentOn;
    } catch (e) {
      ctx.showError(root.querySelector('#money-error'), e.message);
      return;
    }
    change(ctx, 'PATCH', '/expenses/' + encodeURIComponent(x.id), {
      spentOn, description: what.value.trim() || null, category: category.value.trim() || 'other', amount: amount.value.trim()
    });
  });
  wrap.append(save, cancel);
  actions.append(wrap);
  tr.replaceChildren(cell(day, 'Day'), cell(what, 'What for'), cell(category, 'Category'), cell(amount, 'Amount'), actions);
  amount.focus();
}

async function change(ctx, method, path, body) {
  const error = root.querySelector('#money-error');
  try {
    await ctx.api(method, path, body);
    ctx.showError(error, '');
    await show(ctx);
  } catch (e) {
    ctx.failed(e, error);
  }
}

async function addExpense(ctx) {
  const body = { amount: value('expense-amount') };
  const currency = value('expense-currency');
  const category = value('expense-category');
  const description = value('expense-description');
  const error = root.querySelector('#money-error');
  let day;
  try {
    day = dateValue(ctx, root.querySelector('#expense-date'), 'Day');
  } catch (e) {
    ctx.showError(error, e.message);
    return;
  }
  if (currency) body.currency = currency.toUpperCase();
  if (category) body.category = category;
  if (description) body.description = description;
  if (day) body.spentOn = day;
  try {
    await ctx.api('POST', '/expenses', body);
    ['expense-amount', 'expense-description'].forEach(id => { root.querySelector('#' + id).value = ''; });
    ctx.showError(error, '');
    await show(ctx);
    root.querySelector('#expense-amount').focus();
  } catch (e) {
    ctx.failed(e, error);
  }
}

function renderBudgets(ctx, items) {
  const box = root.querySelector('#budgets-box');
  if (!items.length) {
    box.replaceChildren(ctx.el('p', 'empty', 'No budgets yet. Set a monthly amount for a category below.'));
    return;
  }
  const bars = budgetBars(ctx, items);
  Array.from(bars.children).forEach((li, i) => {
    const remove = ctx.el('button', 'btn small ghost', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', 'Remove the ' + items[i].category + ' budget');
    remove.addEventListener('click', () => change(ctx, 'DELETE', '/budgets/' + encodeURIComponent(items[i].category)));
    li.insertBefore(remove, li.querySelector('.bar'));
  });
  box.replaceChildren(bars);
}

async function saveBudget(ctx) {
  const category = value('budget-category').toLowerCase();
  if (!category) return;
  await change(ctx, 'PUT', '/budgets/' + encodeURIComponent(category), { amount: value('budget-amount') });
  root.querySelector('#budget-amount').value = '';
}

async function exportCsv(ctx) {
  const error = root.querySelector('#money-error');
  try {
    const params = query(ctx);
    params.delete('q');
    const blob = await ctx.download('/expenses/export.csv?' + params);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'expenses.csv';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) {
    ctx.failed(e, error);
  }
}
