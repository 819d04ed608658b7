// What check does to any stack, its own or one already running: the unthrottled reference download that says what
// the whole response is, what it must be to test anything, and the run described as a lab for the observer and judge.
import type { ClientProgress, ClientResult } from '../client/client-output.ts';
import { throttleCommand } from '../client/throttle.ts';
import { observeTransfer, type ObserveOptions, type ObservedTransfer } from '../observe-transfer.ts';
import { clientCommand } from '../client/client-command.ts';
import { parseClientLine } from '../client/client-output.ts';
import { getDocker } from '../docker/docker-client.ts';
import { LabError, StackError } from '../errors.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { FILE_SIZE_RANGE, validateLab, type Lab, type Stack, type THROTTLES } from '../lab/schema.ts';
import type { Topology } from '../topology/start-topology.ts';

// Below this a body fits in the socket buffers on its way and never holds a worker: not a test of anything.
export const MIN_REFERENCE_BYTES = 1024 * 1024;

// The unthrottled download that says what the whole response is: status, size, checksum.
export async function fetchReference(topology: Topology, lab: Lab): Promise<ClientResult> {
  const fast: Lab = { ...lab, client: { ...lab.client, rateBytesPerS: null, probes: [], maxSeconds: 120 } };
  let result: ClientResult | undefined;
  const run = await topology.exec('client', clientCommand(fast, topology.target), (line) => {
    const parsed = parseClientLine(line);
    if (parsed.type === 'result') result = parsed.result;
  });
  if (!result) throw new StackError(`The reference download gave no result (client exit ${run.exitCode}): ${run.stderr.trim().slice(-500)}`, 'This is a bug in the client program.');
  return result;
}

// where: the request in words (`GET /x through your Nginx (port 80)`); unreachable: what to check where it failed;
// flag: the one that names the download.
export async function explainReference(reference: ClientResult, topology: Topology, where: string, unreachable: string, flag: '--path' | '--url' = '--path'): Promise<void> {
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
    throw new StackError(`${where} answered ${reference.status} (${formatBytes(reference.bytesReceived)}).`, `Give the URL path of a large download that answers 200 (${flag}), with --header "Host: ..." if your server_name needs one.`);
  }
  if (reference.bytesReceived < MIN_REFERENCE_BYTES) {
    throw new StackError(
      `${where} answered ${reference.status} with only ${formatBytes(reference.bytesReceived)}: a body that small fits in the socket buffers and never holds a worker.`,
      `Give the URL of a large download (at least ${formatBytes(MIN_REFERENCE_BYTES)}) with ${flag}.`,
    );
  }
  if (reference.bytesReceived > FILE_SIZE_RANGE.max) {
    throw new StackError(`${where} is ${formatBytes(reference.bytesReceived)}: more than check downloads (${formatBytes(FILE_SIZE_RANGE.max)}).`, `Give a smaller download with ${flag}.`);
  }
}

// The app's container has exited: its exit code and last lines, as the error to report; null while it runs.
async function appExited(topology: Topology, cause?: unknown): Promise<StackError | null> {
  const state = await getDocker().getContainer(topology.containers.app!.id).inspect().then((i) => i.State, () => null);
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

// What check asks of a stack, whoever started it: the request, the Debian release of the client, the throttle.
export interface CheckRequest {
  path: string;
  headers: string[];
  stack: Stack;
  throttle: (typeof THROTTLES)[number];
  // Whether a proxy stands between the client and Gunicorn.
  proxied: boolean;
}

export function checkLab(options: CheckRequest, reference: ClientResult | null, rateBytesPerS: number | null): Lab {
  const size = reference?.bytesReceived ?? FILE_SIZE_RANGE.min;
  const { lab, problems } = validateLab({
    hypothesis: `Your stack serves GET ${options.path} (${formatBytes(size)}) to a client held at ${rateBytesPerS === null ? 'full speed' : `${formatBytes(rateBytesPerS)}/s`} with no WORKER TIMEOUT, the same status and the whole body.`,
    stack: options.stack,
    fileSizeBytes: Math.max(FILE_SIZE_RANGE.min, Math.min(FILE_SIZE_RANGE.max, size)),
    nginx: options.proxied ? {} : null,
    // A second request for the same path a second in: how long it waits for its headers is a remedy's cost.
    client: { path: options.path, headers: options.headers, rateBytesPerS, throttle: options.throttle, probes: rateBytesPerS === null ? [] : [{ path: options.path, afterMs: 1000 }] },
    // The reference's own ending: `closed` where the body has no length (then the checksum is the proof).
    expect: { workerTimeout: false, outcome: reference?.outcome ?? 'complete', checksumMatches: true, ...(reference?.status ? { clientStatus: reference.status } : {}) },
  });
  if (!lab) throw new StackError(`check could not describe this run: ${problems.join('; ')}`, 'This is a bug in check.');
  return lab;
}


// The slow download of a check, whoever started the stack: the client shaped, then the transfer observed against the
// reference. Lines of a proxy's log may never come (it may log to files): the wait goes on without them.
export async function slowDownload(
  topology: Topology,
  lab: Lab,
  reference: ClientResult,
  options: Pick<ObserveOptions, 'started' | 'amend' | 'onEvidence'> & { onProgress?: (progress: ClientProgress, totalBytes: number) => void },
): Promise<ObservedTransfer> {
  const throttle = throttleCommand(lab.client);
  topology.clientSetup = throttle ? { ...(await topology.shape(throttle)), command: throttle } : null;
  const { onProgress } = options;
  return observeTransfer(topology, lab, {
    ...options,
    fileSha256: reference.sha256 ?? '',
    expectation: lab.expect,
    onProgress: onProgress ? (p) => onProgress(p, reference.bytesReceived) : undefined,
    optional: (missing) => missing.startsWith('Nginx'),
  });
}
