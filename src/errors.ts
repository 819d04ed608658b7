// The project's errors: each says what happened (message) and what to do next (hint); the CLI maps them to exit 2.

export class LabError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }
}

// Edit distance between two names, for "did you mean".
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

export function closestName(name: string, names: readonly string[]): string | null {
  const ranked = [...names].sort((x, y) => editDistance(name, x) - editDistance(name, y));
  const best = ranked[0];
  return best !== undefined && editDistance(name, best) <= Math.max(3, Math.floor(best.length / 3)) ? best : null;
}

export class LabNotFoundError extends LabError {
  constructor(name: string, available: readonly string[]) {
    const closest = closestName(name, available);
    super(
      `Unknown lab "${name}".${closest ? ` Did you mean ${closest}?` : ''}`,
      `Available labs: ${available.join(', ')}. Run \`npm run lab -- --list\` to see each with its hypothesis.`,
    );
  }
}

export class LabDefinitionError extends LabError {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source} is not a valid lab:\n${problems.map((p) => `  ${p}`).join('\n')}`, 'Fix the values named above (each line is `path: problem`).');
    this.problems = problems;
  }
}

export class UsageError extends LabError {
  constructor(message: string, hint = 'Run `npm run lab -- --help` for the options and their ranges.') {
    super(message, hint);
  }
}

export class DockerUnavailableError extends LabError {
  constructor(where: string, hint: string, options?: { cause?: unknown }) {
    super(`No Docker engine answers at ${where}.`, hint, options);
  }
}

export class SetupError extends LabError {}

export class ImageBuildError extends LabError {
  readonly image: string;
  readonly lastLines: readonly string[];

  constructor(image: string, lastLines: readonly string[], options?: { cause?: unknown; hint?: string }) {
    super(
      `Building image ${image} failed:\n${lastLines.map((l) => `  | ${l}`).join('\n')}`,
      options?.hint ?? 'Read the build lines above; `npm run setup` rebuilds the images from images/.',
      options,
    );
    this.image = image;
    this.lastLines = lastLines;
  }
}

export class ServiceStartError extends LabError {
  readonly role: string;

  constructor(role: string, what: string, lastLogLines: readonly string[], options?: { cause?: unknown }) {
    super(
      `The ${role} container did not start: ${what}${lastLogLines.length ? `\n${lastLogLines.map((l) => `  | ${l}`).join('\n')}` : ''}`,
      `Check the ${role} log lines above; \`npm run clean\` removes what a failed run left.`,
      options,
    );
    this.role = role;
  }
}

export class ClientError extends LabError {}

// A run whose Gunicorn workers were killed while booting after the download had started: it measured a machine
// too busy for the lab's timeout, not the set-up, so it gives no verdict.
export class OverloadError extends LabError {
  constructor(lab: string, kills: number, runDir: string) {
    super(
      `${lab}: Gunicorn's workers were killed ${kills} time(s) while booting, after the download had started: the machine was too busy for the lab's --timeout, so the run measured the machine, not the set-up. No verdict; its logs are in ${runDir}.`,
      'Run it again with nothing CPU-heavy beside it, or fewer labs at once (--parallel 1).',
    );
  }
}

// A user's own stack that cannot be checked as given: a file missing, a config Nginx or Gunicorn refuses,
// a path that is not a large download. The message quotes the tool's own words where it has them.
export class StackError extends LabError {}

// Where a library threw something that is not ours, keep it as the cause of one that says what to do.
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
