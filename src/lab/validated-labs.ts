// Each lab is put through the schema once: its result is kept under .lab/build/validated/, named by a hash of the
// lab's data (with the options given) and of what decides a validation (schema.ts, vocabulary.ts, zod's version).
// A run of a lab validated before then loads neither zod nor the schema: about 0.1 s of a run's start, where the
// whole tool's overhead is compared with the docker CLI's (`npm run bench`). A lab that fails validation is never
// kept, so its problems are reported every time; data the keeping can't hold (a function) is validated every time.
// The data and the result are kept with V8's serializer, which keeps what JSON would drop: a key set to undefined
// (in `expectByRelease` it removes an expectation on that release).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { BUILD_DIR, fromRoot } from '../project-root.ts';
import type { Lab, validateLab } from './schema.ts';

export const VALIDATED_DIR = path.join(BUILD_DIR, 'validated');

let rules: Buffer | undefined;

// What decides a validation's result besides the data: the schema's sources and zod's version.
function validationRules(): Buffer {
  rules ??= Buffer.concat([
    readFileSync(fromRoot('src', 'lab', 'schema.ts')),
    readFileSync(fromRoot('src', 'lab', 'vocabulary.ts')),
    readFileSync(createRequire(import.meta.url).resolve('zod/package.json')),
  ]);
  return rules;
}

// The file a validation of this data is kept in, or undefined where the data can't be serialized.
export function validatedFile(data: unknown, dir = VALIDATED_DIR): string | undefined {
  let bytes: Buffer;
  try {
    bytes = serialize(data);
  } catch {
    return undefined;
  }
  return path.join(dir, `${createHash('sha256').update(validationRules()).update(bytes).digest('hex')}.v8`);
}

// The schema's result for this lab data: the kept one where there is one, else the schema's (kept where it passed).
export async function validateLabOnce(data: unknown, dir = VALIDATED_DIR): Promise<ReturnType<typeof validateLab>> {
  const file = validatedFile(data, dir);
  if (file) {
    try {
      return { lab: deserialize(readFileSync(file)) as Lab };
    } catch {
      // Not kept yet, or unreadable: validated below.
    }
  }
  const { validateLab } = await import('./schema.ts');
  const result = validateLab(data);
  if (file && result.lab) {
    try {
      mkdirSync(dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, serialize(result.lab));
      renameSync(temp, file);
    } catch {
      // A folder that can't be written (a read-only install): validated every time.
    }
  }
  return result;
}
