// One way of writing times, dates, repeats and money everywhere on the page: in the person's own timezone (which may
// not be the browser's), day before month and a 24-hour clock, as Aide's own replies write them ("Thu 19 Nov 2026 at
// 17:00"), so a time reads the same in the chat, the cards and every page.

const LOCALE = 'en-GB';
const DAYS = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const UNITS = { SECONDLY: 'second', MINUTELY: 'minute', HOURLY: 'hour', DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

let zone = undefined;
let currency = 'USD';

function formatter(options) {
  try {
    return new Intl.DateTimeFormat(LOCALE, Object.assign({ timeZone: zone }, options));
  } catch (e) { // an unknown zone: the browser's own
    return new Intl.DateTimeFormat(LOCALE, options);
  }
}

function toDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  return isNaN(date) ? null : date;
}

/** The calendar date (YYYY-MM-DD) of an instant in the person's timezone. */
function isoDay(value) {
  const date = toDate(value);
  if (!date) return '';
  const parts = Object.fromEntries(formatter({ year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date).map(p => [p.type, p.value]));
  return parts.year + '-' + parts.month + '-' + parts.day;
}

function sameYear(date) {
  return formatter({ year: 'numeric' }).format(date) === formatter({ year: 'numeric' }).format(new Date());
}

function dayLabel(date, withYear) {
  const options = { weekday: 'short', day: 'numeric', month: 'short' };
  if (withYear || !sameYear(date)) options.year = 'numeric';
  return formatter(options).format(date).replace(/,/g, '');
}

function clock(date) {
  return formatter({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** A local date (YYYY-MM-DD, as expenses and all-day events carry) read as that day, whatever the zone. */
function localDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 12)) : null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(word) {
  const i = MONTHS.indexOf(word.slice(0, 3));
  return i < 0 || (word.length > 3 && !new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2000, i, 1))).toLowerCase().startsWith(word) && word !== 'sept') ? 0 : i + 1;
}

export const fmt = {
  /** Sets the person's timezone and default currency (from /me). */
  configure(user) {
    zone = user && user.timezone ? user.timezone : undefined;
    currency = user && user.defaultCurrency ? user.defaultCurrency : 'USD';
  },
  zone() { return zone || Intl.DateTimeFormat().resolvedOptions().timeZone; },
  currency() { return currency; },
  /** "Fri 4 Dec, 09:00" (the year when it is not this one, or when asked). */
  when(value, options) {
    const date = toDate(value);
    if (!date) return value || '';
    return dayLabel(date, options && options.year) + ', ' + clock(date);
  },
  /** "Fri 4 Dec" for an instant, or for a local date such as an expense's. */
  day(value, options) {
    const date = localDate(value);
    if (date) {
      const o = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
      if ((options && options.year) || date.getUTCFullYear() !== new Date().getFullYear()) o.year = 'numeric';
      return new Intl.DateTimeFormat(LOCALE, o).format(date).replace(/,/g, '');
    }
    const instant = toDate(value);
    return instant ? dayLabel(instant, options && options.year) : (value || '');
  },
  /** "09:00". */
  time(value) {
    const date = toDate(value);
    return date ? clock(date) : '';
  },
  /** "December 2026" for a month key "2026-12". */
  month(key) {
    const date = localDate(key + '-01');
    return date ? new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date) : key;
  },
  isoDay,
  /** The wall-clock time of an instant in the person's timezone, "2026-12-04T09:00:00" (no offset). */
  wall(value) {
    const date = toDate(value);
    if (!date) return '';
    const p = Object.fromEntries(formatter({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(date).map(x => [x.type, x.value]));
    return p.year + '-' + p.month + '-' + p.day + 'T' + p.hour + ':' + p.minute + ':' + p.second;
  },
  /** A wall-clock time in the person's timezone as an instant with its offset, "2026-12-04T09:00:00+01:00". */
  instant(wall) {
    const text = wall.length === 16 ? wall + ':00' : wall.slice(0, 19);
    // The offset at that wall time: read once near it, then again at the instant it gives (a DST change between).
    let offset = fmt.offset(new Date(text + 'Z'));
    offset = fmt.offset(new Date(text + offset));
    return text + offset;
  },
  /** Today's date in the person's timezone. */
  today() { return isoDay(new Date()); },
  /** The offset of the person's zone at an instant, "+01:00". */
  offset(value) {
    const date = toDate(value) || new Date();
    try {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(date)
        .find(p => p.type === 'timeZoneName').value; // "GMT+01:00", or "GMT" for UTC
      return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
    } catch (e) {
      return '+00:00';
    }
  },
  /** A decimal string and its ISO currency as the person would write it: "$12.50", "€8.00". */
  money(amount, code) {
    const value = Number(amount);
    if (!isFinite(value)) return String(amount == null ? '' : amount);
    try {
      return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code || currency, currencyDisplay: 'narrowSymbol' }).format(value);
    } catch (e) {
      return String(amount) + ' ' + (code || currency);
    }
  },
  /** A local date (YYYY-MM-DD) as a date field shows it, day first: "04/12/2026". */
  dateField(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : '';
  },
  /** How a date field asks to be filled in. */
  dateFieldHint: 'day/month/year, e.g. 04/12/2026',
  /**
   * What a person typed in a date field as a local date (YYYY-MM-DD), or null when it is not a date: day first
   * ("4/12/2026", "4.12.26", "4-12-2026"), a month's name ("4 Dec 2026", "4 December"), or ISO ("2026-12-04"); without
   * a year, this year in the person's timezone.
   */
  parseDay(text) {
    const t = String(text || '').trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
    if (!t) return null;
    let y, mo, d;
    let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
    if (m) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    if (!m && (m = /^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$/.exec(t))) { d = +m[1]; mo = +m[2]; y = m[3]; }
    if (!m && (m = /^(?:[a-z]+ )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?: (\d{2}|\d{4}))?$/.exec(t))) {
      d = +m[1]; mo = monthNumber(m[2]); y = m[3];
    }
    if (!m || !mo) return null;
    if (y === undefined) y = +isoDay(new Date()).slice(0, 4);
    else if (typeof y === 'string') y = y.length === 2 ? 2000 + +y : +y;
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || mo < 1 || mo > 12 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return String(y).padStart(4, '0') + '-' + String(mo).padStart(2, '0') + '-' + String(d).padStart(2, '0');
  },
  /** An RFC 5545 RRULE in words: "every Thursday", "every 2 weeks", "every weekday until 1 Mar". */
  repeat(rrule) {
    if (!rrule) return '';
    const parts = Object.fromEntries(String(rrule).replace(/^RRULE:/i, '').split(';')
      .map(p => p.split('=')).filter(p => p.length === 2).map(([k, v]) => [k.toUpperCase(), v.toUpperCase()]));
    const unit = UNITS[parts.FREQ];
    if (!unit) return 'repeats';
    const interval = Number(parts.INTERVAL) > 1 ? Number(parts.INTERVAL) : 1;
    let words;
    const days = (parts.BYDAY || '').split(',').filter(Boolean).map(d => d.replace(/^[+-]?\d+/, ''));
    if (parts.FREQ === 'WEEKLY' && days.length && interval === 1) {
      const set = new Set(days);
      if (set.size === 5 && ['MO', 'TU', 'WE', 'TH', 'FR'].every(d => set.has(d))) words = 'every weekday';
      else if (set.size === 2 && set.has('SA') && set.has('SU')) words = 'every weekend';
      else if (set.size === 7) words = 'every day';
      else words = 'every ' + days.map(d => DAYS[d] || d).join(', ').replace(/, ([^,]*)$/, ' and $1');
    } else if (parts.FREQ === 'DAILY' && interval === 1) {
      words = 'every day';
    } else {
      words = interval === 1 ? 'every ' + unit : 'every ' + interval + ' ' + unit + 's';
      if (parts.FREQ === 'MONTHLY' && parts.BYMONTHDAY) words += ' on day ' + parts.BYMONTHDAY;
    }
    if (parts.COUNT) words += ', ' + parts.COUNT + ' times';
    if (parts.UNTIL) {
      const m = /^(\d{4})(\d{2})(\d{2})/.exec(parts.UNTIL);
      if (m) words += ' until ' + fmt.day(m[1] + '-' + m[2] + '-' + m[3]);
    }
    return words;
  }
};
