// Finds lab files in labs/, loads one by name, and resolves it through the schema.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabDefinitionError, LabNotFoundError, UsageError } from '../errors.ts';
import { BUILD_DIR, fromRoot } from '../project-root.ts';
import { applyOverrides, type Overrides } from './overrides.ts';
import type { Comparison, ComparisonInput } from './comparison.ts';
import type { Lab, LabInput } from './schema.ts';
import { validateLabOnce } from './validated-labs.ts';

// labs/ in the project, or GUNICORN_LAB_LABS_DIR (a folder beside labs/, so lab files import ../src as they do).
export const LABS_DIR = process.env.GUNICORN_LAB_LABS_DIR ? path.resolve(process.env.GUNICORN_LAB_LABS_DIR) : fromRoot('labs');

export interface LoadedLab {
  name: string;
  lab: Lab;
}

// Lab names, sorted: each is a file labs/<name>.ts. Synchronous, so test files can declare a test per lab.
export function listLabNames(dir = LABS_DIR): string[] {
  const files = readdirSync(dir);
  return tsNames(files);
}

// Comparison names, sorted: each is a file labs/comparisons/<name>.ts (none where the folder is absent).
export const COMPARISONS = 'comparisons';
export function listComparisonNames(dir = LABS_DIR): string[] {
  const folder = path.join(dir, COMPARISONS);
  return existsSync(folder) ? tsNames(readdirSync(folder)) : [];
}

function tsNames(files: string[]): string[] {
  return files
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

// Run from the compiled copy (scripts/lab.mjs), a lab of the project's own folder loads from its compiled copy too.
// Any other lab file (another folder, or one that did not compile: a syntax error) loads through tsx, registered
// then and only then, whose message names the file, line and column.
const COMPILED = import.meta.url.endsWith('.js');
let tsxRegistered: Promise<void> | undefined;

async function importLab(file: string, name: string, dir: string, sub = ''): Promise<unknown> {
  if (COMPILED) {
    const compiled = path.join(BUILD_DIR, 'labs', sub, `${name}.js`);
    if (path.resolve(dir) === fromRoot('labs') && existsSync(compiled)) return import(pathToFileURL(compiled).href);
    // scripts/lab.mjs has turned tsx's compile cache off.
    tsxRegistered ??= import('tsx/esm/api').then(({ register }) => void register());
    await tsxRegistered;
  }
  return import(pathToFileURL(file).href);
}

// Loads labs/<name>.ts, applies overrides and validates; errors name the lab file and each problem.
export async function loadLab(name: string, overrides: Overrides = {}, dir = LABS_DIR): Promise<LoadedLab> {
  const names = listLabNames(dir);
  if (!names.includes(name)) {
    if (listComparisonNames(dir).includes(name)) {
      throw new UsageError(
        `${name} is a comparison of several set-ups, not one lab: run it alone (npm run lab -- ${name}).`,
        "Its variants' runs are kept under runs/" + name + '/<run>/variants/, each with its reproduce.sh.',
      );
    }
    throw new LabNotFoundError(name, [...names, ...listComparisonNames(dir)]);
  }
  const input = await importDefault<LabInput>(name, dir, '', 'defineLab');
  const result = await validateLabOnce(applyOverrides(input, overrides));
  if (result.problems) throw new LabDefinitionError(`labs/${name}.ts (with the options given)`, result.problems);
  return { name, lab: result.lab };
}

// A file's default export; a file that does not load (a syntax error) is a LabDefinitionError naming file and line.
async function importDefault<T>(name: string, dir: string, sub: string, define: string): Promise<T> {
  const shown = path.join(sub ? `labs/${sub}` : 'labs', `${name}.ts`);
  const file = path.join(dir, sub, `${name}.ts`);
  let module: { default?: T };
  try {
    module = (await importLab(file, name, dir, sub)) as { default?: T };
  } catch (error) {
    // The transpiler's message names file, line and column.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^Transform failed with \d+ errors?:\s*/, '').split('\n')[0] ?? '';
    throw new LabDefinitionError(shown, [`(file): does not load: ${message.replace(file, path.join(path.basename(dir), sub, `${name}.ts`))}`]);
  }
  if (!module.default) throw new LabDefinitionError(shown, [`(lab): must \`export default ${define}({...})\``]);
  return module.default;
}

export interface LoadedComparison {
  name: string;
  comparison: Comparison;
  variants: Array<{ variant: string; lab: Lab }>;
}

// Loads labs/comparisons/<name>.ts and resolves every variant with the overrides laid over it.
export async function loadComparison(name: string, overrides: Overrides = {}, dir = LABS_DIR): Promise<LoadedComparison> {
  const names = listComparisonNames(dir);
  if (!names.includes(name)) throw new LabNotFoundError(name, [...listLabNames(dir), ...names]);
  const input = await importDefault<ComparisonInput>(name, dir, COMPARISONS, 'defineComparison');
  const shown = `labs/${COMPARISONS}/${name}.ts`;
  // Loaded here: a comparison's schema needs zod, which a lab's run does without (validated-labs.ts).
  const { resolveVariants, validateComparison } = await import('./comparison.ts');
  const result = validateComparison(input);
  if (result.problems) throw new LabDefinitionError(shown, result.problems);
  const { variants, problems } = resolveVariants(name, result.comparison, overrides);
  if (problems.length) throw new LabDefinitionError(`${shown} (with the options given)`, problems);
  return { name, comparison: result.comparison, variants };
}
