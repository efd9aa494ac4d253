// Settings: profile (name, timezone, currency), working hours, quiet hours, the daily digest, where Aide's own
// messages go, the linked chats, numbers and email addresses, the connected calendar and mail accounts (Google and
// Microsoft connected from here), the private calendar feed, and signing out everywhere.
import { loadScript, QRCODE } from '../vendor.js';

let root;
let ticket = 0;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function field(ctx, id, label, control, hint) {
  const box = ctx.el('div', 'field');
  const l = ctx.el('label', null, label);
  l.htmlFor = id;
  control.id = id;
  box.append(l, control);
  if (hint) {
    const h = ctx.el('span', 'hint', hint);
    h.id = id + '-hint';
    control.setAttribute('aria-describedby', h.id);
    box.append(h);
  }
  return box;
}

function input(ctx, type, attrs) {
  const node = ctx.el('input');
  node.type = type;
  Object.assign(node, attrs || {});
  return node;
}

/** A 24-hour time as text ("09:00"): the browser's time input would follow its own locale, not Aide's. */
function clockInput(ctx) {
  return input(ctx, 'text', { pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', placeholder: 'HH:MM', maxLength: 5, inputMode: 'numeric', autocomplete: 'off' });
}

function select(ctx, options) {
  const node = ctx.el('select');
  options.forEach(([value, text]) => { const o = ctx.el('option', null, text); o.value = value; node.append(o); });
  return node;
}

function card(ctx, id, heading) {
  const section = ctx.el('section', 'card');
  section.id = id;
  const h = ctx.el('h3', null, heading);
  h.id = id + '-title';
  section.setAttribute('aria-labelledby', h.id);
  section.append(h);
  return section;
}

export function mount(node, ctx) {
  root = node;
  const { el } = ctx;
  const head = el('div', 'page-head');
  const title = el('h2', null, 'Settings');
  title.id = 'settings-title';
  head.append(title);
  const error = el('div', 'alert');
  error.id = 'settings-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const status = el('div', 'notice');
  status.id = 'settings-status';
  status.setAttribute('role', 'status');
  status.hidden = true;

  const profile = el('form', 'card');
  profile.id = 'profile-form';
  const profileTitle = el('h3', null, 'Profile and schedule');
  profileTitle.id = 'profile-title';
  profile.setAttribute('aria-labelledby', profileTitle.id);
  const zones = el('datalist');
  zones.id = 'settings-zones';
  try { (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []).forEach(z => { const o = el('option'); o.value = z; zones.append(o); }); } catch (e) { /* free text */ }
  const timezone = input(ctx, 'text', { maxLength: 64, autocomplete: 'off' });
  timezone.setAttribute('list', 'settings-zones');
  const hours = el('div', 'form-row');
  hours.append(field(ctx, 'work-start', 'Work starts', clockInput(ctx)), field(ctx, 'work-end', 'Work ends', clockInput(ctx)));
  const days = el('fieldset', 'days');
  days.append(el('legend', null, 'Working days'));
  DAYS.forEach((d, i) => {
    const l = el('label', 'day');
    const c = input(ctx, 'checkbox', { value: String(i + 1) });
    c.className = 'work-day';
    l.append(c, ' ' + d);
    days.append(l);
  });
  const quiet = el('div', 'form-row');
  quiet.append(field(ctx, 'quiet-start', 'Quiet from', clockInput(ctx)), field(ctx, 'quiet-end', 'Quiet until', clockInput(ctx)));
  const digest = el('div', 'form-row');
  const digestOn = input(ctx, 'checkbox', {});
  const digestLabel = el('label', 'day');
  digestOn.id = 'digest-enabled';
  digestLabel.append(digestOn, ' Daily digest');
  const hourSelect = select(ctx, Array.from({ length: 24 }, (_, h) => [String(h), String(h).padStart(2, '0') + ':00']));
  const byEmail = input(ctx, 'checkbox', {});
  byEmail.id = 'digest-email';
  const byEmailLabel = el('label', 'day');
  byEmailLabel.append(byEmail, ' by email');
  digest.append(digestLabel, field(ctx, 'digest-hour', 'at', hourSelect), byEmailLabel);
  const save = el('button', 'btn primary', 'Save');
  save.id = 'settings-save';
  profile.append(profileTitle, zones,
    field(ctx, 'settings-name', 'Name', input(ctx, 'text', { maxLength: 200, autocomplete: 'name' })),
    field(ctx, 'settings-timezone', 'Timezone', timezone, 'An IANA zone such as Europe/Paris; every time on these pages is shown in it.'),
    field(ctx, 'settings-currency', 'Currency', input(ctx, 'text', { maxLength: 3 }), 'The ISO code used when an amount names none (USD, EUR, GBP…).'),
    hours, days, quiet,
    field(ctx, 'settings-channel', 'Aide writes to me on', select(ctx, [['', 'Wherever I talked last'], ['web', 'This web app'], ['telegram', 'Telegram'], ['sms', 'SMS'], ['whatsapp', 'WhatsApp'], ['email', 'Email']])),
    digest, save);
  profile.addEventListener('submit', (e) => { e.preventDefault(); saveProfile(ctx); });

  const channels = card(ctx, 'settings-channels', 'Linked chats, numbers and email');
  const channelList = el('ul', 'rows');
  channelList.id = 'channel-list';
  const link = el('button', 'btn', 'Link Telegram');
  link.type = 'button';
  link.id = 'link-telegram';
  const linkBox = el('div');
  linkBox.id = 'telegram-link';
  link.addEventListener('click', () => linkTelegram(ctx, linkBox));
  // A phone number: a code is texted to it, and typed back here.
  const phone = el('form', 'form-row');
  phone.id = 'phone-form';
  const number = input(ctx, 'tel', { maxLength: 20, autocomplete: 'tel', placeholder: '+447400123456' });
  const code = input(ctx, 'text', { maxLength: 6, inputMode: 'numeric', autocomplete: 'one-time-code' });
  const codeField = field(ctx, 'phone-code', 'Code', code);
  codeField.hidden = true;
  const phoneButton = el('button', 'btn', 'Text me a code');
  phone.append(field(ctx, 'phone-number', 'Phone number', number), codeField, phoneButton);
  phone.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (phoneButton.disabled) return; // a second click or Enter while the first is on its way
    phoneButton.disabled = true;
    const error = root.querySelector('#settings-error');
    try {
      if (codeField.hidden) {
        await ctx.api('POST', '/channels/sms/verify', { phone: number.value.trim() });
        codeField.hidden = false;
        phoneButton.textContent = 'Link the number';
        say(ctx, 'A 6-digit code is on its way to ' + number.value.trim() + '.');
        code.focus();
      } else {
        await ctx.api('POST', '/channels/sms/confirm', { phone: number.value.trim(), code: code.value.trim() });
        codeField.hidden = true;
        code.value = '';
        number.value = '';
        phoneButton.textContent = 'Text me a code';
        show(ctx); // it clears the status line first
        say(ctx, 'The number is linked.');
      }
      ctx.showError(error, '');
    } catch (err) {
      ctx.failed(err, error);
    } finally {
      phoneButton.disabled = false;
    }
  });
  channels.append(channelList, link, linkBox, phone, emailForm(ctx));

  const accounts = card(ctx, 'settings-accounts', 'Connected calendars and mail');
  const accountList = el('ul', 'rows');
  accountList.id = 'account-list';
  const connect = el('div', 'inline-actions');
  [['google', 'Connect Google Calendar'], ['microsoft', 'Connect Microsoft calendar']].forEach(([kind, text]) => {
    const b = el('button', 'btn small', text);
    b.type = 'button';
    b.id = 'connect-' + kind;
    b.addEventListener('click', () => connectAccount(ctx, kind, b));
    connect.append(b);
  });
  accounts.append(accountList, connect);
  // Back from the provider's page through the browser's cache: the buttons turned off on leaving work again.
  window.addEventListener('pageshow', (e) => { if (e.persisted) connect.querySelectorAll('button').forEach(b => { b.disabled = false; }); });

  const feed = card(ctx, 'settings-feed', 'Calendar feed');
  feed.append(el('p', 'small muted', 'A private address your calendar app can subscribe to. Anyone with it can read your calendar: make a new one to cut the old one off.'));
  const feedRow = el('div', 'copy-row');
  const feedUrl = input(ctx, 'text', { readOnly: true, placeholder: 'No feed yet' });
  feedUrl.id = 'feed-url';
  feedUrl.setAttribute('aria-label', 'Calendar feed address');
  const copy = el('button', 'btn small', 'Copy');
  copy.type = 'button';
  copy.id = 'feed-copy';
  copy.addEventListener('click', async () => {
    if (!feedUrl.value) return;
    try { await navigator.clipboard.writeText(feedUrl.value); say(ctx, 'Feed address copied.'); } catch (e) { feedUrl.select(); }
  });
  feedRow.append(feedUrl, copy);
  const feedActions = el('div', 'inline-actions');
  const makeFeed = el('button', 'btn small', 'Make a feed address');
  makeFeed.type = 'button';
  makeFeed.id = 'feed-make';
  makeFeed.addEventListener('click', async () => {
    try { const data = await ctx.api('POST', '/calendar/feed'); feedUrl.value = data.url; say(ctx, 'A new feed address is ready; any older one no longer works.'); }
    catch (e) { ctx.failed(e, root.querySelector('#settings-error')); }
  });
  const revoke = el('button', 'btn small ghost', 'Turn the feed off');
  revoke.type = 'button';
  revoke.addEventListener('click', async () => {
    try { await ctx.api('DELETE', '/calendar/feed'); feedUrl.value = ''; say(ctx, 'The feed is off.'); }
    catch (e) { ctx.failed(e, root.querySelector('#settings-error')); }
  });
  feedActions.append(makeFeed, revoke);
  feed.append(feedRow, feedActions);

  const account = card(ctx, 'settings-account', 'Sessions');
  account.append(el('p', 'small muted', 'Signs out every browser and device, device tokens included — this one too.'));
  const everywhere = el('button', 'btn', 'Sign out everywhere');
  everywhere.type = 'button';
  everywhere.id = 'logout-all';
  everywhere.addEventListener('click', async () => {
    try { await ctx.api('POST', '/auth/logout-all', {}); } catch (e) { /* signed out already */ }
    ctx.signOut('You are signed out on every device.');
  });
  account.append(everywhere);

  const grid = el('div', 'cards settings-grid');
  grid.append(profile, channels, accounts, feed, account);
  root.append(head, error, status, grid);
}

function say(ctx, message) {
  const status = root.querySelector('#settings-status');
  status.textContent = message;
  status.hidden = !message;
}

export function reset() {
  ticket++;
  // Signed out: the next person to sign in here must not find this one's address in the form.
  if (root) root.querySelector('#email-form').reset();
}

function set(id, value) {
  root.querySelector('#' + id).value = value == null ? '' : value;
}

export async function show(ctx) {
  const mine = ++ticket;
  say(ctx, '');
  ctx.showError(root.querySelector('#settings-error'), '');
  const [me, channels, accounts] = await Promise.allSettled([ctx.api('GET', '/me'), ctx.api('GET', '/channels'),
    ctx.api('GET', '/accounts')]);
  if (mine !== ticket) return;
  if (me.status === 'fulfilled') fill(ctx, me.value); else ctx.failed(me.reason, root.querySelector('#settings-error'));
  if (channels.status === 'fulfilled') renderChannels(ctx, channels.value);
  if (accounts.status === 'fulfilled') renderAccounts(ctx, accounts.value);
  connectOutcome(ctx);
}

function fill(ctx, u) {
  ctx.setUser(u);
  set('settings-name', u.name);
  set('settings-timezone', u.timezone);
  set('settings-currency', u.defaultCurrency);
  const w = u.workingHours || {};
  set('work-start', w.start);
  set('work-end', w.end);
  root.querySelectorAll('.work-day').forEach(c => { c.checked = (w.days || []).includes(Number(c.value)); });
  const q = u.quietHours || {};
  set('quiet-start', q.start);
  set('quiet-end', q.end);
  set('settings-channel', u.preferredChannel || '');
  const d = u.digest || {};
  root.querySelector('#digest-enabled').checked = !!d.enabled;
  set('digest-hour', d.hour == null ? 8 : d.hour);
  root.querySelector('#digest-email').checked = !!d.byEmail;
  const address = root.querySelector('#email-address');
  if (!address.value && root.querySelector('#email-code-field').hidden) address.value = u.email || '';
}

async function saveProfile(ctx) {
  const v = (id) => root.querySelector('#' + id).value.trim();
  const body = {
    name: v('settings-name') || null,
    timezone: v('settings-timezone'),
    defaultCurrency: v('settings-currency').toUpperCase(),
    preferredChannel: v('settings-channel') || null,
    digest: { enabled: root.querySelector('#digest-enabled').checked, hour: Number(v('digest-hour')),
      byEmail: root.querySelector('#digest-email').checked }
  };
  if (v('work-start') && v('work-end')) {
    body.workingHours = { start: v('work-start'), end: v('work-end'),
      days: Array.from(root.querySelectorAll('.work-day')).filter(c => c.checked).map(c => Number(c.value)) };
  }
  body.quietHours = v('quiet-start') && v('quiet-end') ? { start: v('quiet-start'), end: v('quiet-end') } : null;
  const save = root.querySelector('#settings-save');
  save.disabled = true;
  try {
    const user = await ctx.api('PATCH', '/me', body);
    ctx.showError(root.querySelector('#settings-error'), '');
    fill(ctx, user && user.email ? user : await ctx.api('GET', '/me'));
    say(ctx, 'Saved.');
  } catch (e) {
    ctx.failed(e, root.querySelector('#settings-error'));
  } finally {
    save.disabled = false;
  }
}

const CHANNEL_NAMES = { telegram: 'Telegram', sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email', voice: 'Voice device', web: 'Web' };

function renderChannels(ctx, data) {
  const { el, fmt } = ctx;
  const list = root.querySelector('#channel-list');
  const items = data.items || [];
  if (!items.length) {
    list.replaceChildren(el('li', 'empty', 'Nothing linked yet: Aide writes to you here, in the web app.'));
    return;
  }
  list.replaceChildren(...items.map(c => {
    const li = el('li');
    li.dataset.testid = 'channel';
    const who = c.displayName || (['sms', 'whatsapp', 'email'].includes(c.channel) ? c.externalId : '');
    li.append(el('span', 'grow', (CHANNEL_NAMES[c.channel] || c.channel) + (who ? ' · ' + who : '')));
    if (c.linkedAt) li.append(el('span', 'meta', 'linked ' + fmt.day(c.linkedAt)));
    const unlink = el('button', 'btn small ghost', 'Unlink');
    unlink.type = 'button';
    unlink.setAttribute('aria-label', 'Unlink ' + (CHANNEL_NAMES[c.channel] || c.channel));
    unlink.addEventListener('click', async () => {
      try { await ctx.api('DELETE', '/channels/' + encodeURIComponent(c.id)); show(ctx); }
      catch (e) { ctx.failed(e, root.querySelector('#settings-error')); }
    });
    li.append(unlink);
    return li;
  }));
}

/**
 * An email address: a code is mailed to it (the account's own address unless another is typed) and typed back here.
 * The code is confirmed for the address Aide wrote back (trimmed, lower-cased); changing the address asks again.
 */
function emailForm(ctx) {
  const { el } = ctx;
  const form = el('form', 'form-row');
  form.id = 'email-form';
  form.noValidate = true; // Aide's own words for an address it refuses, as for a number
  const address = input(ctx, 'email', { maxLength: 254, autocomplete: 'email', spellcheck: false });
  const code = input(ctx, 'text', { maxLength: 7, inputMode: 'numeric', autocomplete: 'one-time-code' });
  const codeField = field(ctx, 'email-code', 'Code', code);
  codeField.id = 'email-code-field';
  codeField.hidden = true;
  const button = el('button', 'btn', 'Email me a code');
  button.id = 'email-submit';
  form.append(field(ctx, 'email-address', 'Email address', address), codeField, button);
  let sentTo = null;
  const restart = () => {
    sentTo = null;
    codeField.hidden = true;
    code.value = '';
    button.textContent = 'Email me a code';
  };
  address.addEventListener('input', () => {
    if (sentTo !== null && address.value.trim().toLowerCase() !== sentTo) restart();
  });
  form.addEventListener('reset', restart);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (button.disabled) return; // a second click or Enter while the first is on its way
    if (sentTo !== null && !code.value.trim()) { code.focus(); return; } // a click more than the code needed
    button.disabled = true;
    const error = root.querySelector('#settings-error');
    try {
      if (sentTo === null) {
        const typed = address.value.trim();
        const data = await ctx.api('POST', '/channels/email/verify', typed ? { email: typed } : {});
        sentTo = data.email;
        address.value = data.email;
        codeField.hidden = false;
        button.textContent = 'Link the address';
        say(ctx, 'A 6-digit code is on its way to ' + data.email + '.');
        code.focus();
      } else {
        await ctx.api('POST', '/channels/email/confirm', { email: sentTo, code: code.value.trim() });
        restart();
        address.value = '';
        show(ctx);
        say(ctx, 'The address is linked.');
      }
      ctx.showError(error, '');
    } catch (err) {
      ctx.failed(err, error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const ACCOUNT_NAMES = { google: 'Google Calendar', microsoft: 'Microsoft calendar', caldav: 'CalDAV calendar', imap: 'Mail' };

/** Asks Aide for the provider's consent page and goes there; the provider sends the browser back to #settings. */
async function connectAccount(ctx, kind, button) {
  if (button.disabled) return;
  button.disabled = true;
  const error = root.querySelector('#settings-error');
  try {
    const data = await ctx.api('GET', '/accounts/' + kind + '/connect');
    const url = new URL(data.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Aide answered with an address that is not a web page.');
    ctx.showError(error, '');
    say(ctx, 'Opening ' + ACCOUNT_NAMES[kind] + '…');
    location.assign(url.href); // the button stays off while the page leaves (the back button turns it on again)
  } catch (e) {
    button.disabled = false;
    ctx.failed(e, error);
  }
}

const CONNECT_ERRORS = {
  access_denied: 'The account was not connected: access was not granted.',
  state_invalid: 'That authorization is unknown or was used already: connect the account again.',
  state_expired: 'That authorization took longer than 10 minutes: connect the account again.',
  code_missing: 'The provider sent no authorization code: connect the account again.',
  exchange_failed: 'The provider did not give Aide access: connect the account again.',
  provider_error: 'The provider refused to connect the account.',
  conflict: 'You have as many connected accounts as Aide takes: disconnect one first.'
};

/**
 * The provider's consent page sends the browser back to /?account=connected&kind=…#settings or
 * /?account_error=<code>#settings: said once, then taken out of the address so a reload does not say it again. Only
 * known codes are put in words: the address can be typed by anyone.
 */
function connectOutcome(ctx) {
  const params = new URLSearchParams(location.search);
  if (!params.has('account') && !params.has('account_error')) return;
  const failed = params.get('account_error');
  if (failed !== null) {
    ctx.showError(root.querySelector('#settings-error'), CONNECT_ERRORS[failed] || 'The account was not connected.');
  } else if (params.get('account') === 'connected') {
    say(ctx, (ACCOUNT_NAMES[params.get('kind')] || 'The account') + ' is connected: its calendars are being copied.');
  }
  ['account', 'account_error', 'kind'].forEach(k => params.delete(k));
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
}

function renderAccounts(ctx, data) {
  const { el, fmt } = ctx;
  const list = root.querySelector('#account-list');
  const items = data.items || [];
  if (!items.length) {
    list.replaceChildren(el('li', 'empty', 'No calendar or mail account is connected.'));
    return;
  }
  list.replaceChildren(...items.map(a => {
    const li = el('li');
    li.dataset.testid = 'account';
    li.dataset.kind = a.kind;
    const name = ACCOUNT_NAMES[a.kind] || a.kind;
    li.append(el('span', 'grow', name + (a.username ? ' · ' + a.username : '')));
    li.append(el('span', 'meta', a.status === 'error' ? 'not syncing: ' + (a.reason || 'an error')
      : a.lastSyncedAt ? 'synced ' + fmt.when(a.lastSyncedAt) : 'not synced yet'));
    const off = el('button', 'btn small ghost', 'Disconnect');
    off.type = 'button';
    off.setAttribute('aria-label', 'Disconnect ' + name + (a.username ? ' ' + a.username : ''));
    off.addEventListener('click', () => confirmDisconnect(ctx, li, a, name));
    li.append(off);
    return li;
  }));
}

function confirmDisconnect(ctx, li, a, name) {
  const { el } = ctx;
  const question = el('span', 'grow', 'Disconnect ' + name + (a.username ? ' ' + a.username : '') + '? '
    + (a.kind === 'imap' ? 'Aide stops reading and sending its mail.' : 'The calendars copied from it leave Aide with it.'));
  question.id = 'account-disconnect-' + a.id;
  const yes = el('button', 'btn small danger account-disconnect-yes', 'Disconnect');
  const keep = el('button', 'btn small account-keep', 'Keep it');
  yes.type = keep.type = 'button';
  yes.setAttribute('aria-describedby', question.id);
  const before = Array.from(li.childNodes);
  li.replaceChildren(question, yes, keep);
  keep.focus();
  keep.addEventListener('click', () => { li.replaceChildren(...before); li.querySelector('button').focus(); });
  li.addEventListener('keydown', (e) => { if (e.key === 'Escape' && li.contains(keep)) { e.preventDefault(); keep.click(); } });
  yes.addEventListener('click', async () => {
    yes.disabled = keep.disabled = true;
    try {
      await ctx.api('DELETE', '/accounts/' + encodeURIComponent(a.id));
      show(ctx);
      say(ctx, name + ' is disconnected.');
    } catch (e) {
      yes.disabled = keep.disabled = false;
      ctx.failed(e, root.querySelector('#settings-error'));
    }
  });
}

async function linkTelegram(ctx, box) {
  const { el } = ctx;
  try {
    const data = await ctx.api('POST', '/channels/telegram/link', {});
    const p = el('p', 'small');
    p.append('Open this link on the phone with Telegram, then press Start: ');
    const a = el('a', null, 'Link my Telegram');
    a.href = data.url;
    a.target = '_blank';
    a.rel = 'noopener';
    p.append(a, '. It works once, for ' + Math.round((data.expiresInSeconds || 600) / 60) + ' minutes.');
    box.replaceChildren(p);
    await qr(ctx, box, data.url);
  } catch (e) {
    if (e.status === 404) ctx.showError(root.querySelector('#settings-error'), 'Telegram is not set up on this server.');
    else ctx.failed(e, root.querySelector('#settings-error'));
  }
}

/** The link as a QR code, for a phone's camera; the link above says the same in words. */
export async function qr(ctx, box, url) {
  try {
    await loadScript(QRCODE);
  } catch (e) {
    return; // the link is there
  }
  const code = ctx.el('div', 'qr');
  code.id = 'telegram-qr';
  code.setAttribute('role', 'img');
  code.setAttribute('aria-label', 'QR code of the Telegram link, to scan with your phone');
  box.append(code);
  new window.QRCode(code, { text: url, width: 180, height: 180, correctLevel: window.QRCode.CorrectLevel.M });
  code.querySelectorAll('img, canvas').forEach(n => { n.setAttribute('aria-hidden', 'true'); if (n.tagName === 'IMG') n.alt = ''; });
}
