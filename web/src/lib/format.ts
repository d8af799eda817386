// How figures read on screen. Missing values read as an en dash, never as zero.

export const MISSING = '–';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  let unit = 0;
  let scaled = Math.abs(value);
  while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const digits = unit === 0 || scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return (value < 0 ? '-' : '') + scaled.toFixed(digits) + ' ' + BYTE_UNITS[unit];
}

/** A transfer rate in bytes per second, like "1.21 MiB/s". */
export function rate(bytesPerSecond: number | null | undefined): string {
  const text = bytes(bytesPerSecond);
  return text === MISSING ? text : text + '/s';
}

export function percent(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  return (value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(1)) + '%';
}

/** A temperature: "61.5 °C". */
export function celsius(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  return `${value.toFixed(1)} °C`;
}

export function decimal(value: number | null | undefined, digits = 2): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  return value.toFixed(digits);
}

/** A length of time, like "850 ms", "12.3 s", "4 min", "3 h 5 min", "2 d 4 h". */
export function duration(millis: number | null | undefined): string {
  if (millis == null || !Number.isFinite(millis) || millis < 0) return MISSING;
  if (millis < 1000) return Math.round(millis) + ' ms';
  if (millis < 60_000) return (millis / 1000).toFixed(millis < 10_000 ? 2 : 1) + ' s';
  const minutes = Math.floor(millis / 60_000);
  if (minutes < 60) return minutes + ' min';
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
  const days = Math.floor(hours / 24);
  return days + ' d' + (hours % 24 ? ' ' + (hours % 24) + ' h' : '');
}

/** How long ago, like "just now", "42 s ago", "5 min ago". */
export function ago(time: string | null | undefined, now: number): string {
  if (!time) return 'never';
  const millis = now - Date.parse(time);
  if (!Number.isFinite(millis)) return MISSING;
  if (millis < 5_000) return 'just now';
  if (millis < 60_000) return Math.floor(millis / 1000) + ' s ago';
  return duration(millis) + ' ago';
}

/** A time as local date and time, to the second. */
export function dateTime(time: string | null | undefined): string {
  if (!time) return MISSING;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return MISSING;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The end of a day picked in a date input ("2026-12-31"), local time, as an RFC 3339 instant. */
export function endOfDay(date: string): string {
  return new Date(date + 'T23:59:59').toISOString();
}
