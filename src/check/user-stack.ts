// Reads a user's own stack into the shape topology starts: their nginx.conf and Gunicorn config mounted as they
// are, their app folder or image; what the observer needs is added from outside (nginx -g, GUNICORN_CMD_ARGS).
import { readFileSync } from 'node:fs';
import { StackError } from '../errors.ts';
import type { LabImages } from '../images/build-images.ts';
import { LAB_SYSCTLS } from '../topology/sysctls.ts';
import { LAB_APP, USER_APP_IMAGE, USER_NGINX, CLIENT } from '../topology/confinement.ts';
import { GUNICORN_ACCESS_FORMAT } from '../topology/gunicorn-command.ts';
import type { RoleSpec, StackSpec } from '../topology/stack-spec.ts';
import type { CheckOptions } from './check-options.ts';
import { readNginxConf, type NginxConfFacts } from './read-nginx-conf.ts';

export const USER_APP_DIR = '/srv/app';
export const USER_GUNICORN_CONFIG = '/srv/lab/gunicorn.conf.py';
const DEFAULT_APP_PORT = 8000;

export interface UserStack {
  spec: StackSpec;
  nginx: NginxConfFacts | null;
  upstream: { host: string; port: number };
  // The global directives added to Nginx's command line (`nginx -g`), shown in the report and reproduce.sh.
  nginxGlobals: string | null;
  // What Gunicorn gets from outside its config: bind, logs on stdout/stderr in a format the observer parses.
  gunicornEnv: Record<string, string>;
  // The app's command as started (null: the image's own).
  appCommand: string[] | null;
}

// The upstream the client's requests reach through their Nginx: the flag, else the one their file names.
export function chooseUpstream(options: Pick<CheckOptions, 'upstream' | 'nginxFile'>, facts: NginxConfFacts | null): { host: string; port: number } {
  if (options.upstream) return options.upstream;
  if (!facts) return { host: 'app', port: DEFAULT_APP_PORT };
  const [only, ...more] = facts.upstreams;
  if (!only) throw new StackError(`${options.nginxFile}: no proxy_pass to a host:port found.`, 'Pass --upstream NAME:PORT: the host and port your nginx.conf proxies to (e.g. --upstream web:5000).');
  if (more.length) {
    throw new StackError(
      `${options.nginxFile} proxies to several upstreams: ${facts.upstreams.map((u) => `${u.host}:${u.port}`).join(', ')}.`,
      'Pass --upstream NAME:PORT to say which one is your Gunicorn app.',
    );
  }
  return only;
}

// Quoted for GUNICORN_CMD_ARGS, which Gunicorn splits like a shell.
const quote = (word: string) => `'${word.replace(/'/g, `'"'"'`)}'`;

export function gunicornEnv(port: number, extra: readonly string[] = []): Record<string, string> {
  return {
    GUNICORN_CMD_ARGS: ['--bind', `0.0.0.0:${port}`, '--error-logfile', '-', '--log-level', 'info', '--access-logfile', '-', '--access-logformat', quote(GUNICORN_ACCESS_FORMAT), ...extra.map((w) => (/^[\w.:=-]+$/.test(w) ? w : quote(w)))].join(' '),
  };
}

export function gunicornAppCommand(options: CheckOptions): string[] | null {
  if (options.app.kind === 'image') return options.app.command;
  return [
    'gunicorn',
    ...(options.gunicornConfig ? ['--config', USER_GUNICORN_CONFIG] : []),
    ...options.gunicornArgs,
    '--chdir', USER_APP_DIR,
    options.app.module,
  ];
}

export function nginxGlobals(facts: NginxConfFacts): string {
  return `${facts.setsDaemon ? '' : 'daemon off; '}error_log stderr info;`;
}

// overlay: Gunicorn flags a remedy adds, and the nginx.conf to mount instead of theirs (a changed copy).
export function userStack(options: CheckOptions, images: LabImages, overlay: { gunicornArgs?: string[]; nginxFile?: string } = {}): UserStack {
  const facts = options.nginxFile ? readNginxConf(readFileSync(options.nginxFile, 'utf8')) : null;
  const upstream = chooseUpstream(options, facts);
  const env = gunicornEnv(upstream.port, overlay.gunicornArgs);
  const appCommand = gunicornAppCommand(options);
  const mounts: NonNullable<RoleSpec['mounts']> = [];
  if (options.app.kind === 'dir') mounts.push({ source: options.app.dir, target: USER_APP_DIR, mode: 'ro' });
  if (options.gunicornConfig) mounts.push({ source: options.gunicornConfig, target: USER_GUNICORN_CONFIG, mode: 'ro' });
  const globals = facts ? nginxGlobals(facts) : null;
  return {
    spec: {
      app: {
        image: options.app.kind === 'dir' ? images.app : options.app.image,
        alias: upstream.host,
        port: upstream.port,
        // The lab app image's entrypoint writes the lab's file; a user's app needs none of that.
        ...(options.app.kind === 'dir' ? { entrypoint: ['/usr/bin/env'] } : {}),
        ...(appCommand ? { command: appCommand } : {}),
        env,
        mounts,
        confinement: options.app.kind === 'dir' ? LAB_APP : USER_APP_IMAGE,
        ready: { log: /Booting worker with pid/, times: 1 },
        readinessPath: null,
        fileChecksumPath: null,
      },
      nginx:
        options.nginxFile && facts && globals
          ? {
              image: images.nginx,
              alias: 'nginx',
              port: facts.listenPort,
              command: ['nginx', '-g', globals],
              mounts: [{ source: overlay.nginxFile ?? options.nginxFile, target: '/etc/nginx/nginx.conf', mode: 'ro' }],
              confinement: USER_NGINX,
              ready: null,
            }
          : null,
      client: { image: images.client, alias: 'client', confinement: CLIENT, ready: null },
      sysctls: LAB_SYSCTLS,
      dataVolume: false,
    },
    nginx: facts,
    upstream,
    nginxGlobals: globals,
    gunicornEnv: env,
    appCommand,
  };
}
