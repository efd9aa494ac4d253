// Aide's replies as a person reads them: a small Markdown subset built as DOM nodes (text through textContent only,
// so a reply that holds markup shows it as words), without the ids and RRULE syntax that tool results carry for the
// model; and each tool call as a compact card saying in words what changed.
import { fmt } from './format.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const RRULE = /(?:RRULE:)?FREQ=[A-Z]+(?:;[A-Z]+=[A-Z0-9,+\-]+)*/g;
// How the server writes a time in its replies ("Thu 19 Nov 2026 at 17:00"): shown as the pages show times.
const SERVER_TIME = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})(?: at)? (\d{2}:\d{2})\b/g;
const SERVER_DAY = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b/g;
/** What a tool answers when it asked the person first (Confirmations.ASKED on the server). */
const ASKED = "This needs the person's confirmation; it has been asked: ";
// Sentences addressed to the model, never to the person.
const FOR_THE_MODEL = /(call (it )?again|confirm=true|ask the user|the user|tool)/i;

/** A reply or a tool result without ids, with repeats in words and «guillemets» as quotes. */
export function cleanText(text) {
  return String(text == null ? '' : text)
    .replace(/\s*[[(](?:id|ids)[: ]\s*[0-9a-f-]{36}(?:\s*,\s*[0-9a-f-]{36})*[\])]/gi, '')
    .replace(UUID, '')
    .replace(RRULE, rule => fmt.repeat(rule))
    .replace(SERVER_TIME, (all, weekday, day, month, year, time) => weekday + ' ' + day + ' ' + month
      + (String(new Date().getFullYear()) === year ? '' : ' ' + year) + ', ' + time)
    .replace(SERVER_DAY, (all, weekday, day, month, year) => weekday + ' ' + day + ' ' + month
      + (String(new Date().getFullYear()) === year ? '' : ' ' + year))
    .replace(/repeating every/g, 'every')
    .replace(/«/g, '“').replace(/»/g, '”')
    .replace(/[ \t]+([.,;:])/g, '$1');
}

/** Drops the sentences written for the model ("Ask the user to confirm, then call again with confirm=true"). */
function forPerson(text) {
  return cleanText(text).split(/(?<=[.!?])\s+/).filter(s => !FOR_THE_MODEL.test(s)).join(' ').trim();
}

/** Markdown's inline marks (**bold**, *italic*, `code`, [a link](https://…)) appended to a parent as nodes. */
function inline(parent, text) {
  const pattern = /(\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\))/;
  let rest = text;
  while (rest) {
    const m = pattern.exec(rest);
    if (!m) { parent.append(rest); break; }
    if (m.index > 0) parent.append(rest.slice(0, m.index));
    let node;
    if (m[2] || m[3]) { node = document.createElement('strong'); node.textContent = m[2] || m[3]; }
    else if (m[4] || m[5]) { node = document.createElement('em'); node.textContent = m[4] || m[5]; }
    else if (m[6]) { node = document.createElement('code'); node.textContent = m[6]; }
    else {
      node = document.createElement('a');
      node.textContent = m[7];
      node.href = m[8];
      node.rel = 'noopener noreferrer nofollow';
      node.target = '_blank';
    }
    parent.append(node);
    rest = rest.slice(m.index + m[0].length);
  }
}

/** A reply as paragraphs, bullet and numbered lists, headings (as bold lines) and inline marks. */
export function renderMarkdown(text) {
  const root = document.createDocumentFragment();
  const lines = cleanText(text).split('\n');
  let list = null;
  let paragraph = null;
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
    const numbered = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      const kind = bullet ? 'UL' : 'OL';
      if (!list || list.tagName !== kind) { list = document.createElement(kind.toLowerCase()); root.append(list); }
      const li = document.createElement('li');
      inline(li, bullet ? bullet[1] : numbered[2]);
      list.append(li);
      paragraph = null;
      continue;
    }
    list = null;
    if (!line.trim()) { paragraph = null; continue; }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const p = document.createElement('p');
      const strong = document.createElement('strong');
      inline(strong, heading[1]);
      p.append(strong);
      root.append(p);
      paragraph = null;
      continue;
    }
    if (paragraph) paragraph.append(document.createElement('br'));
    else { paragraph = document.createElement('p'); root.append(paragraph); }
    inline(paragraph, line);
  }
  return root;
}

/** The question a tool call put to the person ("delete the reminder “water plants”"), if it asked one. */
export function pendingQuestion(call) {
  const result = call && typeof call.result === 'string' ? call.result : '';
  return result.startsWith(ASKED) ? cleanText(result.slice(ASKED.length)).replace(/\.$/, '') : null;
}

function args(call) {
  return call && call.arguments && typeof call.arguments === 'object' ? call.arguments : {};
}

function quote(text) {
  return text ? '“' + cleanText(text) + '”' : '';
}

function itemWords(items) {
  return (Array.isArray(items) ? items : []).map(i => typeof i === 'string' ? i
    : ((i.quantity != null ? i.quantity + ' ' : '') + (i.unit ? i.unit + ' ' : '') + (i.text || ''))).filter(Boolean).join(', ');
}

function span(start, end) {
  if (!start) return '';
  if (!end) return fmt.when(start);
  return fmt.day(start) === fmt.day(end) ? fmt.when(start) + '–' + fmt.time(end) : fmt.when(start) + ' – ' + fmt.when(end);
}

// What each tool that changes something did, in words: [icon, title, details...]. Tools that only look things up
// have no card: the reply says what they found.
const CARDS = {
  createReminder: a => ['⏰', 'Reminder', fmt.when(a.dueAt), fmt.repeat(a.rrule), quote(a.text)],
  remindBeforeEvent: a => ['⏰', 'Reminder before an event', a.minutesBefore ? a.minutesBefore + ' minutes before' : '', quote(a.event), quote(a.text)],
  completeReminder: a => ['✅', 'Reminder done', quote(a.text)],
  changeReminder: a => ['⏰', 'Reminder changed', a.newDueAt ? fmt.when(a.newDueAt) : (a.newTimeOfDay || ''), quote(a.newText || a.text)],
  snoozeReminder: a => ['😴', 'Reminder snoozed', a.minutes ? 'for ' + a.minutes + ' minutes' : '', quote(a.text)],
  deleteReminders: a => ['🗑️', a.all ? 'All reminders deleted' : a.from ? 'Reminders deleted' : 'Reminder deleted',
    a.from ? span(a.from, a.to) : '', quote(a.text)],
  scheduleMessage: a => ['💬', 'Message scheduled', fmt.when(a.at), quote(a.content)],
  cancelScheduledMessage: a => ['🚫', 'Scheduled message cancelled', quote(a.text)],
  logExpense: a => ['💸', 'Expense', fmt.money(a.amount, a.currency), [a.description, a.category ? '(' + a.category + ')' : ''].filter(Boolean).join(' '), a.spentOn ? fmt.day(a.spentOn) : ''],
  changeExpense: a => ['💸', 'Expense changed', a.amount ? fmt.money(a.amount, a.currency) : '', a.category || '', a.description || ''],
  deleteExpenses: a => ['🗑️', 'Expenses deleted', a.category || '', a.from ? fmt.day(a.from) + (a.to ? ' – ' + fmt.day(a.to) : '') : ''],
  setBudget: a => ['🎯', 'Budget', a.category || '', a.amount ? fmt.money(a.amount, a.currency) + ' a month' : ''],
  createEvent: a => ['📅', 'Event', a.allDay ? fmt.day(a.start) + ', all day' : span(a.start, a.end), fmt.repeat(a.rrule), quote(a.title), a.location || ''],
  changeEvent: a => ['📅', 'Event changed', span(a.newStart, a.newEnd), a.newRrule ? (a.newRrule === 'none' ? 'no longer repeats'
    : fmt.repeat(a.newRrule)) : '', quote(a.title)],
  cancelEvent: a => ['🗑️', 'Event cancelled', quote(a.title)],
  cancelEvents: a => ['🗑️', 'Events cancelled', a.from ? fmt.day(a.from) + (a.to ? ' – ' + fmt.day(a.to) : '') : ''],
  createNote: a => ['📝', 'Note saved', (Array.isArray(a.tags) ? a.tags.map(t => '#' + t).join(' ') : ''), quote(shorten(a.content))],
  updateNote: a => ['📝', 'Note changed', quote(shorten(a.content))],
  deleteNotes: () => ['🗑️', 'Notes deleted'],
  addToList: a => ['🛒', 'List ' + (a.listName || ''), 'added ' + itemWords(a.items)],
  checkOffItems: a => ['✅', 'List ' + (a.listName || ''), 'checked off ' + itemWords(a.items)],
  removeFromList: a => ['🛒', 'List ' + (a.listName || ''), 'removed ' + itemWords(a.items)],
  clearList: a => ['🧹', 'List ' + (a.listName || ''), a.onlyDone ? 'done items cleared' : 'cleared'],
  createList: a => ['🛒', 'List ' + (a.listName || ''), 'created'],
  deleteList: a => ['🗑️', 'List ' + (a.listName || ''), 'deleted'],
  remember: a => ['🧠', 'Remembered', quote(shorten(a.content))],
  forget: a => ['🧠', 'Forgotten', quote(a.query)]
};

function shorten(text) {
  const t = String(text || '');
  return t.length > 80 ? t.slice(0, 77) + '…' : t;
}

/**
 * A tool call as a card: {icon, title, details, tone} with tone 'ok', 'failed' or 'asked'; null for a call that
 * changed nothing worth showing (a look-up).
 */
export function describeCall(call) {
  const name = call && call.name;
  const question = pendingQuestion(call);
  if (question) {
    // The reply spells the question out; the card names it in a few words ("delete 4 reminders").
    const short = question.split(/[:\n]/)[0].trim();
    return { icon: '❓', title: 'Waiting for your answer', details: [shorten(short)], tone: 'asked' };
  }
  const make = CARDS[name];
  if (call && call.failed) {
    const why = forPerson(call.result).replace(/^Error:\s*/i, '');
    return { icon: '⚠️', title: make ? make(args(call))[1] + ' — not done' : 'Not done', details: why ? [why] : [], tone: 'failed' };
  }
  if (!make) return null;
  let parts;
  try { parts = make(args(call)); } catch (e) { parts = ['🔧', 'Done']; }
  const result = typeof call.result === 'string' ? call.result : '';
  if (/^(Error|Sorry|I could not|Could not|No )/i.test(result)) {
    // Ran, but changed nothing (nothing matched): the reply says why.
    return null;
  }
  const [icon, title, ...details] = parts;
  return { icon, title: title.trim(), details: details.filter(d => d && String(d).trim()), tone: 'ok' };
}
