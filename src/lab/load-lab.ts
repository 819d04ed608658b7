// Finds lab files in labs/, loads one by name, and resolves it through the schema.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabDefinitionError, LabNotFoundError } from '../errors.ts';
import { BUILD_DIR, fromRoot } from '../project-root.ts';
import { applyOverrides, type Overrides } from './overrides.ts';
import { validateLab, type Lab, type LabInput } from './schema.ts';

// labs/ in the project, or GUNICORN_LAB_LABS_DIR (a folder beside labs/, so lab files import ../src as they do).
export const LABS_DIR = process.env.GUNICORN_LAB_LABS_DIR ? path.resolve(process.env.GUNICORN_LAB_LABS_DIR) : fromRoot('labs');

export interface LoadedLab {
  name: string;
  lab: Lab;
}

// Lab names, sorted: each is a file labs/<name>.ts. Synchronous, so test files can declare a test per lab.
export function listLabNames(dir = LABS_DIR): string[] {
  const files = readdirSync(dir);
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

async function importLab(file: string, name: string, dir: string): Promise<unknown> {
  if (COMPILED) {
    const compiled = path.join(BUILD_DIR, 'labs', `${name}.js`);
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
  if (!names.includes(name)) throw new LabNotFoundError(name, names);
  const file = path.join(dir, `${name}.ts`);
  let module: { default?: LabInput };
  try {
    module = (await importLab(file, name, dir)) as { default?: LabInput };
  } catch (error) {
    // A syntax error in the lab file: the transpiler's message names file, line and column.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^Transform failed with \d+ errors?:\s*/, '').split('\n')[0] ?? '';
    throw new LabDefinitionError(`labs/${name}.ts`, [`(file): does not load: ${message.replace(file, `${path.basename(dir)}/${name}.ts`)}`]);
  }
  if (!module.default) throw new LabDefinitionError(`labs/${name}.ts`, ['(lab): must `export default defineLab({...})`']);
  const result = validateLab(applyOverrides(module.default, overrides));
  if (result.problems) throw new LabDefinitionError(`labs/${name}.ts (with the options given)`, result.problems);
  return { name, lab: result.lab };
}
