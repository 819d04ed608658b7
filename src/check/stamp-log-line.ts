// Gives a line read from a log file the timestamp Docker gives its own log lines, so one parser reads both.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// `[28/Nov/2026:06:30:00 +0000]` (access, $time_local) or `2026/11/28 06:30:00` (error log); else when it was read.
export function logLineTime(line: string, fallback: Date): Date {
  const local = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{2})(\d{2})\]/.exec(line);
  if (local) {
    const [, d, mon, y, h, mi, s, zh, zm] = local;
    const month = String(MONTHS.indexOf(mon!) + 1).padStart(2, '0');
    const date = new Date(`${y}-${month}-${d}T${h}:${mi}:${s}${zh}:${zm}`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const error = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(line);
  if (error) {
    const [, y, mo, d, h, mi, s] = error;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return fallback;
}

export function stampLogLine(line: string, fallback: Date): string {
  return `${logLineTime(line, fallback).toISOString()} ${line}\n`;
}
