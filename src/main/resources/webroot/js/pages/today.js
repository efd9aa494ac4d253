// Today: the page a person opens in the morning. The day's agenda, the reminders that are due or overdue (with Done
// and a snooze), this month's spending against the budgets, and the notifications not yet read.

let root;
let ticket = 0;

/** The next calendar date after a YYYY-MM-DD one. */
export function nextDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}

/** The start of a local date in the person's timezone, as an ISO instant with offset. */
export function startOf(ctx, day) {
  return day + 'T00:00:00' + ctx.fmt.offset(new Date(day + 'T12:00:00Z'));
}

export function mount(node, ctx) {
  root = node;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Today');
  title.id = 'today-title';
  head.append(title, el('span', 'muted', ''));
  head.lastChild.id = 'today-date';
  const refresh = el('button', 'btn small ghost', '↻ Refresh');
  refresh.type = 'button';
  refresh.addEventListener('click', () => show(ctx));
  head.append(refresh);
  const error = el('div', 'alert');
  error.id = 'today-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const cards = el('div', 'cards');
  cards.append(card(ctx, 'today-agenda', '📅', 'Agenda'), card(ctx, 'today-reminders', '⏰', 'Reminders'),
    card(ctx, 'today-money', '💸', 'This month'), card(ctx, 'today-notifications', '🔔', 'Unread'));
  root.append(head, error, cards);
}

function card(ctx, id, icon, heading) {
  const section = ctx.el('section', 'card');
  section.id = id;
  section.dataset.testid = id;
  const h = ctx.el('h3');
  const mark = ctx.el('span', null, icon);
  mark.setAttribute('aria-hidden', 'true');
  h.append(mark, heading);
  h.id = id + '-title';
  section.setAttribute('aria-labelledby', h.id);
  const body = ctx.el('div', 'card-body');
  body.append(ctx.el('p', 'empty', 'Loading…'));
  section.append(h, body);
  return section;
}

function body(id) {
  return root.querySelector('#' + id + ' .card-body');
}

export function reset() {
  ticket++;
}

export async function show(ctx) {
  const mine = ++ticket;
  const { fmt } = ctx;
  const day = fmt.today();
  root.querySelector('#today-date').textContent = fmt.day(day, { year: true });
  const from = startOf(ctx, day);
  const to = startOf(ctx, nextDay(day));
  const error = root.querySelector('#today-error');
  ctx.showError(error, '');
  const q = (s) => encodeURIComponent(s);
  const loads = [
    ctx.api('GET', '/events?from=' + q(from) + '&to=' + q(to)),
    ctx.api('GET', '/reminders?status=pending&to=' + q(startOf(ctx, nextDay(nextDay(day)))) + '&limit=100'),
    ctx.api('GET', '/budgets'),
    ctx.api('GET', '/expenses/summary'),
    ctx.api('GET', '/notifications?unread=true&limit=20')
  ];
  const [events, reminders, budgets, summary, unread] = await Promise.allSettled(loads);
  if (mine !== ticket) return;
  const failure = [events, reminders, budgets, summary, unread].find(r => r.status === 'rejected');
  if (failure) ctx.failed(failure.reason, error);
  if (events.status === 'fulfilled') agenda(ctx, events.value.items || []);
  if (reminders.status === 'fulfilled') due(ctx, reminders.value.items || [], Date.parse(to));
  if (budgets.status === 'fulfilled' && summary.status === 'fulfilled') spending(ctx, budgets.value.items || [], summary.value);
  if (unread.status === 'fulfilled') notifications(ctx, (unread.value.items || []).filter(n => !n.readAt));
}

function agenda(ctx, items) {
  const { el, fmt } = ctx;
  const box = body('today-agenda');
  if (!items.length) {
    const p = el('p', 'empty', 'Nothing on your calendar today. ');
    const add = el('button', 'linklike', 'Add an event');
    add.type = 'button';
    add.addEventListener('click', () => ctx.go('calendar'));
    p.append(add);
    box.replaceChildren(p);
    return;
  }
  const list = el('ul', 'rows');
  items.forEach(o => {
    const li = el('li');
    li.dataset.testid = 'agenda-item';
    const when = el('time', null, o.allDay ? 'All day' : fmt.time(o.start) + '–' + fmt.time(o.end));
    when.dateTime = o.start;
    li.append(when, el('span', 'grow', o.title));
    if (o.location) li.append(el('span', 'meta', o.location));
    list.append(li);
  });
  box.replaceChildren(list);
}

/** What is due or overdue, what comes later today, and tomorrow's. */
function due(ctx, items, endOfToday) {
  const { el, fmt } = ctx;
  const box = body('today-reminders');
  if (!items.length) {
    box.replaceChildren(el('p', 'empty', 'No reminders today or tomorrow.'));
    return;
  }
  const list = el('ul', 'rows');
  items.forEach(r => {
    const li = el('li');
    li.dataset.testid = 'today-reminder';
    li.dataset.id = r.id;
    const passed = r.fired || Date.parse(r.dueAt) <= Date.now();
    const tomorrow = Date.parse(r.dueAt) >= endOfToday;
    const when = el('time', passed ? 'overdue' : null,
      passed ? 'Due ' + fmt.when(r.dueAt) : (tomorrow ? 'Tomorrow, ' : 'Today, ') + fmt.time(r.dueAt));
    when.dateTime = r.dueAt;
    li.append(el('span', 'grow', r.text), when);
    if (r.rrule) li.append(el('span', 'meta', '↻ ' + fmt.repeat(r.rrule)));
    const actions = el('span', 'inline-actions');
    const done = el('button', 'btn small today-done', '✓ Done');
    done.type = 'button';
    done.setAttribute('aria-label', 'Mark “' + r.text + '” done');
    done.addEventListener('click', () => act(ctx, li, 'PATCH', '/reminders/' + encodeURIComponent(r.id), { status: 'done' }));
    actions.append(done);
    if (passed) {
      const snooze = el('button', 'btn small', 'In 1 hour');
      snooze.type = 'button';
      snooze.setAttribute('aria-label', 'Remind me of “' + r.text + '” again in an hour');
      snooze.addEventListener('click', () => act(ctx, li, 'POST', '/reminders/' + encodeURIComponent(r.id) + '/snooze', { minutes: 60 }));
      actions.append(snooze);
    }
    li.append(actions);
    list.append(li);
  });
  box.replaceChildren(list);
}

async function act(ctx, li, method, path, payload) {
  li.querySelectorAll('button').forEach(b => { b.disabled = true; });
  try {
    await ctx.api(method, path, payload);
    ctx.remindersChanged();
  } catch (e) {
    ctx.failed(e, root.querySelector('#today-error'));
  }
  show(ctx);
}

function spending(ctx, budgets, summary) {
  const { el, fmt } = ctx;
  const box = body('today-money');
  const nodes = [];
  const totals = summary.totals || [];
  const total = el('p', null);
  total.dataset.testid = 'month-total';
  if (totals.length) {
    total.append('Spent so far: ');
    total.append(el('strong', null, totals.map(t => fmt.money(t.total, t.currency)).join(' + ')));
  } else {
    total.textContent = 'Nothing spent this month yet.';
    total.className = 'empty';
  }
  nodes.push(total);
  if (budgets.length) nodes.push(budgetBars(ctx, budgets));
  const more = el('button', 'linklike', 'See Money');
  more.type = 'button';
  more.addEventListener('click', () => ctx.go('money'));
  nodes.push(more);
  box.replaceChildren(...nodes);
}

/** Budgets as bars, said in words too (the colour is not the only sign of an overspend). */
export function budgetBars(ctx, budgets) {
  const { el, fmt } = ctx;
  const list = el('ul', 'rows');
  budgets.forEach(b => {
    const li = el('li');
    li.dataset.testid = 'budget';
    const spent = Number(b.spent) || 0;
    const amount = Number(b.amount) || 0;
    const share = amount > 0 ? spent / amount : 0;
    li.append(el('span', 'grow', b.category));
    const words = fmt.money(b.spent, b.currency) + ' of ' + fmt.money(b.amount, b.currency)
      + (spent > amount ? ' — ' + fmt.money(spent - amount, b.currency) + ' over' : '');
    li.append(el('span', spent > amount ? 'meta overdue' : 'meta', words));
    const bar = el('div', 'bar' + (share > 1 ? ' over' : share > .8 ? ' near' : ''));
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', Math.round(share * 100) + '% of the ' + b.category + ' budget');
    const fill = el('span');
    fill.style.width = Math.min(100, Math.round(share * 100)) + '%';
    bar.append(fill);
    li.append(bar);
    list.append(li);
  });
  return list;
}

function notifications(ctx, items) {
  const { el, fmt } = ctx;
  const box = body('today-notifications');
  if (!items.length) {
    box.replaceChildren(el('p', 'empty', 'You are all caught up.'));
    return;
  }
  const list = el('ul', 'rows');
  items.forEach(n => {
    const li = el('li');
    li.dataset.testid = 'today-notification';
    const text = el('span', 'grow');
    text.append(el('strong', null, n.title || 'Notification'));
    if (n.body) text.append(' — ' + n.body);
    const when = el('time', null, fmt.when(n.createdAt));
    when.dateTime = n.createdAt;
    const read = el('button', 'btn small', 'Mark read');
    read.type = 'button';
    read.setAttribute('aria-label', 'Mark “' + (n.title || 'Notification') + '” read');
    read.addEventListener('click', async () => {
      read.disabled = true;
      try { await ctx.markNotificationRead(n.id); } catch (e) { ctx.failed(e, root.querySelector('#today-error')); }
      show(ctx);
    });
    li.append(text, when, read);
    list.append(li);
  });
  box.replaceChildren(list);
}
