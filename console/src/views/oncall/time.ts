/** Shift times in the viewer's zone and in the rotation's own zone (Intl does the DST arithmetic). */
export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const cache = new Map<string, Intl.DateTimeFormat>();
const formatter = (zone: string | undefined, options: Intl.DateTimeFormatOptions) => {
  const key = `${zone}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { ...options, ...(zone ? { timeZone: zone } : {}) });
    cache.set(key, format);
  }
  return format;
};

export const dayLabel = (date: Date, zone?: string) =>
  formatter(zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(date);
export const clockTime = (date: Date, zone?: string) =>
  formatter(zone, { hour: '2-digit', minute: '2-digit' }).format(date);
export const zoneAbbreviation = (date: Date, zone: string) =>
  formatter(zone, { timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value ?? zone;

/** A calendar-day key in a zone (YYYY-MM-DD), to group shifts by the viewer's days. */
export const dayKey = (date: Date, zone?: string) =>
  formatter(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);

/** `<input type="datetime-local">` value (viewer's zone) ⇄ Date. */
export const toLocalInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
export const fromLocalInput = (value: string) => new Date(value);
