// `check`: the slow-client test against a user's own stack. Their files are checked by Nginx and Gunicorn
// first, then the stack starts, a reference download (unthrottled) gives the size and checksum, and the slow
// download is judged against it: no WORKER TIMEOUT, the whole body, the same status.
import path from 'node:path';
import { getDocker } from '../docker/docker-client.ts';
import { runOnce } from '../docker/run-once.ts';
import { StackError } from '../errors.ts';
import { ensureImages } from '../images/build-images.ts';
import { imageId } from '../images/base-image.ts';
import { GUNICORN_DEFAULT_TIMEOUT_S } from '../lab/vocabulary.ts';
import type { Evidence } from '../observe/collect-evidence.ts';
import { openRun } from '../run-session.ts';
import { RUN_LABEL, containerName } from '../topology/names.ts';
import type { Topology } from '../topology/start-topology.ts';
import { CHECK_NAME, LAB_APP_IMAGE_HAS, checkTitle, type CheckRun, type CheckRunOptions } from './check-run.ts';
import { nextSteps } from './next-steps.ts';
import { describeCheckClient, describeRequest, explainExitedApp, type CheckRequest } from './reference.ts';
import { measureCheck } from './check-pipeline.ts';
import type { CheckOptions } from './check-options.ts';
import { choosePace, type Pace } from './pace.ts';
import { bufferRoomBytes, pinnedRoom } from './buffer-room.ts';
import {
  describeNoTimeoutServer,
  hasNoTimeout,
  paceTimeoutS,
  lastLines,
  parseBindList,
  parseBootConfig,
  parsePrintConfig,
  serverFactsFromCommand,
  uwsgiFactsFromCommand,
  type GunicornFacts,
} from './gunicorn-facts.ts';
import { stampLogLine } from './stamp-log-line.ts';
import { splitTimestamps } from '../docker/docker-log.ts';
import { parseNginxAccessLog } from '../observe/parse-nginx-log.ts';
import { parseNginxDump, readNginxConf, type NginxConfFacts } from './read-nginx-conf.ts';
import { describeStandIns, withStandIns, type StandIn } from './tls-stand-ins.ts';
import { LAYOUT_WORDS, describeNginxSource, readNginxSource, withReplacedFiles, type NginxSource } from './nginx-source.ts';
import { USER_GUNICORN_CONFIG, appRole, nginxGlobals, userStack, type UserNginx, type UserStack } from './user-stack.ts';
import { USER_NGINX } from '../docker/confinement.ts';
import { formatEndpoint, type Endpoint } from '../topology/endpoint.ts';
import type { Mount } from '../topology/topology-spec.ts';
import type { LabImages } from '../images/build-images.ts';

// `nginx -T` on their config, unchanged, laid over the image's /etc/nginx, in a throwaway container where the
// upstream's names resolve (else Nginx reports "host not found in upstream" before the user's real mistake). What it
// dumps is every file Nginx read, theirs and the image's: the facts are read from that, includes followed.
// copies: a remedy's changed files, tested in their originals' place.
async function readNginxConfig(
  image: string,
  source: NginxSource,
  copies: readonly Mount[],
  options: CheckOptions,
  labels: Record<string, string>,
): Promise<UserNginx> {
  // Before Nginx has read anything: their own files say whether `daemon` is set and which hosts must resolve.
  const own = readNginxConf(source.files);
  // The app gets the one name --upstream gives, else the name their files proxy to: only that name resolves in the run.
  const hosts = new Set<string>();
  if (options.upstream?.kind === 'tcp') hosts.add(options.upstream.host);
  else for (const file of source.files.keys()) for (const u of readNginxConf(source.files, file).upstreams) if (u.kind === 'tcp') hosts.add(u.host);
  const result = await runOnce(image, ['nginx', '-T', '-g', nginxGlobals(own)], {
    name: containerName(CHECK_NAME, 'nginx-test', labels[RUN_LABEL]!),
    binds: withReplacedFiles(source.mounts, copies).map((m) => `${m.source}:${m.target}:${m.mode}`),
    extraHosts: [...hosts].map((host) => `${host}:127.0.0.1`),
    labels,
    // Confined as the stack's Nginx will be, so what it can't open shows here first.
    confinement: USER_NGINX,
  });
  if (result.exitCode !== 0) {
    const said = lastLines(result.stderr).filter((l) => !l.includes('test failed'));
    const unknownHost = said.some((l) => l.includes('host not found in upstream'));
    const missingInclude = said.some((l) => l.includes('open()') && l.includes('No such file'));
    throw new StackError(
      `nginx -t rejects ${describeNginxSource(source)}:\n${said.map((l) => `  | ${l}`).join('\n')}`,
      unknownHost
        ? 'check gives your app the name your config proxies to; pass --upstream NAME:PORT as your config names it.'
        : missingInclude
          ? `Your config includes a file that neither it nor the Nginx image has: give --nginx the folder that holds it (laid out like /etc/nginx), or drop the include.`
          : 'Fix what Nginx names (file and line); check runs your config unchanged.',
    );
  }
  const files = parseNginxDump(result.stdout);
  return { source, facts: readNginxConf(files), files };
}

// Gunicorn's effective settings, and its verdict on the config and the app (it imports the app). Asked without the
// observer's bind, so the bind it shows is theirs.
async function readGunicorn(options: CheckOptions, images: LabImages, remedyArgs: string[], labels: Record<string, string>): Promise<GunicornFacts | null> {
  const app = appRole(options, images, null, null, remedyArgs);
  let command = app.command ?? null;
  if (!command) {
    const info = await getDocker().getImage(app.image).inspect();
    command = info.Config.Cmd ?? null;
  }
  // uWSGI, Waitress, Uvicorn and Hypercorn say their settings on their command line; a command that is not Gunicorn
  // itself (a shell script) can't be asked, and the run still observes it.
  const other = command ? serverFactsFromCommand(command) : null;
  if (other) return other;
  if (!command?.some((word) => path.basename(word) === 'gunicorn')) return null;
  const binds = app.mounts?.map((m) => `${m.source}:${m.target}:${m.mode}`) ?? [];
  const result = await runOnce(app.image, [...command, '--print-config'], {
    name: containerName(CHECK_NAME, 'gunicorn-config', labels[RUN_LABEL]!),
    entrypoint: app.entrypoint,
    env: app.env,
    binds,
    labels,
    confinement: app.confinement,
  });
  if (result.exitCode !== 0) {
    const said = `${result.stdout}\n${result.stderr}`;
    // Their folder in the lab's image: a module it lacks is theirs to bring.
    if (options.app.kind === 'dir' && /\b(ModuleNotFoundError|ImportError)\b/.test(said)) {
      throw new StackError(
        `Your app needs packages the lab's image lacks (it has ${LAB_APP_IMAGE_HAS}):\n${lastLines(said)
          .map((l) => `  | ${l}`)
          .join('\n')}`,
        'Use --app-build DIR (your Dockerfile, your requirements) or --app-image IMAGE (an image you built) instead of --app.',
      );
    }
    const what = options.gunicornConfig ? `your Gunicorn config (${options.gunicornConfig}, mounted as ${USER_GUNICORN_CONFIG}) or app` : 'your app';
    throw new StackError(
      `Gunicorn cannot load ${what} (exit ${result.exitCode}):\n${lastLines(said)
        .map((l) => `  | ${l}`)
        .join('\n')}`,
      'Fix what Gunicorn names above; check runs `gunicorn --print-config` with your config and app before it starts anything.',
    );
  }
  return parsePrintConfig(result.stdout);
}

// Nginx proxies to a Unix socket: Gunicorn must bind that very path (their bind is kept as it is).
function requireSameSocket(upstream: Endpoint, gunicorn: GunicornFacts | null): void {
  if (upstream.kind !== 'unix' || !gunicorn || gunicorn.server) return;
  const binds = parseBindList(gunicorn.bind);
  if (binds.some((b) => b.kind === 'unix' && b.path === upstream.path)) return;
  throw new StackError(
    `Your Nginx config proxies to ${formatEndpoint(upstream)}, but Gunicorn binds ${binds.length ? binds.map(formatEndpoint).join(', ') : (gunicorn.bind ?? 'nothing it says')}.`,
    `Make them name the same socket: Gunicorn's --bind unix:${upstream.path} (or bind = "unix:${upstream.path}" in its config), or Nginx's proxy_pass to the socket Gunicorn binds.`,
  );
}

async function requireImage(image: string): Promise<void> {
  if ((await imageId(image)) === null)
    throw new StackError(`No image ${image} on this Docker engine.`, `Build it first (e.g. \`docker build -t ${image} .\`), then run check again.`);
}

// Their own log files, read from the Nginx container after the run, as timestamped lines: access lines join
// Nginx's stdout, error lines its stderr (a server-level error_log takes the lines from the one check adds).
async function readNginxLogFiles(topology: Topology, facts: NginxConfFacts | null, evidence: Evidence, notes: string[]): Promise<void> {
  const nginx = evidence.logs.nginx;
  if (!nginx || !topology.containers.nginx || !facts) return;
  const files = [
    ...facts.accessLogFiles.map((file) => ({ file, stream: 'stdout' as const })),
    ...facts.errorLogFiles.map((file) => ({ file, stream: 'stderr' as const })),
  ];
  for (const { file, stream } of files) {
    const { exitCode, stdout, stderr } = await topology.exec('nginx', ['cat', file]);
    if (exitCode !== 0) {
      notes.push(`could not read Nginx's log ${file}: ${stderr.trim()}`);
      continue;
    }
    const received = new Date();
    const stamped = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => stampLogLine(line, received))
      .join('');
    // Their own format, if it is not one the parser reads, is said, never silently dropped.
    if (stream === 'stdout' && stamped && parseNginxAccessLog(splitTimestamps(stamped), 0).length === 0) {
      notes.push(
        `Nginx's access lines in ${file} are in a format check does not read (it reads "combined" and formats that start like it): the report has no Nginx access line`,
      );
    }
    nginx[stream] += stamped;
  }
}

function describeUserRun(
  options: CheckOptions,
  user: UserStack,
  gunicorn: GunicornFacts | null,
  timeoutS: number,
  pace: Pace,
  standIns: readonly StandIn[],
): string {
  const app =
    options.app.kind === 'dir'
      ? `app ${options.app.module} from ${path.relative(process.cwd(), options.app.dir) || '.'} in the lab's image ${user.spec.app.image} (${LAB_APP_IMAGE_HAS})`
      : `image ${options.app.image}${options.app.origin ? ` (${options.app.origin})` : ''}`;
  const server = gunicorn?.server;
  const quiet = gunicorn && hasNoTimeout(server) ? describeNoTimeoutServer(server, gunicorn, timeoutS) : null;
  const g = quiet
    ? `${quiet[0]} (${quiet[1]})`
    : gunicorn?.server === 'uwsgi'
      ? `uwsgi --processes ${gunicorn.workers ?? 1}${gunicorn.timeoutS === null ? ` (no --harakiri: nothing kills a held worker; paced as for ${timeoutS} s)` : ` --harakiri ${gunicorn.timeoutS}`}`
      : gunicorn
        ? `gunicorn -k ${gunicorn.workerClass ?? '?'} -w ${gunicorn.workers ?? '?'}${gunicorn.threads && gunicorn.threads > 1 ? ` --threads ${gunicorn.threads}` : ''} --timeout ${timeoutS}`
        : `gunicorn (settings not readable; timeout assumed ${timeoutS} s)`;
  const nginx = user.spec.nginx;
  const tls = nginx?.tls ? ` ssl, TLS${nginx.tls.serverName ? ` to ${nginx.tls.serverName}` : ''}` : '';
  const proxy =
    nginx && user.nginxLayout
      ? `${LAYOUT_WORDS[user.nginxLayout]} (listen ${nginx.port}${tls}, upstream ${formatEndpoint(user.upstream)})`
      : `no nginx (client → ${gunicorn?.server ?? 'gunicorn'})`;
  const group = user.appGroup ? `app in group ${user.appGroup} (Nginx's workers')` : null;
  return [app, g, proxy, describeStandIns(standIns), group, describeCheckClient(options, pace), `release ${options.release}`].filter(Boolean).join(' · ');
}

// Their Nginx config and Gunicorn settings, each read by the server itself; both to their end before either's error is
// thrown, so no throwaway container outlives the run.
async function readUserFiles(
  images: LabImages,
  source: NginxSource | null,
  options: CheckOptions,
  runOptions: CheckRunOptions,
  labels: Record<string, string>,
): Promise<{ nginx: UserNginx | null; gunicorn: GunicornFacts | null }> {
  const [nginx, gunicorn] = await Promise.allSettled([
    source ? readNginxConfig(images.nginx, source, runOptions.overlay?.nginxFiles ?? [], options, labels) : Promise.resolve(null),
    readGunicorn(options, images, runOptions.overlay?.gunicornArgs ?? [], labels),
  ]);
  if (nginx.status === 'rejected') throw nginx.reason;
  if (gunicorn.status === 'rejected') throw gunicorn.reason;
  return { nginx: nginx.value, gunicorn: gunicorn.value };
}

// Gunicorn's settings from its boot log (--log-level debug) where its command is not gunicorn itself; what could not
// be read is said in the notes.
async function readBootConfig(topology: Topology, notes: string[]): Promise<GunicornFacts | null> {
  const gunicorn = parseBootConfig((await topology.lastLogLines('app', 400)).join('\n'));
  notes.push(
    gunicorn
      ? "Gunicorn's settings read from its boot log (--log-level debug): its command is not gunicorn itself, so --print-config could not be asked"
      : `Gunicorn's settings could not be read (no --print-config, no configuration in its boot log): its timeout is taken as ${GUNICORN_DEFAULT_TIMEOUT_S} s`,
  );
  return gunicorn;
}

// A uWSGI remedy's flags after the image's own uWSGI command (the last of a flag wins), and its settings read from
// that command; nothing to add: the options and facts as they were.
function withUwsgiArgs(
  options: CheckOptions,
  facts: GunicornFacts | null,
  uwsgiArgs: readonly string[],
): { asked: GunicornFacts | null; started: CheckOptions } {
  if (!uwsgiArgs.length || !facts?.command || options.app.kind !== 'image') return { asked: facts, started: options };
  const command = [...facts.command, ...uwsgiArgs];
  return { asked: uwsgiFactsFromCommand(command), started: { ...options, app: { ...options.app, command } } };
}

// A user's stack checked: their files read by Nginx and Gunicorn, the stack started, the reference download, the slow
// one planned from it, observed, judged against it, saved.
export async function runCheck(options: CheckOptions, runOptions: CheckRunOptions = {}): Promise<CheckRun> {
  const log = runOptions.log ?? (() => undefined);
  const session = await openRun(CHECK_NAME, { runsDir: runOptions.runsDir });
  try {
    const images = await ensureImages(options.release, log);
    if (options.app.kind === 'image') await requireImage(options.app.image);
    const source = options.nginxPath ? withStandIns(readNginxSource(options.nginxPath), session.runDir) : null;
    log(`checking your files with nginx -T${source ? ` (${source.layout})` : ''} and the app server's own settings (--print-config or its command)`);
    const read = await readUserFiles(images, source, options, runOptions, session.labels);
    const { nginx } = read;
    const { asked, started } = withUwsgiArgs(options, read.gunicorn, runOptions.overlay?.uwsgiArgs ?? []);
    // Not asked: Gunicorn logs its configuration at start instead.
    const user = userStack(started, images, nginx, runOptions.overlay, asked === null);
    requireSameSocket(user.upstream, asked);
    log('starting your stack');
    const topology = await session.start(user.spec, { keep: runOptions.keep, publish: runOptions.keep, log });
    try {
      const bootNotes: string[] = [];
      const gunicorn = asked ?? (await readBootConfig(topology, bootNotes));
      const timeoutS = paceTimeoutS(gunicorn);
      runOptions.onRead?.({ timeoutS, nginxFiles: nginx?.files ?? null, ...(gunicorn?.server ? { server: gunicorn.server } : {}) });
      const request: CheckRequest = { path: options.path, headers: options.headers, upload: options.upload, capacity: options.capacity };
      const { spec: _spec, ...userStackRead } = user;
      const run = await measureCheck(
        topology,
        session,
        {
          request,
          shown: request,
          release: options.release,
          where: `${describeRequest(request)}${user.spec.nginx ? ` through your Nginx (port ${user.spec.nginx.port})` : ` from Gunicorn at ${formatEndpoint(user.upstream)}`}`,
          unreachable: 'Check that your app serves that path and that Gunicorn listens on the upstream your Nginx config names (or pass --upstream NAME:PORT).',
          flag: '--path',
          rateBytesPerS: options.rateBytesPerS,
          workers: gunicorn?.workers ?? null,
          ...(gunicorn?.server ? { server: gunicorn.server } : {}),
          roomBytes: bufferRoomBytes(pinnedRoom(user.spec.nginx !== null)),
          pace: async (_reference, bodyBytes, notes) => {
            notes.push(...bootNotes);
            const pace = options.pace
              ? await options.pace
              : choosePace(options, bodyBytes, timeoutS, bufferRoomBytes(pinnedRoom(user.spec.nginx !== null)), true);
            runOptions.onPace?.(pace);
            return pace;
          },
          // Their Nginx may log to files: read once the Docker logs show what they can.
          amend: (evidence, notes) => readNginxLogFiles(topology, user.nginx, evidence, notes),
          onEvidence: () => {
            if (!runOptions.keep) session.removeEarly();
          },
          describe: ({ pace, passed }) => ({
            description: `${describeUserRun(options, user, gunicorn, timeoutS, pace, source?.standIns ?? [])}${runOptions.overlay ? ` · remedy: ${runOptions.overlay.name}` : ''}`,
            title: checkTitle('your stack', passed),
            // A remedy's own run is a row of the table, not a place to suggest remedies.
            next: runOptions.overlay
              ? []
              : nextSteps(passed, null, runOptions.command ?? null, user.spec.nginx !== null, options.upload !== null, gunicorn?.server),
            record: {
              images,
              kept: runOptions.keep ? { published: topology.published, containers: topology.containers, target: topology.target, runId: session.runId } : null,
              spec: user.spec,
              gunicorn,
              userStack: userStackRead,
              nginxFiles: nginx?.files ?? null,
              attached: null,
            },
          }),
        },
        { log, onProgress: runOptions.onProgress },
      );
      if (runOptions.keep) session.keepUp();
      return run;
    } catch (error) {
      throw await explainExitedApp(topology, error);
    }
  } finally {
    await session.close();
  }
}
