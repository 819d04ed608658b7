// Reads a user's own stack into the shape topology starts: their Nginx config and Gunicorn config mounted as they
// are, their app folder or image; what the observer needs is added from outside (nginx -g, GUNICORN_CMD_ARGS).
import path from 'node:path';
import { StackError } from '../errors.ts';
import type { LabImages } from '../images/build-images.ts';
import { LAB_SYSCTLS } from '../topology/sysctls.ts';
import { LAB_APP, USER_APP_IMAGE, USER_NGINX, CLIENT } from '../docker/confinement.ts';
import { formatEndpoint, tcp, type Endpoint } from '../topology/endpoint.ts';
import { GUNICORN_ACCESS_FORMAT } from '../topology/gunicorn-command.ts';
import { RUN_SOCKET_VOLUME, type Mount, type TopologySpec } from '../topology/topology-spec.ts';
import type { CheckOptions } from './check-options.ts';
import { withReplacedFiles, type NginxLayout, type NginxSource } from './nginx-source.ts';
import type { NginxConfFacts } from './read-nginx-conf.ts';

export const USER_APP_DIR = '/srv/app';
export const USER_GUNICORN_CONFIG = '/srv/lab/gunicorn.conf.py';
const DEFAULT_APP_PORT = 8000;
// Groups Debian's images share by name, which a lab app may run in so Nginx's workers can use its socket.
const SHARED_GROUPS = new Set(['www-data', 'nogroup']);

export interface UserNginx {
  source: NginxSource;
  facts: NginxConfFacts;
  // Every file Nginx read, by path (`nginx -T`).
  files: ReadonlyMap<string, string>;
}

export interface UserStack {
  spec: TopologySpec;
  nginx: NginxConfFacts | null;
  nginxLayout: NginxLayout | null;
  upstream: Endpoint;
  // The global directives added to Nginx's command line (`nginx -g`), shown in the report and reproduce.sh.
  nginxGlobals: string | null;
  // What Gunicorn gets from outside its config: bind (a TCP upstream only), logs on stdout/stderr in a format the
  // observer parses.
  gunicornEnv: Record<string, string>;
  // The app's command as started (null: the image's own).
  appCommand: string[] | null;
  // The group the app runs in so that Nginx's workers may use its socket (a Unix upstream), else null.
  appGroup: string | null;
}

// The upstream the client's requests reach through their Nginx: the flag, else the one their config names.
export function chooseUpstream(options: Pick<CheckOptions, 'upstream' | 'nginxPath'>, facts: NginxConfFacts | null): Endpoint {
  if (options.upstream) return options.upstream;
  if (!facts) return tcp('app', DEFAULT_APP_PORT);
  const [only, ...more] = facts.upstreams;
  if (!only)
    throw new StackError(
      `${options.nginxPath}: no proxy_pass to a host:port or a Unix socket found.`,
      'Pass --upstream NAME:PORT (or unix:/path): where your Nginx config proxies to (e.g. --upstream web:5000).',
    );
  if (more.length) {
    throw new StackError(
      `${options.nginxPath} proxies to several upstreams: ${facts.upstreams.map(formatEndpoint).join(', ')}.`,
      'Pass --upstream NAME:PORT (or unix:/path) to say which one is your Gunicorn app.',
    );
  }
  return only;
}

// The value of a `Host:` header among theirs, without a port.
export function hostHeader(headers: readonly string[]): string | null {
  const host = headers.find((h) => /^host\s*:/i.test(h));
  return host
    ? host
        .slice(host.indexOf(':') + 1)
        .trim()
        .replace(/:\d+$/, '') || null
    : null;
}

// Quoted for GUNICORN_CMD_ARGS, which Gunicorn splits like a shell.
const quote = (word: string) => `'${word.replace(/'/g, `'"'"'`)}'`;

// A TCP upstream gets a bind on every address of the app's container (their config may bind 127.0.0.1, which Nginx
// in another container can't reach); a Unix socket keeps their own bind.
// logLevel debug: Gunicorn logs its whole configuration at start, read where --print-config can't be asked.
export function gunicornEnv(upstream: Endpoint | null, extra: readonly string[] = [], logLevel: 'info' | 'debug' = 'info'): Record<string, string> {
  const bind = upstream?.kind === 'tcp' ? ['--bind', `0.0.0.0:${upstream.port}`] : [];
  return {
    GUNICORN_CMD_ARGS: [
      ...bind,
      '--error-logfile',
      '-',
      '--log-level',
      logLevel,
      '--access-logfile',
      '-',
      '--access-logformat',
      quote(GUNICORN_ACCESS_FORMAT),
      ...extra.map((w) => (/^[\w.:=-]+$/.test(w) ? w : quote(w))),
    ].join(' '),
  };
}

// Where a remedy's flags go: last on the command line (after theirs, so they win over their config and their own
// flags) where that is Gunicorn's own, else in GUNICORN_CMD_ARGS (an image's own command, a shell's `sh -c "..."`).
function remedyOnCommandLine(app: CheckOptions['app']): boolean {
  return app.kind === 'dir' || (app.command !== null && path.posix.basename(app.command[0] ?? '') === 'gunicorn');
}

export function gunicornAppCommand(options: CheckOptions, remedyArgs: readonly string[] = []): string[] | null {
  const last = remedyOnCommandLine(options.app) ? remedyArgs : [];
  if (options.app.kind === 'image') return options.app.command ? [...options.app.command, ...last] : null;
  return [
    'gunicorn',
    ...(options.gunicornConfig ? ['--config', USER_GUNICORN_CONFIG] : []),
    ...options.gunicornArgs,
    ...last,
    '--chdir',
    USER_APP_DIR,
    options.app.module,
  ];
}

export function nginxGlobals(facts: NginxConfFacts): string {
  return `${facts.setsDaemon ? '' : 'daemon off; '}error_log stderr info;`;
}

// The group of Nginx's workers, as their `user` directive names it (Nginx's default is nobody/nogroup), where the
// lab app image has it too: the app runs in it, as a systemd unit's `Group=www-data` does, so a socket made
// group-only (`-m 007`) is still Nginx's to use.
export function socketGroup(facts: NginxConfFacts | null): string | null {
  const group = facts?.workerUser ? (facts.workerUser.group ?? facts.workerUser.user) : 'nogroup';
  return SHARED_GROUPS.has(group) ? group : null;
}

// The line an app server writes once it takes requests: Gunicorn's worker booted, uWSGI's worker spawned, Waitress's
// "Serving on http://…", Uvicorn's "Uvicorn running on http://…", Hypercorn's "Running on http://…".
export const APP_SERVER_READY = /Booting worker with pid|spawned uWSGI worker \d+ \(pid|Serving on http|Uvicorn running on|Running on http/;

// The app's role: their folder in the lab image or their image, Gunicorn told where to bind (a TCP upstream) and log.
// upstream null: no bind added (`--print-config` shows theirs); group: the one it runs in to share a socket.
export function appRole(
  options: CheckOptions,
  images: LabImages,
  upstream: Endpoint | null,
  group: string | null = null,
  remedyArgs: string[] = [],
  logLevel: 'info' | 'debug' = 'info',
): TopologySpec['app'] {
  const appCommand = gunicornAppCommand(options, remedyArgs);
  const mounts: Mount[] = [];
  if (options.app.kind === 'dir') mounts.push({ source: options.app.dir, target: USER_APP_DIR, mode: 'ro' });
  if (options.gunicornConfig) mounts.push({ source: options.gunicornConfig, target: USER_GUNICORN_CONFIG, mode: 'ro' });
  if (upstream?.kind === 'unix') mounts.push(socketMount(upstream.path));
  return {
    image: options.app.kind === 'dir' ? images.app : options.app.image,
    alias: upstream?.kind === 'tcp' ? upstream.host : 'app',
    port: upstream?.kind === 'tcp' ? upstream.port : null,
    // The lab app image's entrypoint writes the lab's file; a user's app needs none of that.
    ...(options.app.kind === 'dir' ? { entrypoint: ['/usr/bin/env'] } : {}),
    ...(appCommand ? { command: appCommand } : {}),
    env: gunicornEnv(upstream, remedyOnCommandLine(options.app) ? [] : remedyArgs, logLevel),
    mounts,
    confinement: options.app.kind === 'dir' ? { ...LAB_APP, ...(group ? { user: `${LAB_APP.user}:${group}` } : {}) } : USER_APP_IMAGE,
    // Gunicorn's first worker booted, or uWSGI's, or Waitress, Uvicorn or Hypercorn listening (its command is the
    // image's own, read after this is made).
    ready: { log: APP_SERVER_READY, times: 1 },
    readinessPath: null,
    fileChecksumPath: null,
  };
}

// The socket's folder, shared by the app and Nginx as on one host.
const socketMount = (socket: string): Mount => ({ source: RUN_SOCKET_VOLUME, target: path.posix.dirname(socket), mode: 'rw' });

// overlay: Gunicorn flags a remedy adds, and changed copies of their Nginx files mounted in their originals' place.
// bootConfig: Gunicorn logs its configuration at start (its settings could not be asked before).
export function userStack(
  options: CheckOptions,
  images: LabImages,
  nginx: UserNginx | null,
  overlay: { gunicornArgs?: string[]; nginxFiles?: Mount[] } = {},
  bootConfig = false,
): UserStack {
  const facts = nginx?.facts ?? null;
  const upstream = chooseUpstream(options, facts);
  if (upstream.kind === 'unix' && !nginx) {
    throw new StackError(
      `--upstream ${formatEndpoint(upstream)}: a Unix socket is reached only through Nginx.`,
      'Give --nginx your Nginx config that proxies to it, or a TCP upstream (NAME:PORT).',
    );
  }
  const appGroup = upstream.kind === 'unix' && options.app.kind === 'dir' ? socketGroup(facts) : null;
  const app = appRole(options, images, upstream, appGroup, overlay.gunicornArgs, bootConfig ? 'debug' : 'info');
  const globals = facts ? nginxGlobals(facts) : null;
  return {
    spec: {
      app,
      nginx:
        nginx && facts && globals
          ? {
              image: images.nginx,
              alias: 'nginx',
              port: facts.listenPort,
              // A TLS entrance: the client speaks TLS, with the Host they give (else the server's name) as SNI.
              tls: facts.tls ? { serverName: hostHeader(options.headers) ?? facts.serverName } : null,
              command: ['nginx', '-g', globals],
              mounts: [...withReplacedFiles(nginx.source.mounts, overlay.nginxFiles ?? []), ...(upstream.kind === 'unix' ? [socketMount(upstream.path)] : [])],
              confinement: USER_NGINX,
              ready: null,
            }
          : null,
      client: { image: images.client, alias: 'client', confinement: CLIENT, ready: null },
      sysctls: LAB_SYSCTLS,
      dataVolume: false,
    },
    nginx: facts,
    nginxLayout: nginx?.source.layout ?? null,
    upstream,
    nginxGlobals: globals,
    gunicornEnv: app.env ?? {},
    appCommand: app.command ?? null,
    appGroup,
  };
}
