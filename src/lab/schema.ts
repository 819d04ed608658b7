// The one schema of a lab: validates lab files and overrides, supplies defaults, and yields the types.
import { z } from 'zod';
import {
  CONTENT_TYPE,
  FILE_SIZE_RANGE,
  FRONTS,
  GiB,
  KiB,
  MiB,
  MISSING_FRONTS,
  MISSING_WORKERS,
  OUTCOMES,
  PROBE_OUTCOMES,
  RATE_RANGE,
  RELEASES,
  SERVERS,
  SPILL_OUTCOMES,
  UPSTREAM_PROTOCOLS,
  STREAMING_OUTCOMES,
  BODIES,
  CAPACITY_HOLDERS,
  CAPACITY_RANGE,
  THROTTLES,
  TIMEOUT_RANGE,
  WORKERS,
  labReleases,
  missingHttp2,
  releasesWith,
} from './vocabulary.ts';

export * from './vocabulary.ts';

const wholeNumberIn = (min: number, max: number, unit: string, show: (n: number) => string = String) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int({ error: `must be a whole number of ${unit}` })
    .min(min, { error: `must be from ${show(min)} to ${show(max)} ${unit}` })
    .max(max, { error: `must be from ${show(min)} to ${show(max)} ${unit}` });

const showMiB = (n: number) => (n >= MiB ? `${n / MiB} MiB (${n})` : `${n / KiB} KiB (${n})`);

// What a lab may assert about an observation; the same vocabulary states the article's claims.
const expectationFields = z.strictObject({
  outcome: z.enum(OUTCOMES).optional(),
  clientStatus: z.number().int().min(100).max(599).optional(),
  workerTimeout: z.boolean().optional(),
  checksumMatches: z.boolean().optional(),
  // An upload: the app answered that it received the whole body, every byte with the same checksum (true), or
  // never said so (false: cut, refused, or no answer).
  appGotWholeUpload: z.boolean().optional(),
  nginxErrorIncludes: z.string().min(1).optional(),
  // A front other than Nginx says this in a line about the download: an error line, or its access line's ending
  // (HAProxy's termination state, e.g. "SD").
  frontLogIncludes: z.string().min(1).optional(),
  gunicornAccessStatus: z.number().int().min(100).max(599).optional(),
  // How many requests Gunicorn's access log records (0: Nginx served the file without it).
  gunicornAccessLines: z.number().int().min(0).optional(),
  // Every request Gunicorn logged took at most this long (the app hands the transfer to Nginx).
  gunicornRequestMaxMs: z.number().positive().optional(),
  // Nginx's upstream finished within half of the client's request time: the proxy buffered the body.
  upstreamDoneFirst: z.boolean().optional(),
  // Every side request (client.probes) waited 1.5 s or more for its headers (true: it queued for a worker or a
  // thread), or every one was answered within a second (false); unlike `probes`, not measured against the download.
  sideRequestsWaited: z.boolean().optional(),
  // The request itself: its headers came within a second of sending it (immediate), or only after 1.5 s or more
  // (held: it waited for a worker, e.g. behind idle connections).
  requestAnswer: z.enum(PROBE_OUTCOMES).optional(),
  // The side requests (client.probes): answered at once, or held about as long as the download had left.
  probes: z.enum(PROBE_OUTCOMES).optional(),
  // Gunicorn's statsd counter gunicorn.log.critical arrived within a few seconds of a WORKER TIMEOUT (true), or
  // statsd metrics arrived and that counter never did (false): the signal an alert would use.
  timeoutAlert: z.boolean().optional(),
  // The first WORKER TIMEOUT came this many seconds into the request, or up to 3 s later (the arbiter looks once a
  // second): the timeout in force, whoever set it.
  workerTimeoutNearS: z.number().positive().optional(),
  // The first body byte within the first quarter of the transfer (live) or in its last fifth (held).
  streaming: z.enum(STREAMING_OUTCOMES).optional(),
  // Nginx's temp files (its proxy buffers spilled to disk) held at once at least 90 % of the file (most), or
  // never a byte (none).
  nginxSpill: z.enum(SPILL_OUTCOMES).optional(),
  // The capacity search (client.capacity): the most slow clients the stack held while its probe was answered in time,
  // exactly, or at least this many (the search's cap: it never stalled).
  capacityHeld: z.number().int().min(0).max(CAPACITY_RANGE.max).optional(),
  capacityHeldAtLeast: z.number().int().min(1).max(CAPACITY_RANGE.max).optional(),
  // Which layer held the slow clients at the search's top: the front (it had the whole responses; the app had
  // finished them) or the app server (its workers, threads or event loop kept them).
  capacityHeldBy: z.enum(CAPACITY_HOLDERS).optional(),
});

export const expectationSchema = expectationFields.refine((e) => Object.values(e).some((v) => v !== undefined), {
  error: 'must name at least one expectation',
});

export const gunicornSchema = z.strictObject({
  worker: z.enum(WORKERS, { error: `must be one of ${WORKERS.join(', ')}` }).default('sync'),
  workers: wholeNumberIn(1, 8, 'worker processes').default(1),
  threads: wholeNumberIn(1, 64, 'threads').default(1),
  // null: Gunicorn's own default (GUNICORN_DEFAULT_TIMEOUT_S), not passed on its command line.
  timeoutS: wholeNumberIn(TIMEOUT_RANGE.min, TIMEOUT_RANGE.max, 'seconds').nullable().default(2),
  // Gunicorn sends statsd metrics (--statsd-host) to a listener in the client container.
  statsd: z.boolean().default(false),
  // Cleartext HTTP/2 beside HTTP/1.1 (--http-protocols h2,h1 --http2-cleartext prior-knowledge; Gunicorn 26.2).
  http2: z.boolean().default(false),
});

// The app server, where it is not Gunicorn (whose settings are `gunicorn`'s): each kind with its own settings.
export const uwsgiSchema = z.strictObject({
  kind: z.literal('uwsgi'),
  processes: wholeNumberIn(1, 8, 'worker processes').default(1),
  // --harakiri: the seconds a request may run before the master kills its worker; null: no harakiri.
  harakiriS: wholeNumberIn(1, 3600, 'seconds').nullable().default(2),
  // --offload-threads: threads that send file responses for the workers; 0: each worker sends its own.
  offloadThreads: wholeNumberIn(0, 8, 'threads').default(0),
});
export const waitressSchema = z.strictObject({
  kind: z.literal('waitress'),
  // --threads: the app's threads; Waitress's own I/O loop sends the buffered responses.
  threads: wholeNumberIn(1, 64, 'threads').default(4),
});
// Apache with mod_wsgi in daemon mode: Apache's children relay what the daemon's threads write.
export const modWsgiSchema = z.strictObject({
  kind: z.literal('mod_wsgi'),
  processes: wholeNumberIn(1, 8, 'daemon processes').default(1),
  threads: wholeNumberIn(1, 64, 'threads').default(1),
  // request-timeout: the seconds a request may run before the daemon process is restarted; null: none (its default).
  requestTimeoutS: wholeNumberIn(1, 3600, 'seconds').nullable().default(2),
});
// Uvicorn and Hypercorn alone: one process, the ASGI app on its event loop.
export const asgiServerSchema = z.strictObject({ kind: z.enum(['uvicorn', 'hypercorn']) });
export const serverSchema = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('gunicorn') }), uwsgiSchema, waitressSchema, modWsgiSchema, asgiServerSchema],
  {
    error: `kind must be one of ${SERVERS.join(', ')}`,
  },
);

export const nginxSchema = z.strictObject({
  proxyBuffering: z.boolean().default(false),
  // `http2 on`: the client may speak cleartext HTTP/2 (prior knowledge) to Nginx, HTTP/1.1 still served beside it.
  http2: z.boolean().default(false),
  // proxy_http_version to Gunicorn: the labs use 1.1. With 1.0 (the default of Nginx 1.22 and 1.26; Nginx 1.30
  // proxies with 1.1 by default, as Gunicorn's access lines show) Gunicorn ends a generated body by closing.
  proxyHttpVersion: z.enum(['1.0', '1.1'], { error: 'must be "1.0" or "1.1"' }).default('1.1'),
  // proxy_max_temp_file_size; absent: Nginx's default (1024m).
  maxTempFileSizeBytes: z.number().int().min(0).max(GiB).optional(),
  // proxy_request_buffering: Nginx reads a request's whole body before it passes the request on (its default).
  proxyRequestBuffering: z.boolean().default(true),
  // proxy_read_timeout and send_timeout; absent: Nginx's defaults (60 s).
  proxyReadTimeoutS: wholeNumberIn(1, 3600, 'seconds').optional(),
  sendTimeoutS: wholeNumberIn(1, 3600, 'seconds').optional(),
  // How Nginx speaks to the app: proxy_pass over HTTP, or uwsgi_pass (then proxyBuffering is uwsgi_buffering).
  protocol: z.enum(UPSTREAM_PROTOCOLS, { error: `must be one of ${UPSTREAM_PROTOCOLS.join(', ')}` }).default('http'),
});

export const frontSchema = z.strictObject({
  kind: z.enum(FRONTS, { error: `must be one of ${FRONTS.join(', ')}` }),
  // Caddy: reverse_proxy buffers the whole response (`buffer_responses` up to Caddy 2.6, `response_buffers` after).
  bufferResponses: z.boolean().default(false),
  // Apache: mod_xsendfile sends the file the app names in an X-Sendfile header, from the shared data folder.
  xSendFile: z.boolean().default(false),
});

export const clientSchema = z.strictObject({
  path: z.string().startsWith('/', { error: 'must start with /' }).default('/files/large.bin'),
  body: z.enum(BODIES, { error: `must be one of ${BODIES.join(', ')}` }).default('file'),
  // null: the client reads as fast as the network gives.
  rateBytesPerS: wholeNumberIn(RATE_RANGE.min, RATE_RANGE.max, 'bytes per second', showMiB)
    .nullable()
    .default(1 * MiB),
  throttle: z.enum(THROTTLES, { error: `must be one of ${THROTTLES.join(', ')}` }).default('network'),
  // Where the network throttle can't be set up (the engine's kernel lacks ifb or a tc action), the reader throttle stands
  // in and the run says so; false: the run needs the shaped link itself (`--throttle network` asked by name), and
  // it does not run there.
  throttleFallback: z.boolean().default(true),
  maxSeconds: z.number().positive().max(600, { error: 'must be at most 600 seconds' }).optional(),
  // The reader keeps to its rate only this long after the headers, then reads the rest at full speed (check's crawl).
  crawlSeconds: z
    .number()
    .positive()
    .max(TIMEOUT_RANGE.max + 360)
    .optional(),
  // The download over cleartext HTTP/2 (h2c, prior knowledge): its DATA frames acknowledged as the reader takes them.
  http2: z.boolean().default(false),
  // Extra request headers for the download and the side requests, e.g. "Host: example.com".
  headers: z.array(z.string().regex(/^[A-Za-z0-9-]+:\s*\S/, { error: 'must look like "Name: value"' })).default([]),
  // A Range header for the download, e.g. "bytes=0-".
  range: z
    .string()
    .regex(/^bytes=\d*-\d*$/, { error: 'must look like bytes=0- or bytes=100-199' })
    .optional(),
  // A request body sent first (POST to the path, whose answer is then read at the client's rate): its size, the
  // rate it is written at (null: as fast as it goes), and whether it goes in chunks with no Content-Length.
  upload: z
    .strictObject({
      sizeBytes: wholeNumberIn(1, FILE_SIZE_RANGE.max, 'bytes', showMiB),
      rateBytesPerS: wholeNumberIn(RATE_RANGE.min, RATE_RANGE.max, 'bytes per second', showMiB).nullable().default(null),
      chunked: z.boolean().default(false),
      method: z.enum(['POST', 'PUT']).default('POST'),
      contentType: z.string().regex(CONTENT_TYPE, { error: 'must look like type/subtype' }).default('application/octet-stream'),
      // The writer keeps to its rate only this long, then writes the rest at full speed (check's crawl).
      crawlSeconds: z
        .number()
        .positive()
        .max(TIMEOUT_RANGE.max + 360)
        .optional(),
    })
    .optional(),
  // Connections that send nothing, opened just before the request and held open this long (unless the server closes
  // them): a stalled client or a browser's preconnect.
  idleConnections: z.strictObject({ count: wholeNumberIn(1, 16, 'connections'), seconds: z.number().positive().max(120) }).optional(),
  // The capacity search instead of one download: slow clients (downloads of the path at the reader's rate, held
  // open) added 1, 2, 4, ... up to `max`, then bisected, while a probe of the first of `probePaths` that answers must be answered within
  // `probeWithinMs` (a load balancer's health check).
  capacity: z
    .strictObject({
      max: wholeNumberIn(CAPACITY_RANGE.min, CAPACITY_RANGE.max, 'slow clients').default(64),
      // The first of these that answers in time with a status below 400, before any slow client, is probed.
      probePaths: z
        .array(z.string().startsWith('/', { error: 'must start with /' }))
        .min(1)
        .max(4)
        .default(['/ping']),
      probeWithinMs: wholeNumberIn(100, 30_000, 'milliseconds').default(1000),
    })
    .optional(),
  // Downloads of the path at once, each paced on its own (the reader throttle: one shaper shared by all flows
  // would serve them like fast clients in a row).
  downloads: wholeNumberIn(1, 32, 'downloads').default(1),
  // Side requests sent while the download runs, to see whether the server still answers.
  probes: z
    .array(z.strictObject({ path: z.string().startsWith('/', { error: 'must start with /' }), afterMs: z.number().int().min(0).max(600_000) }))
    // Each from a port of its own that the throttle leaves unshaped (PROBE_PORTS in client/throttle.ts).
    .max(16, { error: 'at most 16 side requests' })
    .default([]),
});

export const claimSchema = z.strictObject({
  quote: z.string().min(1),
  says: expectationSchema,
});

export const labSchema = z
  .strictObject({
    hypothesis: z.string().min(10, { error: 'must state the hypothesis in a sentence' }),
    release: z.enum(RELEASES, { error: `must be one of ${RELEASES.join(', ')}` }).default('bookworm'),
    fileSizeBytes: wholeNumberIn(FILE_SIZE_RANGE.min, FILE_SIZE_RANGE.max, 'bytes', showMiB).default(8 * MiB),
    // false: the containers keep the kernel's own socket buffers (production-defaults).
    pinSocketBuffers: z.boolean().default(true),
    // A lab that takes a minute or more: `--all` leaves it out unless --include-slow.
    slow: z.boolean().default(false),
    // The app server: Gunicorn (set with `gunicorn`), or another kind with its own settings.
    server: serverSchema.default({ kind: 'gunicorn' }),
    gunicorn: gunicornSchema.prefault({}),
    // null: no proxy, the client talks to Gunicorn directly.
    nginx: nginxSchema.nullable().prefault({}),
    // Another front instead of Nginx (then nginx: null); null: none, or Nginx.
    front: frontSchema.nullable().default(null),
    client: clientSchema.prefault({}),
    expect: expectationSchema,
    // Where a Debian release's Gunicorn or Nginx behaves otherwise, what to expect there instead, key by key
    // (a key set to undefined drops that expectation on that release).
    expectByRelease: z.partialRecord(z.enum(RELEASES), expectationFields).default({}),
    claims: z.array(claimSchema).default([]),
    // Where the hypothesis comes from when the article makes no claim about it (a user's report, a project's docs):
    // every lab file names an article claim or this (the labs' integration test holds them to it).
    hypothesisFrom: z.string().min(3).optional(),
  })
  .superRefine((lab, ctx) => {
    if (lab.client.downloads > 1 && lab.client.throttle !== 'reader' && lab.client.rateBytesPerS !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['client', 'throttle'],
        message: 'must be "reader" where the client runs several downloads: each is paced on its own',
      });
    }
    if (lab.client.capacity && (lab.client.throttle !== 'reader' || lab.client.rateBytesPerS === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['client', 'throttle'],
        message: 'must be "reader", with a rate, where the client searches capacity: each slow client is paced on its own',
      });
    }
    if (lab.client.capacity && (lab.client.downloads > 1 || lab.client.upload || lab.client.probes.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['client', 'capacity'],
        message: 'is a transfer of its own: leave out downloads, upload and probes beside it',
      });
    }
    if (lab.server.kind !== 'gunicorn' && JSON.stringify(lab.gunicorn) !== JSON.stringify(gunicornSchema.parse({}))) {
      ctx.addIssue({ code: 'custom', path: ['gunicorn'], message: `is Gunicorn's; this lab's server is ${lab.server.kind}: set its settings under server` });
    }
    if (lab.nginx?.protocol === 'uwsgi' && lab.server.kind !== 'uwsgi') {
      ctx.addIssue({ code: 'custom', path: ['nginx', 'protocol'], message: 'uwsgi speaks to a uWSGI server only: set server: { kind: "uwsgi" }' });
    }
    if (lab.nginx && lab.nginx.protocol === 'uwsgi' && !lab.nginx.proxyRequestBuffering) {
      ctx.addIssue({
        code: 'custom',
        path: ['nginx', 'proxyRequestBuffering'],
        message: 'is proxy_request_buffering: with protocol uwsgi the labs leave it on',
      });
    }
    if (lab.front && lab.nginx) {
      ctx.addIssue({ code: 'custom', path: ['front'], message: 'a lab has one front before Gunicorn: set nginx: null beside front' });
    }
    if (lab.front?.bufferResponses && lab.front.kind !== 'caddy') {
      ctx.addIssue({ code: 'custom', path: ['front', 'bufferResponses'], message: 'is a Caddy setting (reverse_proxy buffering)' });
    }
    if (lab.front?.xSendFile && lab.front.kind !== 'apache') {
      ctx.addIssue({ code: 'custom', path: ['front', 'xSendFile'], message: 'is an Apache setting (mod_xsendfile)' });
    }
    const frontMissing = lab.front ? MISSING_FRONTS[lab.release]?.[lab.front.kind] : undefined;
    if (frontMissing) {
      ctx.addIssue({
        code: 'custom',
        path: ['front', 'kind'],
        message: `${lab.front!.kind} is not available on ${lab.release}: ${frontMissing}; run it on ${labReleases(lab).join(' or ')}`,
      });
    }
    const http2 = missingHttp2(lab, lab.release);
    if (http2) {
      ctx.addIssue({
        code: 'custom',
        path: [http2.path, 'http2'],
        message: `cleartext HTTP/2 is not available on ${lab.release}: ${http2.why}; run it on ${labReleases(lab).join(' or ')}`,
      });
    }
    if (lab.client.http2 && !(lab.nginx ? lab.nginx.http2 : lab.front === null && lab.server.kind === 'gunicorn' && lab.gunicorn.http2)) {
      ctx.addIssue({
        code: 'custom',
        path: ['client', 'http2'],
        message: 'needs a server that speaks cleartext HTTP/2 to it: nginx.http2, or with no proxy gunicorn.http2',
      });
    }
    const missing = MISSING_WORKERS[lab.release]?.[lab.gunicorn.worker];
    if (missing) {
      ctx.addIssue({
        code: 'custom',
        path: ['gunicorn', 'worker'],
        message: `${lab.gunicorn.worker} is not available on ${lab.release}: ${missing}; run it on ${releasesWith(lab.gunicorn.worker).join(' or ')}`,
      });
    }
  });

export type LabInput = z.input<typeof labSchema>;
export type Lab = z.output<typeof labSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type Claim = z.output<typeof claimSchema>;

// Validates raw lab data; returns the resolved lab or every problem as `path: message`.
export function validateLab(data: unknown): { lab: Lab; problems?: undefined } | { lab?: undefined; problems: string[] } {
  const result = labSchema.safeParse(data);
  if (result.success) return { lab: result.data };
  return {
    problems: result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(lab)'}: ${issue.message}`),
  };
}
