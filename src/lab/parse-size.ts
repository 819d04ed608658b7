// Turns "8m", "512k", "1g" or "1048576" into bytes (binary suffixes), and bytes back into short text.

const SUFFIXES: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

// Returns the size in bytes, or null where the text is not a size.
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (SUFFIXES[(match[2] ?? '').toLowerCase()] ?? 1);
  return Number.isFinite(value) ? Math.round(value) : null;
}

// Formats bytes with the largest binary unit that keeps at least 1 before the point.
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || Number.isInteger(value) ? 0 : value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
