const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** `[day-of-week ","] day month year` at the start of an RFC 5322 date-time, comments and folding aside. */
const DATE_PART = /^\s*(?:[a-z]{3}\s*,\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\b/i;

/**
 * The calendar day a Date header names, as the UTC midnight of that day in ms, or null when it cannot be read.
 * SENTBEFORE, SENTON and SENTSINCE compare this day, the one the sender wrote in its own time zone, not the day
 * the instant falls on in UTC (RFC 3501 §6.4.4, RFC 9051 §6.4.4): a message sent at 23:30 -0500 on 1 January was
 * sent ON 1-Jan, although it was already 2 January in UTC.
 */
export function sentDay(dateHeader: string | null): number | null {
  if (!dateHeader) return null;
  const match = DATE_PART.exec(dateHeader.slice(0, 200));
  if (!match) return null;
  const month = MONTHS.indexOf(match[2].slice(0, 3).toLowerCase());
  const day = Number(match[1]);
  if (month < 0 || day < 1 || day > 31) return null;
  // RFC 5322 §4.3 obs-year: two digits are 1950–2049, three digits are added to 1900.
  let year = Number(match[3]);
  if (match[3].length === 2) year += year < 50 ? 2000 : 1900;
  else if (match[3].length === 3) year += 1900;
  return Date.UTC(year, month, day);
}
