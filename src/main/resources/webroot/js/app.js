// Aide's web app: sign-in, the chat with its conversations, and the pages (Today, Calendar, Money, Lists and notes,
// Memories, Documents, Settings), each a module under pages/. No build step: the browser loads these ES modules as
// they are.
import { fmt } from './format.js';
import { renderMarkdown, describeCall, pendingQuestion } from './text.js';
import * as today from './pages/today.js';
import * as calendar from './pages/calendar.js';
import * as money from './pages/money.js';
import * as lists from './pages/lists.js';
import * as memories from './pages/memories.js';
import * as documents from './pages/documents.js';
import * as settings from './pages/settings.js';
import { voiceRecorder } from './voice.js';

const PAGES = { today, calendar, money, lists, memories, documents, settings };
const PAGE_TITLES = { chat: 'Chat', today: 'Today', calendar: 'Calendar', money: 'Money', lists: 'Lists and notes',
  memories: 'What Aide remembers', documents: 'Documents', settings: 'Settings' };
const TOKEN_KEY = 'aide.token';
const REFRESH_KEY = 'aide.refresh';
const $ = (id) => document.getElementById(id);
const state = { token: localStorage.getItem(TOKEN_KEY), user: null, conversationId: null, mode: 'login', busy: false };
let refreshing = null;

const TOOL_ICONS = [
  [/reminder/i, '⏰'], [/event|calendar/i, '📅'], [/expense|spent/i, '💸'], [/note/i, '📝'],
  [/list|item/i, '🛒'], [/memor|remember/i, '🧠'], [/document|search/i, '📄']
];

/** An error carrying the API's message and status. */
class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

/**
 * Access tokens live minutes: on a 401 the page trades its refresh token for a new pair once and tries again. One
 * exchange at a time, across tabs too (Web Locks): a refresh token works once, and a second use would end the session.
 */
async function api(method, path, body) {
  try {
    return await request(method, path, body);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401 || path.startsWith('/auth/') || !state.token) throw e;
    const used = state.token;
    if (!(await refreshSession(used))) throw e;
    return request(method, path, body);
  }
}

function refreshSession(used) {
  if (!refreshing) {
    const run = async () => {
      // Another tab (or an earlier call) may have refreshed already.
      const stored = localStorage.getItem(TOKEN_KEY);
      if (stored && stored !== used) { state.token = stored; return true; }
      const refreshToken = localStorage.getItem(REFRESH_KEY);
      if (!refreshToken) return false;
      try {
        const data = await request('POST', '/auth/refresh', { refreshToken });
        setToken(data.token, data.refreshToken);
        return true;
      } catch (e) {
        return false;
      }
    };
    const locked = navigator.locks && navigator.locks.request ? navigator.locks.request('aide.refresh', run) : run();
    refreshing = Promise.resolve(locked).finally(() => { refreshing = null; });
  }
  return refreshing;
}

async function request(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
  let response;
  try {
    response = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach Aide. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const err = data && data.error;
    throw new ApiError(response.status, err && err.code, (err && err.message) || ('Request failed (' + response.status + ')'));
  }
  return data;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function showError(box, message) {
  box.textContent = message;
  box.hidden = !message;
}

/** A 401 anywhere means the token is gone or expired: back to sign-in, keeping the reason visible. */
function handleFailure(e, box) {
  if (e instanceof ApiError && e.status === 401 && state.token) {
    signOut('Your session has ended. Please sign in again.');
    return;
  }
  showError(box, e.message || String(e));
}

// ---- Sign-in ----
function setMode(mode) {
  state.mode = mode;
  $('show-login').setAttribute('aria-selected', String(mode === 'login'));
  $('show-register').setAttribute('aria-selected', String(mode === 'register'));
  document.querySelectorAll('.register-only').forEach(n => { n.hidden = mode !== 'register'; });
  document.querySelectorAll('.login-only').forEach(n => { n.hidden = mode !== 'login'; });
  $('password').autocomplete = mode === 'register' ? 'new-password' : 'current-password';
  showError($('auth-error'), '');
  showNotice('');
}

function showAuth(message) {
  $('app-view').hidden = true;
  $('auth-view').hidden = false;
  showError($('auth-error'), message || '');
  $('email').focus();
}

function showApp() {
  fmt.configure(state.user);
  $('auth-view').hidden = true;
  $('app-view').hidden = false;
  renderWho();
  const stored = localStorage.getItem(CONVERSATION_KEY);
  if (stored && !state.conversationId) openConversation(stored, true);
  else if (!$('messages').children.length) renderEmptyChat();
  showPage(currentPage(), false);
  if (currentPage() === 'chat') $('message').focus();
  loadReminders();
  loadConversations();
  startNotifications();
  voice.enable(Boolean(state.user && state.user.capabilities && state.user.capabilities.voiceAudio));
}

// ---- Pages ----
// Chat is one page; Today, Calendar, Money, Lists and notes and Settings are modules under pages/, each building its
// section once and reloading what it shows whenever it is opened. The address's hash names the page (#today).
const pageContext = {
  api: (method, path, body) => api(method, path, body),
  el, fmt,
  user: () => state.user,
  setUser: (user) => { state.user = user; fmt.configure(user); renderWho(); },
  failed: (e, box) => handleFailure(e, box),
  showError,
  go: (name) => go(name),
  chat: (text) => {
    go('chat');
    showPage('chat', false); // now, not when the hash change arrives: the composer must be shown to size and focus
    $('message').value = text;
    autoGrow();
    $('message').focus();
  },
  openConversation: (id) => openConversation(id),
  remindersChanged: () => loadReminders(),
  notifications: () => notes,
  openNotifications: () => openNotifications(),
  markNotificationRead: (id) => api('POST', '/notifications/' + encodeURIComponent(id) + '/read', {}).then(() => loadNotifications()),
  signOut: (message) => signOut(message),
  /** Sends a file as the request body (an .ics import), or a FormData as a multipart form; answers the JSON reply. */
  upload: (path, file, type) => upload(path, file, type),
  /** A file from the API (the CSV export), with the session's token. */
  download: async (path) => {
    const get = () => fetch('/api/v1' + path, { headers: { 'Authorization': 'Bearer ' + state.token } });
    let response = await get();
    if (response.status === 401 && await refreshSession(state.token)) response = await get();
    if (!response.ok) throw new ApiError(response.status, 'download', 'The download failed (' + response.status + ')');
    return response.blob();
  }
};
/** POSTs a file or a multipart form (FormData: the browser writes its Content-Type) with the session's token. */
async function upload(path, body, type) {
  const post = () => {
    const headers = { 'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json' };
    if (type) headers['Content-Type'] = type;
    return fetch('/api/v1' + path, { method: 'POST', body, headers });
  };
  let response;
  try {
    response = await post();
    if (response.status === 401 && await refreshSession(state.token)) response = await post();
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach Aide, or it stopped taking the file. Check your connection and try again.');
  }
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const err = data && data.error;
    throw new ApiError(response.status, err && err.code, (err && err.message) || ('Request failed (' + response.status + ')'));
  }
  return data;
}

const mounted = new Set();
const pages = {
  /** Something changed from the chat: the page open (if not the chat) shows it at once. */
  changed() {
    const name = currentPage();
    if (PAGES[name] && mounted.has(name) && !$('app-view').hidden) PAGES[name].show(pageContext);
  }
};

function currentPage() {
  const name = (location.hash || '').replace(/^#/, '');
  return Object.prototype.hasOwnProperty.call(PAGE_TITLES, name) ? name : 'chat';
}

function go(name) {
  if (currentPage() === name && (location.hash === '#' + name || name === 'chat')) { showPage(name, true); return; }
  location.hash = name;
}

function showPage(name, moveFocus) {
  document.querySelectorAll('#app-view > .page').forEach(p => { p.hidden = p.dataset.page !== name; });
  document.querySelectorAll('#pages-nav a').forEach(a => {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  $('page-title').textContent = PAGE_TITLES[name];
  document.body.dataset.page = name;
  if (name !== 'chat') voice.cancel();
  const page = PAGES[name];
  if (page) {
    const root = $('page-' + name);
    if (!mounted.has(name)) { page.mount(root, pageContext); mounted.add(name); }
    page.show(pageContext);
    if (moveFocus) {
      const heading = root.querySelector('h2');
      if (heading) { heading.tabIndex = -1; heading.focus(); }
    }
  } else {
    if (state.token) loadReminders(); // changed on another page, perhaps
    if (moveFocus) $('message').focus();
  }
}

function renderWho() {
  const u = state.user;
  $('who').textContent = u ? ((u.name ? u.name + ' · ' : '') + (u.email || '')) : '';
}

async function submitAuth(event) {
  event.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  const box = $('auth-error');
  if (!email || !password) { showError(box, 'Please enter your email and password.'); return; }
  const buttons = [$('login'), $('register')];
  buttons.forEach(b => { b.disabled = true; });
  try {
    if (state.mode === 'register') {
      const body = { email, password };
      const name = $('name').value.trim();
      const timezone = $('timezone').value.trim();
      if (name) body.name = name;
      if (timezone) body.timezone = timezone;
      const data = await api('POST', '/auth/register', body);
      state.user = data.user || null;
      setToken(data.token, data.refreshToken);
      await loadMe(); // the profile as /me has it: preferences and what this Aide can do
    } else {
      const data = await api('POST', '/auth/login', { email, password });
      setToken(data.token, data.refreshToken);
      await loadMe();
    }
    $('password').value = '';
    showError(box, '');
    showApp();
  } catch (e) {
    showError(box, e.message);
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}

function setToken(token, refreshToken) {
  state.token = token;
  if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
  if (refreshToken) localStorage.setItem(REFRESH_KEY, refreshToken);
  else if (!token) localStorage.removeItem(REFRESH_KEY);
}

/** Ends the session on the server too, so a copy of its tokens stops working. */
async function logOut() {
  if (state.token) {
    try { await request('POST', '/auth/logout'); } catch (e) { /* gone already, or offline: sign out here anyway */ }
  }
  signOut('');
}

async function forgotPassword() {
  const email = $('email').value.trim();
  if (!email) { showError($('auth-error'), 'Enter your email first, then ask again.'); $('email').focus(); return; }
  try {
    const data = await request('POST', '/auth/password-reset', { email });
    showError($('auth-error'), '');
    showNotice(data.message);
  } catch (e) {
    showError($('auth-error'), e.message);
  }
}

function showNotice(message) {
  $('auth-notice').textContent = message || '';
  $('auth-notice').hidden = !message;
}

/** A reset link opens the page at #reset=<token>: ask for the new password, set it, then sign in. */
function resetToken() {
  const match = /^#reset=([A-Za-z0-9_-]+)$/.exec(location.hash || '');
  return match ? match[1] : null;
}

function showReset() {
  $('app-view').hidden = true;
  $('auth-view').hidden = false;
  $('auth-form').hidden = true;
  document.querySelector('.tabs').hidden = true;
  $('reset-form').hidden = false;
  $('new-password').focus();
}

async function submitReset(event) {
  event.preventDefault();
  const newPassword = $('new-password').value;
  if (newPassword.length < 8) { showNotice('The new password needs at least 8 characters.'); return; }
  $('set-password').disabled = true;
  try {
    await request('POST', '/auth/password-reset/confirm', { token: resetToken(), newPassword });
    history.replaceState(null, '', location.pathname + location.search);
    $('new-password').value = '';
    $('reset-form').hidden = true;
    $('auth-form').hidden = false;
    document.querySelector('.tabs').hidden = false;
    setToken(null);
    setMode('login');
    showAuth('');
    showNotice('Your password is changed and every device was signed out. Sign in with the new one.');
  } catch (e) {
    showNotice(e.message);
  } finally {
    $('set-password').disabled = false;
  }
}

async function loadMe() {
  try { state.user = await api('GET', '/me'); } catch (e) { if (e.status === 401) throw e; }
}

function signOut(message) {
  setToken(null);
  state.user = null;
  setConversation(null);
  convo.items = [];
  convo.query = '';
  $('conversation-search').value = '';
  renderConversations();
  Object.entries(PAGES).forEach(([name, page]) => { if (mounted.has(name) && page.reset) page.reset(); });
  $('messages').replaceChildren();
  $('reminders').replaceChildren();
  updateReminderCount(0);
  stopNotifications();
  voice.cancel();
  voice.enable(false);
  showError($('app-error'), '');
  setMode('login');
  showAuth(message);
}

// ---- Chat ----
function renderEmptyChat() {
  const box = el('div', 'empty-chat');
  box.id = 'empty-chat';
  box.append(el('h2', null, 'How can I help' + (state.user && state.user.name ? ', ' + state.user.name : '') + '?'));
  box.append(el('p', null, 'Ask me to remind you, to put something in your calendar, to log what you spent or to add to a list.'));
  const chips = el('div', 'suggestions');
  ['Remind me to call mom tomorrow at 5pm', 'Schedule lunch with Sam on Friday at 1pm', 'I spent 12.50 on lunch',
    'Add milk and eggs to my shopping list', "What's on tomorrow?"]
    .forEach(text => {
      const chip = el('button', 'suggestion', text);
      chip.type = 'button';
      chip.addEventListener('click', () => { $('message').value = text; $('message').focus(); autoGrow(); });
      chips.append(chip);
    });
  box.append(chips);
  $('messages').append(box);
}

function clearEmptyChat() {
  const empty = $('empty-chat');
  if (empty) empty.remove();
}

function addMessage(role, text, toolCalls, options) {
  clearEmptyChat();
  const wrap = el('div', 'message ' + role);
  wrap.dataset.testid = role === 'user' ? 'user-message' : 'assistant-message';
  const who = el('span', 'sr-only', role === 'user' ? 'You said:' : 'Aide said:');
  wrap.append(who);
  const calls = toolCalls || [];
  calls.map(call => toolCard(call)).filter(Boolean).forEach(card => wrap.append(card));
  const bubble = el('div', 'bubble');
  if (role === 'assistant') bubble.append(renderMarkdown(text)); else bubble.textContent = text;
  wrap.append(bubble);
  if (options && options.at) {
    const when = el('time', 'sent-at', fmt.when(options.at));
    when.dateTime = options.at;
    wrap.append(when);
  }
  if (role === 'assistant' && calls.some(call => pendingQuestion(call))) {
    wrap.append(confirmButtons(options && options.live));
  }
  $('messages').append(wrap);
  scrollToEnd();
  return wrap;
}

/** Yes / No under a question Aide asked; answered once, and only the latest question can be. */
function confirmButtons(live) {
  const row = el('div', 'confirm');
  row.setAttribute('role', 'group');
  row.setAttribute('aria-label', 'Answer Aide');
  const yes = el('button', 'btn small primary confirm-yes', 'Yes');
  const no = el('button', 'btn small confirm-no', 'No');
  [yes, no].forEach(b => { b.type = 'button'; b.disabled = !live; });
  yes.addEventListener('click', () => answer('yes'));
  no.addEventListener('click', () => answer('no'));
  row.append(yes, no);
  return row;
}

function answer(text) {
  document.querySelectorAll('#messages .confirm button').forEach(b => { b.disabled = true; });
  $('message').value = text;
  send();
}

/**
 * What a tool did, in words ("Reminder · Fri 4 Dec, 09:00 · every week"); a look-up gets no card. A change that can be
 * undone has an Undo button.
 */
function toolCard(call) {
  const card = describeCall(call);
  if (!card) return null;
  const node = el('div', 'tool-call ' + card.tone);
  node.dataset.testid = 'tool-call';
  node.dataset.tool = call.name || '';
  const icon = el('span', 'icon', card.icon);
  icon.setAttribute('aria-hidden', 'true');
  node.append(icon);
  const body = el('span', 'card-text');
  body.append(el('strong', 'card-title', card.title));
  card.details.forEach(d => { body.append(el('span', 'sep', ' · ')); body.append(el('span', 'card-detail', d)); });
  node.append(body);
  // The change's own handle (toolCalls[].undo): a reloaded chat has it too while the change can still be undone.
  if (call.undo && card.tone === 'ok') {
    const button = el('button', 'btn small ghost undo', 'Undo');
    button.type = 'button';
    button.setAttribute('aria-label', 'Undo: ' + card.title + ' ' + card.details.join(' '));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('POST', '/changes/' + encodeURIComponent(call.undo) + '/undo', {});
        body.classList.add('undone');
        button.replaceWith(el('span', 'card-detail undo-result', 'undone'));
        loadReminders();
        pages.changed();
      } catch (e) {
        if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
          // Changed since, undone already, or too old: the server left everything as it was and says why.
          button.replaceWith(el('span', 'card-detail undo-result', 'not undone: ' + e.message));
          return;
        }
        button.disabled = false;
        handleFailure(e, $('app-error'));
      }
    });
    node.append(button);
  }
  return node;
}

function scrollToEnd() {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

function setBusy(busy) {
  state.busy = busy;
  $('send').disabled = busy;
  $('voice').disabled = busy;
  $('typing').hidden = !busy;
  $('message').setAttribute('aria-busy', String(busy));
  if (busy) scrollToEnd();
}

async function send(event) {
  if (event) event.preventDefault();
  if (state.busy) return;
  const input = $('message');
  const text = input.value.trim();
  if (!text) { input.focus(); return; }
  showError($('app-error'), '');
  addMessage('user', text);
  input.value = '';
  autoGrow();
  setBusy(true);
  try {
    const body = { text };
    if (state.conversationId) body.conversationId = state.conversationId;
    const data = await api('POST', '/chat', body);
    setConversation(data.conversationId || state.conversationId);
    const calls = Array.isArray(data.toolCalls) ? data.toolCalls : [];
    document.querySelectorAll('#messages .confirm button').forEach(b => { b.disabled = true; });
    addMessage('assistant', data.reply && data.reply.text != null ? data.reply.text : '', calls, { live: true });
    if (calls.length) { loadReminders(); pages.changed(); }
    loadConversations();
    loadNotifications(); // what was just asked for may already be due
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && state.conversationId) {
      setConversation(null); // the conversation is gone; the next message starts a new one
    }
    handleFailure(e, $('app-error'));
    if (!state.token) return;
    if (!input.value) { input.value = text; autoGrow(); }
  } finally {
    setBusy(false);
    if (!$('app-view').hidden) input.focus();
  }
}

function newConversation() {
  setConversation(null);
  $('messages').replaceChildren();
  showError($('app-error'), '');
  renderEmptyChat();
  renderConversations();
  go('chat');
  $('message').focus();
}

// ---- Voice ----
// The microphone button records a voice message (shown only when the browser can record and this Aide has speech to
// text); the recording goes to /voice/audio in the conversation open here, and its transcript shows as what the
// person said.
const voice = voiceRecorder({
  $,
  busy: () => state.busy,
  send: (blob, type) => sendRecording(blob, type),
  failed: (message) => showError($('app-error'), message)
});

async function sendRecording(blob, type) {
  if (state.busy) return;
  showError($('app-error'), '');
  const pending = addMessage('user', '🎤 Voice message…');
  pending.classList.add('pending');
  setBusy(true);
  try {
    const form = new FormData();
    form.append('audio', blob, 'voice-message.' + (/ogg/.test(type) ? 'ogg' : /mp4|aac/.test(type) ? 'm4a' : 'webm'));
    if (state.conversationId) form.append('conversationId', state.conversationId);
    const data = await upload('/voice/audio', form);
    pending.remove();
    if (!data.transcript) { // nothing was heard: no turn, nothing stored; said above the chat, not as a message
      showError($('app-error'), data.reply && data.reply.text ? data.reply.text : 'Nothing was heard in that recording.');
      if (!$('messages').children.length) renderEmptyChat();
      return;
    }
    addMessage('user', data.transcript).dataset.source = 'voice';
    setConversation(data.conversationId || state.conversationId);
    const calls = Array.isArray(data.toolCalls) ? data.toolCalls : [];
    document.querySelectorAll('#messages .confirm button').forEach(b => { b.disabled = true; });
    addMessage('assistant', data.reply && data.reply.text != null ? data.reply.text : '', calls, { live: true });
    if (calls.length) { loadReminders(); pages.changed(); }
    loadConversations();
    loadNotifications();
  } catch (e) {
    pending.remove();
    if (!$('messages').children.length) renderEmptyChat();
    if (e instanceof ApiError && e.status === 404 && state.conversationId) setConversation(null);
    handleFailure(e, $('app-error'));
  } finally {
    setBusy(false);
  }
}

// ---- Conversations ----
// The person's past conversations (any channel), searchable, renamable and deletable; the one open is remembered,
// so a reload brings it back with its history.
const CONVERSATION_KEY = 'aide.conversation';
const convo = { items: [], ticket: 0, query: '' };

function setConversation(id) {
  state.conversationId = id;
  if (id) localStorage.setItem(CONVERSATION_KEY, id); else localStorage.removeItem(CONVERSATION_KEY);
  renderConversations();
}

async function loadConversations() {
  const ticket = ++convo.ticket;
  const q = convo.query;
  try {
    const data = await api('GET', '/conversations?limit=100' + (q ? '&q=' + encodeURIComponent(q) : ''));
    if (ticket !== convo.ticket) return;
    convo.items = data.items || [];
    renderConversations();
  } catch (e) {
    if (ticket === convo.ticket) handleFailure(e, $('app-error'));
  }
}

const CHANNEL_NAMES = { web: 'Web', telegram: 'Telegram', sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email', voice: 'Voice' };

function renderConversations() {
  const list = $('conversations');
  if (!list) return;
  $('conversations-empty').hidden = convo.items.length > 0;
  $('conversations-empty').textContent = convo.query ? 'No conversation mentions that.' : 'No conversations yet.';
  list.replaceChildren(...convo.items.map(c => {
    const li = el('li');
    li.dataset.id = c.id;
    li.dataset.testid = 'conversation';
    const open = el('button', 'conversation-open');
    open.type = 'button';
    if (c.id === state.conversationId) { li.classList.add('current'); open.setAttribute('aria-current', 'true'); }
    open.append(el('span', 'conversation-title', c.title || 'Conversation'));
    const meta = el('span', 'conversation-meta', (c.channel && c.channel !== 'web' ? (CHANNEL_NAMES[c.channel] || c.channel) + ' · ' : '') + fmt.when(c.updatedAt));
    open.append(meta);
    open.addEventListener('click', () => openConversation(c.id));
    const rename = el('button', 'btn small ghost conversation-rename', '✎');
    rename.type = 'button';
    rename.setAttribute('aria-label', 'Rename “' + (c.title || 'Conversation') + '”');
    rename.addEventListener('click', () => renameConversation(li, c));
    const del = el('button', 'btn small ghost conversation-delete', '🗑');
    del.type = 'button';
    del.setAttribute('aria-label', 'Delete “' + (c.title || 'Conversation') + '”');
    del.addEventListener('click', () => confirmDeleteConversation(li, c));
    li.append(open, rename, del);
    return li;
  }));
}

async function openConversation(id, quiet) {
  if (state.busy) return;
  setConversation(id);
  showError($('app-error'), '');
  $('messages').replaceChildren();
  const loading = el('p', 'loading', 'Loading the conversation…');
  $('messages').append(loading);
  try {
    const data = await api('GET', '/conversations/' + encodeURIComponent(id) + '/messages?limit=500');
    if (state.conversationId !== id) return;
    $('messages').replaceChildren();
    const items = data.items || [];
    items.forEach((m, i) => addMessage(m.role === 'user' ? 'user' : 'assistant', m.content || '', m.toolCalls,
      { at: m.createdAt, live: i === items.length - 1 }));
    if (!items.length) renderEmptyChat();
    closeConversationsOnPhone();
    if (!quiet) { go('chat'); $('message').focus(); }
  } catch (e) {
    loading.remove();
    if (e instanceof ApiError && e.status === 404) { setConversation(null); renderEmptyChat(); loadConversations(); return; }
    handleFailure(e, $('app-error'));
  }
}

function renameConversation(li, c) {
  const form = el('form', 'conversation-edit');
  const label = el('label', 'sr-only', 'New name');
  const input = el('input');
  input.id = 'rename-' + c.id;
  label.htmlFor = input.id;
  input.value = c.title || '';
  input.maxLength = 200;
  input.required = true;
  const save = el('button', 'btn small primary', 'Save');
  const cancel = el('button', 'btn small ghost', 'Cancel');
  cancel.type = 'button';
  form.append(label, input, save, cancel);
  li.replaceChildren(form);
  input.focus();
  input.select();
  cancel.addEventListener('click', () => { renderConversations(); focusConversation(c.id); });
  input.addEventListener('keydown', e => { if (e.key === 'Escape') { e.preventDefault(); cancel.click(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) { input.focus(); return; }
    save.disabled = true;
    try {
      const updated = await api('PATCH', '/conversations/' + encodeURIComponent(c.id), { title });
      convo.items = convo.items.map(x => x.id === c.id ? updated : x);
      renderConversations();
      focusConversation(c.id);
    } catch (err) {
      save.disabled = false;
      handleFailure(err, $('app-error'));
    }
  });
}

function confirmDeleteConversation(li, c) {
  const box = el('div', 'conversation-confirm');
  box.append(el('span', null, 'Delete “' + (c.title || 'Conversation') + '” and its messages?'));
  const keep = el('button', 'btn small conversation-keep', 'Keep');
  const del = el('button', 'btn small danger conversation-delete-yes', 'Delete');
  keep.type = del.type = 'button';
  box.append(keep, del);
  li.replaceChildren(box);
  keep.focus();
  keep.addEventListener('click', () => { renderConversations(); focusConversation(c.id); });
  del.addEventListener('click', async () => {
    del.disabled = keep.disabled = true;
    try {
      await api('DELETE', '/conversations/' + encodeURIComponent(c.id));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) { handleFailure(err, $('app-error')); renderConversations(); return; }
    }
    convo.items = convo.items.filter(x => x.id !== c.id);
    if (state.conversationId === c.id) newConversation(); else renderConversations();
    $('conversation-search').focus();
  });
}

function focusConversation(id) {
  const li = Array.from($('conversations').children).find(x => x.dataset.id === id);
  const button = li && li.querySelector('.conversation-open');
  if (button) button.focus();
}

function closeConversationsOnPhone() {
  // On a phone the conversations fold away (the chat needs the room); wider, they are always shown.
  const phone = window.matchMedia('(max-width: 760px)');
  toggleConversations(!phone.matches);
  phone.addEventListener('change', () => toggleConversations(!phone.matches));
}

function toggleConversations(open) {
  const show = open === undefined ? $('conversations-panel').classList.contains('closed') : open;
  $('conversations-panel').classList.toggle('closed', !show);
  $('conversations-toggle').setAttribute('aria-expanded', String(show));
}

function autoGrow() {
  const t = $('message');
  t.style.height = 'auto';
  t.style.height = Math.min(t.scrollHeight + 2, 160) + 'px';
}

// ---- Reminders ----
let reminderLoad = 0;
async function loadReminders() {
  const ticket = ++reminderLoad;
  try {
    const data = await api('GET', '/reminders?status=pending');
    if (ticket !== reminderLoad) return; // a newer refresh has started
    renderReminders(data.items || []);
  } catch (e) {
    handleFailure(e, $('app-error'));
  }
}

/** In the person's own time zone, with the year: the notification list reaches back. */
function formatDue(iso) {
  return fmt.when(iso, { year: true });
}

function updateReminderCount(n) {
  $('reminders-count').textContent = String(n);
  $('reminders-empty').hidden = n > 0;
}

function renderReminders(all) {
  // One that was sent waits on the Today page for a Done or a snooze; the list here is what is still to come.
  const items = all.filter(r => !r.fired);
  const list = $('reminders');
  list.replaceChildren(...items.map(reminderItem));
  updateReminderCount(items.length);
  const now = Date.now();
  const upcoming = items.map(r => Date.parse(r.dueAt)).filter(t => t > now);
  state.nextReminderAt = upcoming.length ? Math.min(...upcoming) : null;
  if (notes.timer) scheduleNotificationPoll(); // a reminder due sooner than the next poll moves the poll forward
}

function reminderItem(r) {
  const li = el('li');
  li.dataset.id = r.id;
  li.dataset.testid = 'reminder';
  li.append(el('span', 'text', r.text));
  const due = el('time', 'due', fmt.when(r.dueAt));
  due.dateTime = r.dueAt || '';
  li.append(due);
  if (r.rrule) li.append(el('span', 'repeat', '↻ ' + fmt.repeat(r.rrule)));
  const actions = el('div', 'actions');
  const done = el('button', 'btn small reminder-done', '✓ Done');
  done.type = 'button';
  done.setAttribute('aria-label', 'Mark "' + r.text + '" done');
  done.addEventListener('click', () => changeReminder(li, () => api('PATCH', '/reminders/' + encodeURIComponent(r.id), { status: 'done' })));
  const del = el('button', 'btn small reminder-delete', 'Delete');
  del.type = 'button';
  del.setAttribute('aria-label', 'Delete "' + r.text + '"');
  del.addEventListener('click', () => changeReminder(li, () => api('DELETE', '/reminders/' + encodeURIComponent(r.id))));
  actions.append(done, del);
  li.append(actions);
  return li;
}

async function changeReminder(li, action) {
  li.querySelectorAll('button').forEach(b => { b.disabled = true; });
  try {
    await action();
    showError($('app-error'), '');
  } catch (e) {
    handleFailure(e, $('app-error'));
  }
  if (state.token) loadReminders();
}

// ---- Notifications ----
// What Aide tells the person without being asked (a reminder came due, a message they scheduled): the web channel's
// inbox. Polled while the page is visible; new arrivals show as a toast and, if allowed, a desktop alert.
const NOTIFICATION_LIMIT = 30;
const HIDDEN_POLL_MS = 60000;
const TOAST_MS = 10000;
const POLL_MS = pollInterval();
const KIND_ICONS = { reminder: '⏰', 'event-alert': '📅', digest: '☀️', proactive: '💬' };
const notes = { items: [], unread: 0, seen: null, signature: null, timer: 0, ticket: 0 };

/** Every 15 s; `?poll=<ms>` in the page address (500 ms to 10 min) changes it, for tests and impatient people. */
function pollInterval() {
  const asked = Number(new URLSearchParams(location.search).get('poll'));
  return Number.isFinite(asked) && asked >= 500 && asked <= 600000 ? asked : 15000;
}

function startNotifications() {
  stopNotifications();
  loadNotifications();
}

function stopNotifications() {
  clearTimeout(notes.timer);
  Object.assign(notes, { items: [], unread: 0, seen: null, signature: null, timer: 0, ticket: notes.ticket + 1 });
  state.nextReminderAt = null;
  $('notifications').replaceChildren();
  $('toasts').replaceChildren();
  closeNotifications(false);
  updateNotificationCount(0);
}

async function loadNotifications() {
  if (!state.token) return;
  const ticket = ++notes.ticket;
  try {
    const data = await api('GET', '/notifications?limit=' + NOTIFICATION_LIMIT);
    if (ticket !== notes.ticket || !state.token) return; // a newer load has started, or the person signed out
    receiveNotifications(data.items || [], Number(data.unread) || 0);
  } catch (e) {
    // A background refresh does not nag about a dropped connection: the next one tries again.
    if (ticket === notes.ticket && e instanceof ApiError && e.status === 401) handleFailure(e, $('app-error'));
  } finally {
    if (ticket === notes.ticket) scheduleNotificationPoll();
  }
}

/**
 * Visible page: every POLL_MS, or just after the next reminder is due if that is sooner. Hidden page: only when
 * the person turned desktop alerts on (they are the point of a background check), once a minute.
 */
function scheduleNotificationPoll() {
  clearTimeout(notes.timer);
  notes.timer = 0;
  if (!state.token || $('app-view').hidden) return;
  let delay;
  if (document.visibilityState === 'visible') {
    delay = POLL_MS;
    const untilDue = state.nextReminderAt ? state.nextReminderAt - Date.now() + 1500 : Infinity;
    if (untilDue >= 1000 && untilDue < delay) delay = untilDue;
  } else if (desktopAlertsGranted()) {
    delay = Math.max(POLL_MS, HIDDEN_POLL_MS);
  } else {
    return;
  }
  notes.timer = setTimeout(loadNotifications, delay);
}

function receiveNotifications(items, unread) {
  const firstLoad = notes.seen === null;
  const fresh = firstLoad ? [] : items.filter(n => !notes.seen.has(n.id));
  if (firstLoad) notes.seen = new Set();
  items.forEach(n => notes.seen.add(n.id));
  notes.items = items;
  notes.unread = unread;
  renderNotifications();
  const freshUnread = fresh.filter(n => !n.readAt);
  if (freshUnread.length) announce(freshUnread);
  // A reminder that came due may have moved on to its next occurrence.
  if (fresh.some(n => n.kind === 'reminder')) loadReminders();
  if (fresh.length) pages.changed(); // Today lists the unread ones and what came due
}

function renderNotifications() {
  updateNotificationCount(notes.unread);
  $('notifications-empty').hidden = notes.items.length > 0;
  const signature = JSON.stringify(notes.items.map(n => [n.id, Boolean(n.readAt)]));
  if (signature === notes.signature) return; // unchanged: leave the list, and the focus in it, alone
  notes.signature = signature;
  const list = $('notifications');
  const focused = list.contains(document.activeElement) ? document.activeElement.closest('li') : null;
  list.replaceChildren(...notes.items.map(notificationItem));
  if (focused) focusNotification(focused.dataset.id);
}

function focusNotification(id) {
  const item = Array.from($('notifications').children).find(li => li.dataset.id === id);
  if (item) item.focus(); else $('notifications-panel').focus();
}

function updateNotificationCount(n) {
  const badge = $('notifications-count');
  badge.textContent = n > 99 ? '99+' : String(n);
  badge.hidden = n === 0;
  const toggle = $('notifications-toggle');
  toggle.classList.toggle('has-unread', n > 0);
  toggle.setAttribute('aria-label', 'Notifications, ' + (n === 0 ? 'none' : n) + ' unread');
  $('mark-all-read').disabled = n === 0;
  document.title = n > 0 ? '(' + (n > 99 ? '99+' : n) + ') Aide' : 'Aide';
}

function notificationItem(n) {
  const unread = !n.readAt;
  const li = el('li', unread ? 'unread' : 'read');
  li.dataset.id = n.id;
  li.dataset.testid = 'notification';
  li.dataset.kind = n.kind || '';
  li.tabIndex = -1;
  li.append(el('span', 'kind', KIND_ICONS[n.kind] || '🔔'));
  li.firstChild.setAttribute('aria-hidden', 'true');
  const title = el('span', 'title');
  if (unread) {
    title.append(el('span', 'dot'));
    title.firstChild.setAttribute('aria-hidden', 'true');
    title.append(el('span', 'sr-only', 'Unread:'));
  }
  title.append(el('span', 'title-text', n.title || 'Notification'));
  li.append(title);
  li.append(el('p', 'body', n.body || ''));
  const row = el('div', 'row');
  const when = el('time', 'when', formatDue(n.createdAt));
  when.dateTime = n.createdAt || '';
  row.append(when);
  if (unread) {
    const read = el('button', 'btn small notification-read', 'Mark read');
    read.type = 'button';
    read.setAttribute('aria-label', 'Mark "' + (n.title || 'Notification') + ': ' + (n.body || '') + '" read');
    read.addEventListener('click', () => markNotificationRead(n, read));
    row.append(read);
  }
  li.append(row);
  return li;
}

async function markNotificationRead(n, button) {
  button.disabled = true;
  try {
    const updated = await api('POST', '/notifications/' + encodeURIComponent(n.id) + '/read', {});
    showError($('notifications-error'), '');
    notes.items = notes.items.map(item => item.id === n.id ? Object.assign({}, item, updated) : item);
    notes.unread = Math.max(0, notes.unread - 1);
    renderNotifications();
    focusNotification(n.id);
  } catch (e) {
    button.disabled = false;
    handleFailure(e, $('notifications-error'));
  }
  loadNotifications(); // the server's count is the truth (another tab may have read some)
}

async function markAllNotificationsRead() {
  const button = $('mark-all-read');
  button.disabled = true;
  try {
    await api('POST', '/notifications/read', {});
    showError($('notifications-error'), '');
    const now = new Date().toISOString();
    notes.items = notes.items.map(item => item.readAt ? item : Object.assign({}, item, { readAt: now }));
    notes.unread = 0;
    renderNotifications();
    $('notifications-panel').focus(); // the button it was on is now disabled
  } catch (e) {
    button.disabled = false;
    handleFailure(e, $('notifications-error'));
  }
  loadNotifications();
}

function openNotifications() {
  const panel = $('notifications-panel');
  panel.style.top = Math.round(document.querySelector('header.top').getBoundingClientRect().bottom + 6) + 'px';
  panel.hidden = false;
  $('notifications-toggle').setAttribute('aria-expanded', 'true');
  $('desktop-alerts').hidden = !('Notification' in window) || Notification.permission !== 'default';
  $('toasts').replaceChildren(); // the list shows what they said
  panel.focus();
  loadNotifications();
}

function closeNotifications(returnFocus) {
  const panel = $('notifications-panel');
  if (panel.hidden) return;
  const focusWasInside = panel.contains(document.activeElement);
  panel.hidden = true;
  $('notifications-toggle').setAttribute('aria-expanded', 'false');
  showError($('notifications-error'), '');
  if (returnFocus || focusWasInside) $('notifications-toggle').focus();
}

/** Asked only from the person's click on "Turn on", as browsers require and people prefer. */
function enableDesktopAlerts() {
  const done = () => {
    const box = $('desktop-alerts');
    if (box.contains(document.activeElement)) $('notifications-panel').focus();
    box.hidden = true;
    scheduleNotificationPoll();
  };
  try {
    const asked = Notification.requestPermission(done); // older Safari takes a callback, others answer a promise
    if (asked && typeof asked.then === 'function') asked.then(done, done);
  } catch (e) {
    done();
  }
}

function desktopAlertsGranted() {
  return 'Notification' in window && Notification.permission === 'granted';
}

function announce(fresh) {
  if (fresh.length > 3) {
    toast(fresh.length + ' new notifications', fresh.map(n => n.body || n.title).slice(0, 3).join(' · ') + ' …');
  } else {
    fresh.slice().reverse().forEach(n => toast(n.title || 'Notification', n.body || ''));
  }
  // The toast is enough for someone looking at the page; a desktop alert is for someone who is not.
  if (desktopAlertsGranted() && (document.visibilityState !== 'visible' || !document.hasFocus())) {
    fresh.slice(0, 3).forEach(desktopAlert);
  }
}

function desktopAlert(n) {
  try {
    const shown = new Notification(n.title || 'Aide', { body: n.body || '', tag: 'aide-' + n.id });
    shown.onclick = () => { window.focus(); openNotifications(); shown.close(); };
  } catch (e) {
    // Some mobile browsers allow notifications only from a service worker; the toast and the bell remain.
  }
}

function toast(title, body) {
  const box = $('toasts');
  const item = el('div', 'toast');
  item.dataset.testid = 'toast';
  const text = el('div', 'toast-text');
  text.append(el('strong', null, title));
  if (body) text.append(el('span', null, body));
  const view = el('button', 'btn small', 'View');
  view.type = 'button';
  view.addEventListener('click', () => { dismiss(); openNotifications(); });
  const close = el('button', 'btn small ghost', '✕');
  close.type = 'button';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', dismiss);
  item.append(text, view, close);
  box.append(item);
  while (box.children.length > 3) box.firstElementChild.remove();

  // Stays while pointed at or focused, so it can be read and acted on.
  let timer = setTimeout(dismiss, TOAST_MS);
  const hold = () => clearTimeout(timer);
  const release = () => { clearTimeout(timer); timer = setTimeout(dismiss, TOAST_MS / 2); };
  item.addEventListener('mouseenter', hold);
  item.addEventListener('focusin', hold);
  item.addEventListener('mouseleave', release);
  item.addEventListener('focusout', release);
  function dismiss() {
    clearTimeout(timer);
    if (item.contains(document.activeElement)) $('message').focus();
    item.remove();
  }
}

// ---- Wiring ----
function init() {
  let zone = '';
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { /* old browser */ }
  $('timezone').value = zone;
  try {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    $('timezones').replaceChildren(...zones.map(z => { const o = document.createElement('option'); o.value = z; return o; }));
  } catch (e) { /* no list, free text is fine */ }

  $('show-login').addEventListener('click', () => setMode('login'));
  $('show-register').addEventListener('click', () => setMode('register'));
  $('auth-form').addEventListener('submit', submitAuth);
  $('composer').addEventListener('submit', send);
  $('message').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  $('message').addEventListener('input', autoGrow);
  $('new-conversation').addEventListener('click', newConversation);
  $('logout').addEventListener('click', logOut);
  $('forgot').addEventListener('click', forgotPassword);
  $('reset-form').addEventListener('submit', submitReset);
  $('refresh-reminders').addEventListener('click', loadReminders);
  $('notifications-toggle').addEventListener('click', () => {
    if ($('notifications-panel').hidden) openNotifications(); else closeNotifications(true);
  });
  $('close-notifications').addEventListener('click', () => closeNotifications(true));
  $('mark-all-read').addEventListener('click', markAllNotificationsRead);
  $('enable-desktop-alerts').addEventListener('click', enableDesktopAlerts);
  $('conversations-toggle').addEventListener('click', () => toggleConversations());
  $('conversation-search-form').addEventListener('submit', e => e.preventDefault());
  let searchTimer = 0;
  $('conversation-search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { convo.query = $('conversation-search').value.trim(); loadConversations(); }, 250);
  });
  window.addEventListener('hashchange', () => { if (state.token && !$('app-view').hidden) showPage(currentPage(), true); });
  // On a phone the conversations fold away (the chat needs the room); wider, they are always shown.
  const phone = window.matchMedia('(max-width: 760px)');
  toggleConversations(!phone.matches);
  phone.addEventListener('change', () => toggleConversations(!phone.matches));
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* offline shell is a bonus */ });
  }
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (!$('notifications-panel').hidden) {
      e.preventDefault();
      closeNotifications(true);
    }
  });
  document.addEventListener('pointerdown', (e) => {
    const panel = $('notifications-panel');
    if (!panel.hidden && !panel.contains(e.target) && !$('notifications-toggle').contains(e.target)
        && !$('toasts').contains(e.target)) {
      closeNotifications(false);
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!state.token || $('app-view').hidden) return;
    if (document.visibilityState === 'visible') loadNotifications(); else scheduleNotificationPoll();
  });

  setMode('login');
  if (resetToken()) {
    showReset();
  } else if (state.token) {
    api('GET', '/me').then(user => { state.user = user; showApp(); })
      .catch(e => {
        if (e.status === 401) signOut('Your session has ended. Please sign in again.');
        else { showApp(); handleFailure(e, $('app-error')); }
      });
  } else {
    showAuth('');
  }
}

init();
