// Identity function that exists only for typing: a lab file is data, checked by the schema when loaded.
import type { LabInput } from './schema.ts';

export { KiB, MiB } from './vocabulary.ts';

export function defineLab(lab: LabInput): LabInput {
  return lab;
}
