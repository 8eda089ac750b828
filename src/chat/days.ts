/**
 * Day separators and times for the message list. Days are the *local* calendar days of the Date
 * objects (the browser's time zone); "Today"/"Yesterday" are relative to an injected `now`.
 */

export interface DaySection<T> {
  /** Local calendar day, `YYYY-MM-DD`; 'unknown' for items whose createdAt does not parse. */
  readonly key: string;
  readonly label: string;
  readonly items: readonly T[];
}

export interface DayLabelOptions {
  readonly now: Date;
  /** BCP 47 locale for dates other than today/yesterday; the runtime default when omitted. */
  readonly locale?: string;
  readonly today?: string;
  readonly yesterday?: string;
}

/** The local calendar day of a date as `YYYY-MM-DD` ('unknown' for an invalid date). */
export function dayKey(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown';
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${String(date.getFullYear()).padStart(4, '0')}-${month}-${day}`;
}

/** "Today", "Yesterday", or the date (weekday, day, month; the year only when not `now`'s year). */
export function dayLabel(date: Date, options: DayLabelOptions): string {
  const { now, locale } = options;
  const key = dayKey(date);
  if (key === 'unknown') return '';
  if (key === dayKey(now)) return options.today ?? 'Today';
  // Day arithmetic on the calendar fields, not minus 24 h: days around DST changes are 23 or 25 h long.
  if (key === dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1))) {
    return options.yesterday ?? 'Yesterday';
  }
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  }).format(date);
}

/**
 * Groups a list sorted by createdAt into consecutive day sections. Items whose createdAt does not
 * parse stay in the section in progress (or an 'unknown' one at the start), so none is lost.
 */
export function groupByDay<T extends { readonly createdAt: string }>(
  items: readonly T[],
  options: DayLabelOptions,
): DaySection<T>[] {
  const sections: { key: string; label: string; items: T[] }[] = [];
  for (const item of items) {
    const date = new Date(item.createdAt);
    const current = sections.at(-1);
    const key = dayKey(date);
    if (current && (key === current.key || key === 'unknown')) {
      current.items.push(item);
    } else {
      sections.push({ key, label: dayLabel(date, options), items: [item] });
    }
  }
  return sections;
}

/** Hours and minutes of a timestamp in the given (or default) locale; '' when it does not parse. */
export function formatTime(value: string | Date, locale?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
}
