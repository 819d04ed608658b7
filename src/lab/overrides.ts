// Applies the CLI's exploring overrides (--rate, --file-size, ...) to a lab's raw data before validation.
import type { LabInput, Stack, Worker } from './schema.ts';

export interface Overrides {
  fileSizeBytes?: number;
  rateBytesPerS?: number | null;
  timeoutS?: number;
  worker?: Worker;
  throttle?: 'network' | 'reader';
  stack?: Stack;
}

// Returns a copy of the lab input with each given override in place; the schema then checks the values.
export function applyOverrides(input: LabInput, overrides: Overrides): LabInput {
  const out: LabInput = { ...input, gunicorn: { ...input.gunicorn }, client: { ...input.client } };
  if (overrides.fileSizeBytes !== undefined) out.fileSizeBytes = overrides.fileSizeBytes;
  if (overrides.stack !== undefined) out.stack = overrides.stack;
  if (overrides.timeoutS !== undefined) out.gunicorn!.timeoutS = overrides.timeoutS;
  if (overrides.worker !== undefined) out.gunicorn!.worker = overrides.worker;
  if (overrides.rateBytesPerS !== undefined) out.client!.rateBytesPerS = overrides.rateBytesPerS;
  if (overrides.throttle !== undefined) out.client!.throttle = overrides.throttle;
  return out;
}
