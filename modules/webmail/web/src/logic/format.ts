/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** The time zone dates are shown in (Settings → Display); undefined: the browser's. */
let displayTimeZone: string | undefined;

export function setDisplayTimeZone(zone: string | null): void {
  displayTimeZone = zone ?? undefined;
}

/** The calendar day of a date in the display time zone, as YYYY-MM-DD. */
function dayOf(date: Date): string {
  return date.toLocaleDateString('en-CA', { timeZone: displayTimeZone });
}

/** In the list: the time for today, the day and month this year, the full date before. */
export function formatListDate(iso: string, locale: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const timeZone = displayTimeZone;
  if (dayOf(date) === dayOf(now)) return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  if (dayOf(date).slice(0, 4) === dayOf(now).slice(0, 4))
    return date.toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone });
  return date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone });
}

export function formatFullDate(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: displayTimeZone });
}
