// Lets a string flag take a value that starts with a dash, as a shell user writes it: `--gunicorn-args "--workers 3"`.
// Node's parseArgs refuses such a value as ambiguous; written `--flag=value` it is read as meant.

type FlagSpec = Readonly<Record<string, { type: 'string' | 'boolean' }>>;

export function attachFlagValues(argv: readonly string[], flags: FlagSpec): string[] {
  const takesValue = new Set(
    Object.entries(flags)
      .filter(([, spec]) => spec.type === 'string')
      .map(([name]) => `--${name}`),
  );
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    // After `--` every word is a positional.
    if (word === '--') return [...out, ...argv.slice(i)];
    const value = argv[i + 1];
    if (takesValue.has(word) && value !== undefined && value.startsWith('-')) {
      out.push(`${word}=${value}`);
      i++;
    } else {
      out.push(word);
    }
  }
  return out;
}
