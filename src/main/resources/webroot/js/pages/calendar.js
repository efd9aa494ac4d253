// Calendar: week and month views (FullCalendar, from its WebJar) of the occurrences the API expands; select a slot
// to create an event, drag or resize one to move it (for a repeating event: this one, or the whole series), click
// one to delete it. FullCalendar runs in UTC and is given wall-clock times of the person's timezone, so every time
// shows in that zone whatever the browser's is; each change is sent back as an instant with that zone's offset.
import { loadScript, FULLCALENDAR } from '../vendor.js';

let root;
let calendar = null;
let ctxRef = null;

export function mount(node, ctx) {
  root = node;
  ctxRef = ctx;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Calendar');
  title.id = 'calendar-title';
  const hint = el('span', 'small muted', 'Select a time to add an event; drag one to move it.');
  const importLabel = el('label', 'btn small', 'Import .ics');
  const file = el('input');
  file.type = 'file';
  file.id = 'calendar-import';
  file.accept = '.ics,text/calendar';
  file.className = 'sr-only';
  importLabel.htmlFor = file.id;
  file.addEventListener('change', () => importFile(ctx, file));
  const feed = el('button', 'btn small ghost', 'Subscribe…');
  feed.type = 'button';
  feed.title = 'The calendar feed address is in Settings';
  feed.addEventListener('click', () => ctx.go('settings'));
  const add = el('button', 'btn small primary', '+ New event');
  add.type = 'button';
  add.id = 'event-new';
  add.addEventListener('click', () => createTyped());
  head.append(title, hint, add, importLabel, file, feed);
  const error = el('div', 'alert');
  error.id = 'calendar-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const status = el('div', 'sr-only');
  status.id = 'calendar-status';
  status.setAttribute('role', 'status');
  const box = el('div');
  box.id = 'calendar-box';
  box.dataset.testid = 'calendar';
  root.append(head, error, status, box, dialog(ctx));
}

function dialog(ctx) {
  const { el } = ctx;
  const d = el('dialog');
  d.id = 'event-dialog';
  d.setAttribute('aria-labelledby', 'event-dialog-title');
  const form = el('form');
  form.method = 'dialog';
  const h = el('h3', null, 'New event');
  h.id = 'event-dialog-title';
  const when = el('p', 'small muted');
  when.id = 'event-dialog-when';
  const field = el('div', 'field');
  const label = el('label', null, 'Title');
  const input = el('input');
  input.id = 'event-title';
  input.maxLength = 500;
  label.htmlFor = input.id;
  field.append(label, input);
  // Typed times, for a keyboard (a slot is chosen with a pointer): the day and a 24-hour start and end.
  const times = el('div', 'form-row');
  times.id = 'event-times';
  const box = (id, text, node) => { const f = el('div', 'field'); const l = el('label', null, text); node.id = id; l.htmlFor = id; f.append(l, node); return f; };
  // The day written day first, as every date on the page reads (a date input would follow the browser's locale).
  const day = el('input');
  day.placeholder = 'dd/mm/yyyy';
  day.maxLength = 40;
  day.autocomplete = 'off';
  day.className = 'date-field';
  const clock = () => { const i = el('input'); i.pattern = '([01][0-9]|2[0-3]):[0-5][0-9]'; i.placeholder = 'HH:MM'; i.maxLength = 5; i.inputMode = 'numeric'; return i; };
  times.append(box('event-day', 'Day', day), box('event-start', 'Starts', clock()), box('event-end', 'Ends', clock()));
  const actions = el('div', 'inline-actions');
  actions.id = 'event-dialog-actions';
  form.append(h, when, field, times, actions);
  d.append(form);
  return d;
}

function say(text) {
  root.querySelector('#calendar-status').textContent = text;
}

function fail(e) {
  ctxRef.failed(e, root.querySelector('#calendar-error'));
}

/** Opens the dialog with a title field (or none) and buttons; resolves with the button's value, or '' when closed. */
function ask(heading, when, buttons, withTitle, withTimes) {
  const d = root.querySelector('#event-dialog');
  root.querySelector('#event-times').hidden = !withTimes;
  root.querySelector('#event-dialog-title').textContent = heading;
  root.querySelector('#event-dialog-when').textContent = when;
  const input = root.querySelector('#event-title');
  input.value = '';
  input.parentElement.hidden = !withTitle;
  input.required = !!withTitle;
  const actions = root.querySelector('#event-dialog-actions');
  actions.replaceChildren(...buttons.map(([value, text, kind]) => {
    const b = ctxRef.el('button', 'btn small ' + (kind || ''), text);
    b.value = value;
    b.dataset.value = value;
    if (value === '') { b.type = 'button'; b.addEventListener('click', () => d.close('')); }
    return b;
  }));
  d.returnValue = '';
  return new Promise(resolve => {
    d.addEventListener('close', () => resolve({ choice: d.returnValue, title: input.value.trim() }), { once: true });
    d.showModal();
    (withTitle ? input : actions.firstChild).focus();
  });
}

function wallToInstant(date) {
  return ctxRef.fmt.instant(date.toISOString().slice(0, 19));
}

function span(start, end, allDay) {
  const { fmt } = ctxRef;
  if (allDay) return fmt.day(start.toISOString().slice(0, 10)) + ', all day';
  const s = start.toISOString().slice(0, 19);
  const e = end ? end.toISOString().slice(0, 19) : null;
  const day = fmt.day(s.slice(0, 10));
  return day + ', ' + s.slice(11, 16) + (e ? '–' + e.slice(11, 16) : '');
}

async function events(info) {
  const from = wallToInstant(info.start);
  const to = wallToInstant(info.end);
  const data = await ctxRef.api('GET', '/events?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to));
  return (data.items || []).filter(o => o.status !== 'cancelled').map(o => ({
    id: o.eventId + '|' + (o.originalStart || o.start),
    title: o.title,
    start: o.allDay ? o.start.slice(0, 10) : ctxRef.fmt.wall(o.start),
    end: o.allDay ? (o.end || '').slice(0, 10) || undefined : ctxRef.fmt.wall(o.end),
    allDay: !!o.allDay,
    extendedProps: { eventId: o.eventId, originalStart: o.originalStart || o.start, recurring: !!o.recurring, location: o.location }
  }));
}

/**
 * FullCalendar's markup, made readable to assistive technology: its icons are decoration (the buttons carry titles),
 * and its grid roles on nested layout tables promise rows and cells that are not there, so they are plain tables.
 */
function tidy() {
  setTimeout(() => {
    root.querySelectorAll('.fc-icon').forEach(i => { i.setAttribute('aria-hidden', 'true'); i.removeAttribute('role'); });
    root.querySelectorAll('.fc [role=grid], .fc [role=rowgroup]').forEach(n => n.removeAttribute('role'));
    root.querySelectorAll('.fc-button').forEach(b => { if (!b.getAttribute('aria-label') && b.title) b.setAttribute('aria-label', b.title); });
  });
}

/** An iCalendar file added to the calendar; what was skipped or refused is said. */
async function importFile(ctx, file) {
  const chosen = file.files && file.files[0];
  file.value = '';
  if (!chosen) return;
  const error = root.querySelector('#calendar-error');
  try {
    const result = await ctx.upload('/calendar/import', chosen, 'text/calendar');
    ctx.showError(error, '');
    const words = 'Imported ' + result.imported + ' event' + (result.imported === 1 ? '' : 's')
      + (result.skipped ? ', ' + result.skipped + ' already there' : '')
      + (result.errors && result.errors.length ? '; not imported: ' + result.errors.length : '') + '.';
    say(words);
    const note = root.querySelector('#calendar-import-result') || ctx.el('p', 'notice');
    note.id = 'calendar-import-result';
    note.setAttribute('role', 'status');
    note.textContent = words;
    root.querySelector('#calendar-box').before(note);
    if (calendar) calendar.refetchEvents();
  } catch (e) {
    ctx.failed(e, error);
  }
}

export function reset() {
  if (calendar) { calendar.destroy(); calendar = null; }
}

export async function show(ctx) {
  ctxRef = ctx;
  ctx.showError(root.querySelector('#calendar-error'), '');
  try {
    await loadScript(FULLCALENDAR);
  } catch (e) {
    ctx.showError(root.querySelector('#calendar-error'), 'The calendar could not be loaded: ' + e.message);
    return;
  }
  if (calendar) { calendar.refetchEvents(); calendar.updateSize(); return; }
  const phone = window.matchMedia('(max-width: 760px)').matches;
  calendar = new window.FullCalendar.Calendar(root.querySelector('#calendar-box'), {
    timeZone: 'UTC',
    now: () => ctx.fmt.wall(new Date()),
    initialView: phone ? 'listWeek' : 'timeGridWeek',
    headerToolbar: phone ? { left: 'prev,next', center: 'title', right: 'listWeek,dayGridMonth' }
      : { left: 'prev,next today', center: 'title', right: 'timeGridWeek,dayGridMonth,listWeek' },
    buttonText: { today: 'Today', week: 'Week', month: 'Month', list: 'List' },
    firstDay: 1,
    locale: 'en-GB',
    eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
    scrollTime: '08:00:00',
    height: phone ? 'auto' : 'calc(100dvh - 190px)',
    nowIndicator: true,
    selectable: true,
    selectMirror: true,
    editable: true,
    events: (info, success, failure) => events(info).then(success, e => { fail(e); failure(e); }),
    select: (info) => create(info),
    eventDrop: (info) => move(info),
    eventResize: (info) => move(info),
    eventClick: (info) => remove(info),
    eventColor: '#4f46e5',
    datesSet: tidy,
    eventsSet: tidy
  });
  calendar.render();
}

async function create(info) {
  calendar.unselect();
  const answer = await ask('New event', span(info.start, info.end, info.allDay),
    [['save', 'Add', 'primary'], ['', 'Cancel']], true);
  if (answer.choice !== 'save' || !answer.title) return;
  const body = { title: answer.title, timezone: ctxRef.fmt.zone(), allDay: info.allDay };
  if (info.allDay) {
    body.start = info.startStr.slice(0, 10);
    body.end = info.endStr.slice(0, 10);
  } else {
    body.start = wallToInstant(info.start);
    body.end = wallToInstant(info.end);
  }
  try {
    await ctxRef.api('POST', '/events', body);
    say('Added ' + answer.title + ', ' + span(info.start, info.end, info.allDay));
    calendar.refetchEvents();
  } catch (e) {
    fail(e);
  }
}

async function createTyped() {
  const { fmt } = ctxRef;
  root.querySelector('#event-day').value = fmt.dateField(fmt.today());
  root.querySelector('#event-start').value = '09:00';
  root.querySelector('#event-end').value = '10:00';
  const answer = await ask('New event', '', [['save', 'Add', 'primary'], ['', 'Cancel']], true, true);
  if (answer.choice !== 'save' || !answer.title) return;
  const v = (id) => root.querySelector('#' + id).value.trim();
  const day = fmt.parseDay(v('event-day'));
  if (!day || !/^\d{2}:\d{2}$/.test(v('event-start')) || !/^\d{2}:\d{2}$/.test(v('event-end'))) {
    ctxRef.showError(root.querySelector('#calendar-error'), 'Not added: give the day (' + fmt.dateFieldHint
      + ') and the times as HH:MM.');
    return;
  }
  const body = { title: answer.title, timezone: fmt.zone(), start: fmt.instant(day + 'T' + v('event-start')),
    end: fmt.instant(day + 'T' + v('event-end')) };
  try {
    await ctxRef.api('POST', '/events', body);
    ctxRef.showError(root.querySelector('#calendar-error'), '');
    say('Added ' + answer.title);
    calendar.gotoDate(day);
    calendar.refetchEvents();
  } catch (e) {
    fail(e);
  }
}

async function move(info) {
  const event = info.event;
  const p = event.extendedProps;
  const start = event.allDay ? event.startStr.slice(0, 10) : wallToInstant(event.start);
  const end = event.end ? (event.allDay ? event.endStr.slice(0, 10) : wallToInstant(event.end)) : null;
  let scope = 'one';
  if (p.recurring) {
    const answer = await ask('Move a repeating event', event.title + ' → ' + span(event.start, event.end, event.allDay),
      [['one', 'Only this one', 'primary'], ['all', 'All of them'], ['', 'Cancel']], false);
    if (!answer.choice) { info.revert(); return; }
    scope = answer.choice;
  }
  try {
    if (!p.recurring) {
      await ctxRef.api('PATCH', '/events/' + encodeURIComponent(p.eventId), end ? { start, end } : { start });
    } else if (scope === 'one') {
      await ctxRef.api('PATCH', '/events/' + encodeURIComponent(p.eventId) + '/occurrences/' + encodeURIComponent(p.originalStart),
        end ? { start, end } : { start });
    } else {
      // The whole series moves by as much as this occurrence did.
      const series = await ctxRef.api('GET', '/events/' + encodeURIComponent(p.eventId));
      const ms = (d) => d ? d.days * 86400000 + d.milliseconds : 0;
      const startShift = ms(info.delta || info.startDelta);
      const endShift = info.delta ? ms(info.delta) : ms(info.endDelta);
      // Shifted on the wall clock, so a move across a daylight-saving change keeps the hour.
      const shift = (iso, by) => ctxRef.fmt.instant(new Date(Date.parse(ctxRef.fmt.wall(iso) + 'Z') + by).toISOString().slice(0, 19));
      await ctxRef.api('PATCH', '/events/' + encodeURIComponent(p.eventId),
        { start: shift(series.start, startShift), end: shift(series.end, endShift) });
    }
    say('Moved ' + event.title + ' to ' + span(event.start, event.end, event.allDay));
    calendar.refetchEvents();
  } catch (e) {
    info.revert();
    fail(e);
  }
}

async function remove(info) {
  const event = info.event;
  const p = event.extendedProps;
  const buttons = p.recurring
    ? [['one', 'Delete this one', 'danger'], ['all', 'Delete all of them'], ['', 'Keep']]
    : [['all', 'Delete', 'danger'], ['', 'Keep']];
  const answer = await ask(event.title, span(event.start, event.end, event.allDay) + (p.location ? ' · ' + p.location : ''), buttons, false);
  if (!answer.choice) return;
  try {
    if (answer.choice === 'one') {
      await ctxRef.api('DELETE', '/events/' + encodeURIComponent(p.eventId) + '/occurrences/' + encodeURIComponent(p.originalStart));
    } else {
      await ctxRef.api('DELETE', '/events/' + encodeURIComponent(p.eventId));
    }
    say('Deleted ' + event.title);
    calendar.refetchEvents();
  } catch (e) {
    fail(e);
  }
}
