// What check does to any stack, its own or one already running: the unthrottled reference download that says what
// the whole response is, what it must be to test anything, and the slow download's plan and expectation from it.
import { serverNameOf } from '../observe/app-server-words.ts';
import { hasNoTimeout, type CheckServer } from './gunicorn-facts.ts';
import type { CapacityStep, ClientProbe, ClientProgress, ClientResult } from '../client/client-output.ts';
import { throttleCommand } from '../client/throttle.ts';
import { unthrottled, type TransferPlan } from '../client/transfer-plan.ts';
import { observeTransfer, type ObserveOptions, type ObservedTransfer } from '../observe-transfer.ts';
import { clientCommand } from '../client/client-command.ts';
import { parseClientLine } from '../client/client-output.ts';
import { getDocker } from '../docker/docker-client.ts';
import { LabError, StackError } from '../errors.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { FILE_SIZE_RANGE, clientSchema, type Expectation } from '../lab/schema.ts';
import { describePace, type Pace } from './pace.ts';
import type { CheckCapacity, CheckUpload } from './check-options.ts';
import type { Topology } from '../topology/start-topology.ts';

// Below this a body fits in the socket buffers on its way and never holds a worker: not a test of anything.
export const MIN_REFERENCE_BYTES = 1024 * 1024;

// The unthrottled download that says what the whole response is: status, size, checksum.
export async function fetchReference(topology: Topology, request: CheckRequest): Promise<ClientResult> {
  let result: ClientResult | undefined;
  const run = await topology.exec('client', clientCommand(unthrottled(checkPlan(request, null, null), 120), topology.target), (line) => {
    const parsed = parseClientLine(line);
    if (parsed.type === 'result') result = parsed.result;
  });
  if (!result)
    throw new StackError(
      `The reference download gave no result (client exit ${run.exitCode}): ${run.stderr.trim().slice(-500)}`,
      'This is a bug in the client program.',
    );
  return result;
}

// where: the request in words (`GET /x through your Nginx (port 80)`); unreachable: what to check where it failed;
// flag: the one that names the download.
export async function explainReference(
  reference: ClientResult,
  topology: Topology,
  where: string,
  unreachable: string,
  flag: '--path' | '--url' = '--path',
  upload = false,
): Promise<void> {
  const status = reference.status ?? 0;
  const failed = reference.status === null || (reference.outcome !== 'complete' && reference.outcome !== 'closed');
  // A failure whose cause is an app that exited is said as that.
  if (failed || status < 200 || status >= 300) {
    const exited = await appExited(topology);
    if (exited) throw exited;
  }
  if (failed) {
    const app = await topology.lastLogLines('app', 12);
    throw new StackError(
      `${where} did not complete even unthrottled: ${reference.outcome}${reference.error ? ` (${reference.error})` : ''}.\n  Gunicorn's last lines:\n${app.map((l) => `  | ${l}`).join('\n')}`,
      unreachable,
    );
  }
  if (status < 200 || status >= 300) {
    const said = reference.bodyHead
      ?.trim()
      .split('\n')
      .slice(0, 6)
      .map((l) => `  | ${l}`)
      .join('\n');
    if (upload) {
      throw new StackError(
        `${where} answered ${reference.status} even unthrottled${said ? `:\n${said}` : '.'}`,
        status === 413
          ? "Nginx refuses a body over its client_max_body_size (1m unless set): your config's limit is what your users get too; raise it where the endpoint is, or give a smaller --upload."
          : `Give the URL path of an endpoint that takes the upload (${flag}; --method PUT where it wants PUT, --content-type where it checks it), with --header "Host: ..." if your server_name needs one.`,
      );
    }
    throw new StackError(
      `${where} answered ${reference.status} (${formatBytes(reference.bytesReceived)}).`,
      `Give the URL path of a large download that answers 200 (${flag}), with --header "Host: ..." if your server_name needs one.`,
    );
  }
  // An upload's answer may be small: its body is what the slow client sends.
  if (upload) return;
  if (reference.bytesReceived < MIN_REFERENCE_BYTES) {
    throw new StackError(
      `${where} answered ${reference.status} with only ${formatBytes(reference.bytesReceived)}: a body that small fits in the socket buffers and never holds a worker.`,
      `Give the URL of a large download (at least ${formatBytes(MIN_REFERENCE_BYTES)}) with ${flag}.`,
    );
  }
  if (reference.bytesReceived > FILE_SIZE_RANGE.max) {
    throw new StackError(
      `${where} is ${formatBytes(reference.bytesReceived)}: more than check downloads (${formatBytes(FILE_SIZE_RANGE.max)}).`,
      `Give a smaller download with ${flag}.`,
    );
  }
}

// The app's container has exited: its exit code and last lines, as the error to report; null while it runs.
async function appExited(topology: Topology, cause?: unknown): Promise<StackError | null> {
  const state = await getDocker()
    .getContainer(topology.containers.app!.id)
    .inspect()
    .then(
      (i) => i.State,
      () => null,
    );
  if (!state || state.Running) return null;
  const lines = await topology.lastLogLines('app', 12);
  return new StackError(
    `Your app's container exited (code ${state.ExitCode}) during the check:\n${lines.map((l) => `  | ${l}`).join('\n')}`,
    'Gunicorn exits when a worker fails to boot (exit 3): fix what its lines name, then run check again.',
    { cause },
  );
}

// A Docker error in the middle of a check whose app container has exited says little: the app's exit says more.
export async function explainExitedApp(topology: Topology, error: unknown): Promise<unknown> {
  if (error instanceof LabError) return error;
  return (await appExited(topology, error)) ?? error;
}

// What check asks of a stack, whoever started it: the request, and the body it sends where it uploads.
export interface CheckRequest {
  path: string;
  headers: string[];
  upload: CheckUpload | null;
  // --capacity: the capacity search instead of one slow download (absent or null: the slow download).
  capacity?: CheckCapacity | null;
}

// The request in words: `GET /x`, or `POST 8 MiB to /upload`.
export const describeRequest = (request: CheckRequest) =>
  request.upload ? `${request.upload.method} ${formatBytes(request.upload.sizeBytes)} to ${request.path}` : `GET ${request.path}`;

// The slow client(s) on a check's description line: the pace, or the capacity search's clients at it.
export function describeCheckClient(request: CheckRequest, pace: Pace): string {
  const c = request.capacity;
  return c
    ? `capacity search: up to ${c.max} slow clients at ${formatBytes(pace.rateBytesPerS)}/s each, probe ${c.probePaths.join(' or ')} within ${c.probeWithinMs / 1000} s`
    : `client ${describePace(pace, request.upload !== null)}`;
}

// The slow download's plan: the request at its pace (a crawl is the reader's own), and a second request for the same
// path a second in (how long it waits for its headers is a remedy's cost); no pace: the reference, at full speed.
// An upload's pace is the writer's: the answer is read at full speed, and no second request is sent (the path may
// take no GET).
export function checkPlan(request: CheckRequest, reference: ClientResult | null, pace: Pace | null): TransferPlan {
  const { upload } = request;
  const parsed = clientSchema.safeParse({
    path: request.path,
    headers: request.headers,
    rateBytesPerS: upload ? null : (pace?.rateBytesPerS ?? null),
    throttle: pace?.kind === 'steady' ? pace.throttle : 'reader',
    throttleFallback: !(pace?.kind === 'steady' && pace.named),
    ...(pace?.kind === 'crawl' && !upload ? { crawlSeconds: pace.seconds } : {}),
    ...(upload
      ? {
          body: 'other',
          upload: {
            sizeBytes: upload.sizeBytes,
            method: upload.method,
            contentType: upload.contentType,
            rateBytesPerS: pace?.rateBytesPerS ?? null,
            ...(pace?.kind === 'crawl' ? { crawlSeconds: pace.seconds } : {}),
          },
        }
      : {}),
    probes: pace === null || upload || request.capacity ? [] : [{ path: request.path, afterMs: 1000 }],
    ...(pace !== null && request.capacity
      ? {
          throttle: 'reader',
          crawlSeconds: undefined,
          capacity: { max: request.capacity.max, probePaths: request.capacity.probePaths, probeWithinMs: request.capacity.probeWithinMs },
        }
      : {}),
  });
  if (!parsed.success)
    throw new StackError(
      `check could not plan this download: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      'This is a bug in check.',
    );
  return { client: parsed.data, expectedBytes: reference?.bytesReceived ?? 0, statsd: false };
}

// What the slow download must get to survive: the reference's status and body (by checksum; `closed` is the
// reference's own ending where the body has no length), and no WORKER TIMEOUT.
// An upload's answer is compared by status and ending only: an app's answer may differ from one request to the next.
export function checkExpectation(reference: ClientResult, upload = false): Expectation {
  return {
    workerTimeout: false,
    outcome: reference.outcome,
    ...(upload ? {} : { checksumMatches: true }),
    ...(reference.status ? { clientStatus: reference.status } : {}),
  };
}

// What a capacity check must see: at least `want` slow clients held while the probe was answered in time.
export function capacityExpectation(want: number): Expectation {
  return { capacityHeldAtLeast: want };
}

// The number a capacity check wants: --capacity-want, else one more than the stack's workers (1 where unknown).
export function capacityWant(capacity: CheckCapacity, workers: number | null): number {
  return capacity.want ?? Math.min(capacity.max, (workers ?? 1) + 1);
}

export function checkHypothesis(request: CheckRequest, reference: ClientResult, pace: Pace, want?: number, server?: CheckServer): string {
  if (request.capacity && want !== undefined) {
    const { probePaths, probeWithinMs } = request.capacity;
    return `Your stack holds at least ${want} slow client(s) (each reading GET ${request.path}, ${formatBytes(reference.bytesReceived)}, at ${formatBytes(pace.rateBytesPerS)}/s) while a probe of ${probePaths.join(' or ')} is answered within ${probeWithinMs / 1000} s.`;
  }
  const who = request.upload ? 'writes' : 'reads';
  // What the crawl outlasts, and the kill it must not see: a server with no timeout has neither, only the crawl's length.
  const [past, kill] = hasNoTimeout(server)
    ? [(seconds: number) => `for ${seconds} s (${serverNameOf(server)} has no timeout that kills it)`, 'kill']
    : server === 'uwsgi'
      ? [() => "past uWSGI's harakiri", 'HARAKIRI']
      : [() => "past Gunicorn's timeout", 'WORKER TIMEOUT'];
  const client =
    pace.kind === 'crawl'
      ? `a client that ${who} at a crawl (${formatBytes(pace.rateBytesPerS)}/s) ${past(pace.seconds)}`
      : `a client that ${who} at ${formatBytes(pace.rateBytesPerS)}/s`;
  return request.upload
    ? `Your stack takes ${describeRequest(request)} from ${client} with no ${kill} and the status an unthrottled upload gets (${reference.status}).`
    : `Your stack serves GET ${request.path} (${formatBytes(reference.bytesReceived)}) to ${client} with no ${kill}, the same status and the whole body.`;
}

// A server with no timeout (Waitress, Uvicorn, Hypercorn) never kills the slow client's request: what it can lose is
// what serves other requests. Said where the second request (1 s in) waited over a second for its answer.
export function heldBySlowClient(server: CheckServer | undefined, probes: readonly ClientProbe[]): string | null {
  if (!hasNoTimeout(server)) return null;
  const waited = probes.filter((p) => p.latencyMs !== null && p.latencyMs > 1000);
  if (!waited.length) return null;
  const ms = Math.max(...waited.map((p) => p.latencyMs!));
  return `${serverNameOf(server)} has no timeout mechanism, so nothing kills the slow client's request, but it held what serves requests (threads held): a second request waited ${(ms / 1000).toFixed(2)} s; as many slow clients as it has threads stall every other request (--capacity finds how many it holds)`;
}

// The slow download of a check, whoever started the stack: the client shaped, then the transfer observed against the
// reference. Lines of a proxy's log may never come (it may log to files): the wait goes on without them.
export async function slowDownload(
  topology: Topology,
  plan: TransferPlan,
  reference: ClientResult,
  options: Pick<ObserveOptions, 'started' | 'amend' | 'onEvidence' | 'onFallback'> & {
    onProgress?: (progress: ClientProgress, totalBytes: number) => void;
    // The expectation the evidence is waited for (a capacity check's); absent: the slow download's.
    expectation?: Expectation;
    onStep?: (step: CapacityStep) => void;
  },
): Promise<ObservedTransfer> {
  const throttle = throttleCommand(plan.client);
  if (throttle) await topology.shape(throttle);
  const { onProgress } = options;
  return observeTransfer(topology, plan, {
    ...options,
    fileSha256: reference.sha256 ?? '',
    expectation: options.expectation ?? checkExpectation(reference, plan.client.upload !== undefined),
    onProgress: onProgress ? (p) => onProgress(p, reference.bytesReceived) : undefined,
    optional: (missing) => missing.startsWith('Nginx'),
  });
}
