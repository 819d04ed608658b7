// A comparison: one set-up run in several configurations (variants), judged by relations between their measured
// numbers (gevent completes more downloads than sync), never by fixed constants. Its file is labs/comparisons/<name>.ts.
import { z } from 'zod';
import { applyOverrides, type Overrides } from './overrides.ts';
import { labSchema, labReleases, RELEASES, validateLab, type Lab, type LabInput, type Release } from './schema.ts';

// What a relation can compare: numbers of CapacityObservation, the app's memory, Nginx's temp files at most, and
// Gunicorn's time on the download.
export const MEASURES = [
  'completed',
  'cut',
  'unfinished',
  'waited',
  'peakConcurrent',
  'memoryPerDownloadBytes',
  'appPeakBytes',
  'nginxTempPeakBytes',
  'gunicornBusyMs',
  // The capacity search's figure (client.capacity): slow clients held while the probe was answered in time.
  'slowClientsHeld',
] as const;
export type Measure = (typeof MEASURES)[number];

const VARIANT_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export const relationSchema = z.strictObject({
  left: z.string(),
  measure: z.enum(MEASURES, { error: `must be one of ${MEASURES.join(', ')}` }),
  op: z.enum(['>', '<'], { error: 'must be ">" or "<"' }),
  right: z.string(),
});

// A lab's gunicorn, nginx and client fields as written (no defaults filled in yet, so a variant's fields lay over
// the comparison's and nothing else): each variant is checked whole by the lab schema once they are merged.
const fields = z.record(z.string(), z.unknown());

const variantSchema = z.strictObject({
  // The variant's own file size, else the comparison's (no default here: the lab schema checks the range).
  fileSizeBytes: z.number().optional(),
  // Laid over the comparison's own gunicorn, nginx and client; nginx: null runs the variant without a proxy.
  gunicorn: fields.optional(),
  nginx: fields.nullable().optional(),
  client: fields.optional(),
  // The app server, where the variant's is not the comparison's (Gunicorn unless the comparison names one).
  server: fields.optional(),
});

export const comparisonSchema = z
  .strictObject({
    hypothesis: z.string().min(10, { error: 'must state the hypothesis in a sentence' }),
    release: z.enum(RELEASES, { error: `must be one of ${RELEASES.join(', ')}` }).default('bookworm'),
    fileSizeBytes: labSchema.shape.fileSizeBytes,
    gunicorn: fields.default({}),
    nginx: fields.nullable().default({}),
    client: fields.default({}),
    server: fields.optional(),
    variants: z.record(z.string().regex(VARIANT_NAME, { error: 'a variant name is lower-case letters, digits and dashes' }), variantSchema),
    relations: z.array(relationSchema).min(1, { error: 'must name at least one relation' }),
    claims: z.array(z.strictObject({ quote: z.string().min(1), says: z.array(relationSchema).min(1) })).default([]),
  })
  .superRefine((c, ctx) => {
    const names = Object.keys(c.variants);
    if (names.length < 2) ctx.addIssue({ code: 'custom', path: ['variants'], message: 'must name at least two variants to compare' });
    const check = (relation: z.output<typeof relationSchema>, path: Array<string | number>) => {
      for (const side of ['left', 'right'] as const) {
        if (!names.includes(relation[side]))
          ctx.addIssue({ code: 'custom', path: [...path, side], message: `"${relation[side]}" is not a variant (${names.join(', ')})` });
      }
      if (relation.left === relation.right) ctx.addIssue({ code: 'custom', path: [...path, 'right'], message: 'a variant compared with itself' });
    };
    c.relations.forEach((r, i) => check(r, ['relations', i]));
    c.claims.forEach((claim, i) => claim.says.forEach((r, j) => check(r, ['claims', i, 'says', j])));
  });

// Typed like a lab file's fields; the schema above only holds them until each variant is checked whole.
export type ComparisonInput = Omit<z.input<typeof comparisonSchema>, 'gunicorn' | 'nginx' | 'client' | 'server' | 'variants'> & {
  gunicorn?: LabInput['gunicorn'];
  nginx?: LabInput['nginx'];
  client?: LabInput['client'];
  server?: LabInput['server'];
  variants: Record<
    string,
    { fileSizeBytes?: number; gunicorn?: LabInput['gunicorn']; nginx?: LabInput['nginx']; client?: LabInput['client']; server?: LabInput['server'] }
  >;
};
export type Comparison = z.output<typeof comparisonSchema>;
export type Relation = z.output<typeof relationSchema>;

// Identity function for typing a comparison file; the schema checks it when loaded.
export function defineComparison(comparison: ComparisonInput): ComparisonInput {
  return comparison;
}

export function validateComparison(data: unknown): { comparison: Comparison; problems?: undefined } | { comparison?: undefined; problems: string[] } {
  const result = comparisonSchema.safeParse(data);
  if (result.success) return { comparison: result.data };
  return { problems: result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(comparison)'}: ${issue.message}`) };
}

// The comparison's own release (or the one asked for) with every variant resolved into a lab, overrides laid over each
// (so `--worker sync` makes every variant sync, and the relations must then fail). A variant's lab expects nothing
// itself: the comparison's relations are its verdict.
export function resolveVariants(
  name: string,
  comparison: Comparison,
  overrides: Overrides = {},
): { variants: Array<{ variant: string; lab: Lab }>; problems: string[] } {
  const problems: string[] = [];
  const variants: Array<{ variant: string; lab: Lab }> = [];
  for (const [variant, own] of Object.entries(comparison.variants)) {
    const nginx = own.nginx === null || (own.nginx === undefined && comparison.nginx === null) ? null : { ...comparison.nginx, ...own.nginx };
    const input: LabInput = {
      hypothesis: `Variant ${variant} of the comparison ${name}: ${comparison.hypothesis}`,
      release: comparison.release,
      fileSizeBytes: own.fileSizeBytes ?? comparison.fileSizeBytes,
      gunicorn: { ...comparison.gunicorn, ...own.gunicorn } as LabInput['gunicorn'],
      nginx: nginx as LabInput['nginx'],
      client: { ...comparison.client, ...own.client } as LabInput['client'],
      ...((own.server ?? comparison.server) ? { server: (own.server ?? comparison.server) as LabInput['server'] } : {}),
      // Replaced below: the schema asks every lab to expect something, a variant expects nothing of its own.
      expect: { workerTimeout: false },
    };
    const result = validateLab(applyOverrides(input, overrides));
    if (result.problems) problems.push(...result.problems.map((p) => `variants.${variant}: ${p}`));
    else variants.push({ variant, lab: { ...result.lab, expect: {}, expectByRelease: {}, claims: [] } });
  }
  return { variants, problems };
}

// The releases where every variant's worker exists (read off the resolved variants: one place for the defaults).
export function comparisonReleases(variants: ReadonlyArray<{ lab: Lab }>): Release[] {
  return RELEASES.filter((release) => variants.every(({ lab }) => labReleases(lab).includes(release)));
}
