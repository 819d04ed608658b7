// `check --attach`: the slow-client test against a stack that already runs on the user's own Docker network (under
// docker compose or any tool). Only the throttled client joins their network; their containers are never stopped,
// changed or exec'd into: their logs are read from the moment the check began, their buffers by a throwaway
// container in their network namespace, their memory from Docker's stats.
import { serverNameOf } from '../observe/app-server-words.ts';
import type { ContainerInspectInfo } from 'dockerode';
import { getDocker } from '../docker/docker-client.ts';
import { runOnce } from '../docker/run-once.ts';
import { StackError } from '../errors.ts';
import { ensureImages } from '../images/build-images.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { GUNICORN_DEFAULT_TIMEOUT_S } from '../lab/vocabulary.ts';
import type { LabImages } from '../images/build-images.ts';
import { openRun, type RunSession } from '../run-session.ts';
import { CLIENT, SHAPER } from '../docker/confinement.ts';
import { execStreaming } from '../topology/exec-streaming.ts';
import { LabContainer } from '../topology/lab-container.ts';
import { containerName, runLabels, type Role } from '../topology/names.ts';
import { lastLogLines, type Shaping, type Topology } from '../topology/start-topology.ts';
import { LAB_SYSCTLS } from '../topology/sysctls.ts';
import { removeRun } from '../topology/teardown.ts';
import { attachedServer, type AttachOptions } from './attach-options.ts';
import { bufferRoomBytes, parseBufferSysctls, type BufferRoom } from './buffer-room.ts';
import { choosePace } from './pace.ts';
import { hasNoTimeout } from './gunicorn-facts.ts';
import { describeCheckClient, describeRequest, type CheckRequest } from './reference.ts';
import { measureCheck, type CheckPhases } from './check-pipeline.ts';
import { CHECK_NAME, checkTitle, type AttachedStack, type CheckRun, type CheckRunOptions } from './check-run.ts';

export type { AttachedStack };
import { nextSteps } from './next-steps.ts';

// The URL as given back: the scheme its TLS says, the host and port, the path.
const urlOf = (url: AttachOptions['url']) => `${url.tls ? 'https' : 'http'}://${url.host}:${url.port}${url.path}`;

async function requireNetwork(name: string): Promise<void> {
  try {
    await getDocker().getNetwork(name).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    throw new StackError(`--attach ${name}: no such Docker network.`, "`docker network ls` lists them; a docker compose project's is <project>_default.");
  }
}

// Their container, running and on the network; never changed.
async function requireMember(flag: string, name: string, network: string): Promise<ContainerInspectInfo> {
  let info: ContainerInspectInfo;
  try {
    info = await getDocker().getContainer(name).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    throw new StackError(
      `--${flag} ${name}: no such container.`,
      "`docker ps` lists the running containers by name (a docker compose service's is <project>-<service>-1).",
    );
  }
  if (!info.State.Running)
    throw new StackError(`--${flag} ${name}: the container is not running (${info.State.Status}).`, 'Start your stack first (e.g. `docker compose up -d`).');
  const networks = Object.keys(info.NetworkSettings.Networks ?? {});
  if (!networks.includes(network)) {
    throw new StackError(
      `--${flag} ${name} is not on the network ${network} (it is on: ${networks.join(', ') || 'none'}).`,
      `Give --attach the network your containers share (here: ${networks[0] ?? 'none'}).`,
    );
  }
  return info;
}

// A throwaway container in their container's network namespace reads its buffer sizes (theirs is not exec'd into).
async function readBuffers(image: string, role: 'app' | 'nginx', id: string, runId: string): Promise<{ sendBytes: number; receiveBytes: number } | null> {
  const result = await runOnce(image, ['cat', '/proc/sys/net/ipv4/tcp_wmem', '/proc/sys/net/ipv4/tcp_rmem'], {
    name: containerName(CHECK_NAME, `buffers-${role}`, runId),
    labels: runLabels(CHECK_NAME, runId),
    networkMode: `container:${id}`,
    confinement: CLIENT,
    timeoutMs: 15_000,
  });
  return result.exitCode === 0 ? parseBufferSysctls(result.stdout) : null;
}

const nameOf = (info: ContainerInspectInfo) => info.Name.replace(/^\//, '');

// The throttled client joined to their network, and the topology the observer reads: their containers by id, never
// exec'd into; the client's own container is all the run removes. Their buffer sizes are read meanwhile.
async function joinStack(
  options: AttachOptions,
  images: LabImages,
  session: RunSession,
  app: ContainerInspectInfo,
  proxy: ContainerInspectInfo | null,
): Promise<{ topology: Topology; buffers: BufferRoom }> {
  const { runId } = session;
  const client = await new LabContainer(images.client)
    .withName(containerName(CHECK_NAME, 'client', runId))
    .withLabels(runLabels(CHECK_NAME, runId, 'client'))
    .withNetworkAlias(options.network, `lab-client-${runId}`)
    .withSysctls(LAB_SYSCTLS)
    .withConfinement(CLIENT)
    .createAndStart();
  const containers: Topology['containers'] = {
    app: { id: app.Id, name: nameOf(app) },
    client,
    ...(proxy ? { nginx: { id: proxy.Id, name: nameOf(proxy) } } : {}),
  };
  let shaping: Shaping | null = null;
  const topology = session.adopt({
    labName: CHECK_NAME,
    runId,
    network: options.network,
    containers,
    target: { host: options.url.host, port: options.url.port, ...(options.url.tls ? { tls: options.url.tls } : {}) },
    published: null,
    fileSha256: '',
    get shaping() {
      return shaping;
    },
    nginxTempPeakFile: null,
    foreignRoles: ['app', 'nginx'],
    logsSinceS: Math.floor(session.started / 1000),
    exec(role, cmd, onLine) {
      if (role !== 'client') throw new Error(`check --attach never runs a command in your ${role} container.`);
      return execStreaming(client.id, cmd, onLine);
    },
    async shape(cmd) {
      const result = await runOnce(images.client, cmd, {
        name: containerName(CHECK_NAME, 'shaper', runId),
        labels: session.labels,
        networkMode: `container:${client.id}`,
        confinement: SHAPER,
        timeoutMs: 15_000,
      });
      shaping = { ...result, command: cmd };
      return result;
    },
    lastLogLines: (role, count) => lastLogLines(containers[role]?.id ?? '', count),
    teardown: () => removeRun(runId),
  });
  const [reachable, appBuffers, proxyBuffers] = await Promise.all([
    execStreaming(client.id, ['python3', '/client/wait-ready.py', options.url.host, String(options.url.port), '-', '10']),
    readBuffers(images.client, 'app', app.Id, runId),
    proxy ? readBuffers(images.client, 'nginx', proxy.Id, runId) : Promise.resolve(null),
  ]);
  if (reachable.exitCode !== 0) {
    throw new StackError(
      `--url ${urlOf(options.url)}: nothing answers at ${options.url.host}:${options.url.port} on the network ${options.network}: ${reachable.stderr.trim() || `exit ${reachable.exitCode}`}.`,
      'Give the name and port other containers reach it by (its docker compose service name and its port inside the network, not the published one).',
    );
  }
  const buffers: BufferRoom = {
    appSendBytes: appBuffers?.sendBytes ?? null,
    proxyReceiveBytes: proxyBuffers?.receiveBytes ?? null,
    proxySendBytes: proxyBuffers?.sendBytes ?? null,
    clientReceiveBytes: Number(LAB_SYSCTLS['net.ipv4.tcp_rmem']?.split(' ').at(-1) ?? 0),
  };
  return { topology, buffers };
}

// What an attached check says of its stack once observed: notes on silent logs, the description line, the record.
function describeAttached(
  joined: {
    options: AttachOptions;
    app: ContainerInspectInfo;
    proxy: ContainerInspectInfo | null;
    server: ReturnType<typeof attachedServer>;
    room: number;
    buffers: BufferRoom;
    shown: CheckRequest;
    request: CheckRequest;
    images: LabImages;
  },
  { pace, evidence, notes, passed }: Parameters<CheckPhases['describe']>[0],
): ReturnType<CheckPhases['describe']> {
  const { options, app, proxy, server, room, buffers, shown, request, images } = joined;
  const { facts: g, timeoutS, timeoutFrom } = server;
  const name = g.server ? serverNameOf(g.server) : 'Gunicorn';
  const silent = (role: Role) => `${evidence.logs[role]?.stdout ?? ''}${evidence.logs[role]?.stderr ?? ''}`.trim() === '';
  if (silent('app'))
    notes.push(
      `${nameOf(app)} wrote nothing to its Docker log during the check: ${name}'s lines${hasNoTimeout(g.server) ? '' : ` (${g.server === 'uwsgi' ? 'HARAKIRI' : 'WORKER TIMEOUT'})`} go elsewhere (a log file inside it, which check does not read), so only the client's bytes judge it`,
    );
  if (proxy && silent('nginx'))
    notes.push(`${nameOf(proxy)} wrote nothing to its Docker log during the check: its log lines go to files inside it, which check does not read`);
  return {
    description: [
      `attached to network ${options.network}`,
      `app container ${nameOf(app)} (${server.label})`,
      proxy ? `proxy container ${nameOf(proxy)}` : 'no proxy container named',
      describeRequest(shown),
      describeCheckClient(request, pace),
      `buffers up to ${formatBytes(room)}`,
    ].join(' · '),
    title: checkTitle(`the stack on ${options.network}`, passed),
    next: nextSteps(passed, null, null, proxy !== null, options.upload !== null, g.server),
    record: {
      images,
      kept: null,
      spec: null,
      gunicorn: { ...(g.server ? { server: g.server } : {}), workerClass: g.workerClass, workers: g.workers, threads: g.threads, timeoutS, bind: g.bind },
      userStack: null,
      nginxFiles: null,
      attached: { network: options.network, url: shown.path, appContainer: nameOf(app), proxyContainer: proxy ? nameOf(proxy) : null, timeoutFrom, buffers },
    },
  };
}

// A stack already running checked: their containers found on their network, the client joined to it, the reference
// download, the slow one planned from it, observed, judged against it, saved; only the client is removed.
export async function runAttach(options: AttachOptions, runOptions: CheckRunOptions = {}): Promise<CheckRun> {
  const log = runOptions.log ?? (() => undefined);
  const images = await ensureImages(options.release, log);
  await requireNetwork(options.network);
  const app = await requireMember('app-container', options.appContainer, options.network);
  const proxy = options.proxyContainer ? await requireMember('proxy-container', options.proxyContainer, options.network) : null;
  const server = attachedServer([app.Path, ...app.Args], options.timeoutS);
  const { facts, timeoutS, timeoutFrom } = server;
  const session = await openRun(CHECK_NAME, { runsDir: runOptions.runsDir });
  try {
    log(`joining network ${options.network} with the slow client (your containers are left as they are)`);
    const { topology, buffers } = await joinStack(options, images, session, app, proxy);
    const request: CheckRequest = { path: options.url.path, headers: options.headers, upload: options.upload, capacity: options.capacity };
    const url = urlOf(options.url);
    const shown = { ...request, path: url };
    const room = bufferRoomBytes(buffers);
    const run = await measureCheck(
      topology,
      session,
      {
        request,
        shown,
        release: options.release,
        where: describeRequest(shown),
        unreachable: 'Check that the URL serves that path inside your network, and that --app-container is the container Gunicorn runs in.',
        flag: '--url',
        rateBytesPerS: options.rateBytesPerS,
        workers: facts.workers,
        ...(facts.server ? { server: facts.server } : {}),
        roomBytes: room,
        pace: (reference, bodyBytes, notes) => {
          if (timeoutFrom === 'assumed')
            notes.push(
              facts.server === 'uwsgi'
                ? `uWSGI's --harakiri is not on ${nameOf(app)}'s command line (nothing kills a held worker there, unless its ini file sets one): paced as for ${GUNICORN_DEFAULT_TIMEOUT_S} s (give --timeout S where you know it)`
                : `Gunicorn's timeout is not on ${nameOf(app)}'s command line: taken as ${GUNICORN_DEFAULT_TIMEOUT_S} s (give --timeout S where you know it)`,
            );
          if (reference.bytesReceived <= room) {
            notes.push(
              `the download (${formatBytes(reference.bytesReceived)}) fits in what the socket buffers between Gunicorn and the client can hold (up to ${formatBytes(room)}: your containers' own sizes, which check does not change): a worker may hand it over whole and never be held, whatever the client's pace; a download larger than ${formatBytes(room)} tests your stack`,
            );
          }
          // Their buffers are theirs: a download they can swallow is said above, and crawled at the slowest rate.
          return choosePace(options, bodyBytes, timeoutS, room, false);
        },
        onEvidence: () => session.removeEarly(),
        describe: (observed) => describeAttached({ options, app, proxy, server, room, buffers, shown, request, images }, observed),
      },
      { log, onProgress: runOptions.onProgress },
    );
    return run;
  } finally {
    await session.close();
  }
}
