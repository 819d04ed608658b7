// Identity function that exists only for typing: a lab file is data, checked by the schema when loaded.
import type { LabInput } from './schema.ts';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export function defineLab(lab: LabInput): LabInput {
  return lab;
}
