// `--list`: every lab and comparison with its hypothesis, releases and what it expects (or why it does not load), as
// text or as JSON for the CI matrix; the docs' lab index is generated from the same list.
import { LabError } from '../errors.ts';
import { describeExpectation } from '../report/summarize.ts';
import { killLineOf } from '../observe/app-server-words.ts';
import type { LabListEntry } from '../report/lab-index.ts';

export type { LabListEntry };
import { comparisonReleases } from '../lab/comparison.ts';
import { listComparisonNames, listLabNames, loadComparison, loadLab } from '../lab/load-lab.ts';
import { RELEASES, expectationFor, labReleases } from '../lab/vocabulary.ts';

// The expectation in a few words, each release's where the lab expects differently on some.
function expectsOn(lab: Parameters<typeof expectationFor>[0] & { server: { kind: Parameters<typeof killLineOf>[0] } }, releases: readonly string[]): string {
  const byRelease = new Map<string, string[]>();
  for (const release of releases) {
    const words = describeExpectation(expectationFor({ ...lab, release: release as (typeof RELEASES)[number] }), killLineOf(lab.server.kind));
    byRelease.set(words, [...(byRelease.get(words) ?? []), release]);
  }
  if (byRelease.size <= 1) return [...byRelease.keys()][0] ?? '';
  return [...byRelease].map(([words, on]) => `${on.join(', ')}: ${words}`).join('; ');
}

export async function collectLabList(): Promise<LabListEntry[]> {
  const labs = await Promise.all(
    listLabNames().map(async (name): Promise<LabListEntry> => {
      try {
        const { lab } = await loadLab(name);
        const releases = labReleases(lab) as string[];
        return { name, kind: 'lab', hypothesis: lab.hypothesis, release: lab.release, releases, slow: lab.slow, expects: expectsOn(lab, releases) };
      } catch (error) {
        if (!(error instanceof LabError)) throw error;
        return { name, kind: 'lab', hypothesis: '', release: RELEASES[0], releases: [RELEASES[0]], slow: false, expects: '', error: error.message };
      }
    }),
  );
  // Comparisons (labs/comparisons/): run by name, so each is a job of the CI matrix like a lab; always slow.
  for (const name of listComparisonNames()) {
    try {
      const { comparison, variants } = await loadComparison(name);
      const expects = `${comparison.relations.length} relation(s) between ${variants.length} variants`;
      labs.push({
        name,
        kind: 'comparison',
        hypothesis: comparison.hypothesis,
        release: comparison.release,
        releases: comparisonReleases(variants),
        slow: true,
        expects,
      });
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      labs.push({ name, kind: 'comparison', hypothesis: '', release: RELEASES[0], releases: [RELEASES[0]], slow: true, expects: '', error: error.message });
    }
  }
  return labs;
}

export async function listLabs(json: boolean): Promise<number> {
  const labs = await collectLabList();
  for (const lab of labs) if (lab.error) process.stderr.write(`error: ${lab.error}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
  } else {
    const width = Math.max(...labs.map((l) => l.name.length));
    for (const lab of labs) {
      const marks = [lab.kind === 'comparison' ? '[comparison]' : '', lab.slow ? '[slow]' : ''].filter(Boolean).join(' ');
      process.stdout.write(
        `${lab.name.padEnd(width)}  ${lab.error ? '(does not load: see the error above)' : `${marks ? `${marks} ` : ''}${lab.hypothesis}`}\n`,
      );
    }
    process.stdout.write(
      '\n[slow]: a minute or more; left out of --all unless --include-slow (named, it runs). [comparison]: runs its variants one after the other.\n',
    );
  }
  return 0;
}
