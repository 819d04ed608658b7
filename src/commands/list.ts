// `--list`: every lab with its hypothesis (or why it does not load), as text or as JSON for the CI matrix.
import { LabError } from '../errors.ts';
import { comparisonReleases } from '../lab/comparison.ts';
import { listComparisonNames, listLabNames, loadComparison, loadLab } from '../lab/load-lab.ts';
import { RELEASES, labReleases } from '../lab/vocabulary.ts';

// Every lab, each loaded on its own: a broken lab file is listed with its error, never hides the others.
// In JSON it keeps one release, so the CI matrix gets a job for it that fails with the reason.
export async function listLabs(json: boolean): Promise<number> {
  const labs = await Promise.all(
    listLabNames().map(async (name) => {
      try {
        const { lab } = await loadLab(name);
        return { name, kind: 'lab', hypothesis: lab.hypothesis, release: lab.release, releases: labReleases(lab) as string[], slow: lab.slow };
      } catch (error) {
        if (!(error instanceof LabError)) throw error;
        return { name, kind: 'lab', hypothesis: '', release: RELEASES[0], releases: [RELEASES[0]] as string[], slow: false, error: error.message };
      }
    }),
  );
  // Comparisons (labs/comparisons/): run by name, so each is a job of the CI matrix like a lab; always slow.
  for (const name of listComparisonNames()) {
    try {
      const { comparison, variants } = await loadComparison(name);
      labs.push({ name, kind: 'comparison', hypothesis: comparison.hypothesis, release: comparison.release, releases: comparisonReleases(variants), slow: true });
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      labs.push({ name, kind: 'comparison', hypothesis: '', release: RELEASES[0], releases: [RELEASES[0]], slow: true, error: error.message });
    }
  }
  const broken = labs.filter((l) => 'error' in l);
  for (const lab of broken) process.stderr.write(`error: ${'error' in lab ? lab.error : ''}\n`);
  if (json) {
    // `releases`: where the lab can run (its worker class exists there); the CI matrix is built from it.
    process.stdout.write(`${JSON.stringify(labs, null, 2)}\n`);
  } else {
    const width = Math.max(...labs.map((l) => l.name.length));
    for (const lab of labs) process.stdout.write(`${lab.name.padEnd(width)}  ${'error' in lab ? '(does not load: see the error above)' : `${lab.kind === 'comparison' ? '[comparison] ' : ''}${lab.hypothesis}`}\n`);
  }
  return 0;
}
