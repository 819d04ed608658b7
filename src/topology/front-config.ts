// Renders the config and command of a front other than Nginx (images/front): Caddy, HAProxy, Apache or Varnish,
// each in the foreground as www-data on port 80, logging to the container's own output, proxying to the app.
import type { Lab, Release } from '../lab/schema.ts';
import { LAB_FRONT_RUN_DIR } from '../docker/confinement.ts';
import { APP_PORT } from './gunicorn-command.ts';
import { SHARED_DATA_DIR } from './nginx-config.ts';

export const FRONT_PORT = 80;
export type FrontSpec = NonNullable<Lab['front']>;

export interface FrontFiles {
  config: { content: string; target: string };
  command: string[];
  env: Record<string, string>;
}

// Caddy 2.6 (bookworm, trixie) buffers a response with `buffer_responses` up to `max_buffer_size`; Caddy 2.7 renamed
// both to `response_buffers <size>` (sid has 2.11). The limit is above any lab file the fronts serve.
const BUFFER_LIMIT = '1GiB';
const CADDY_RENAMED_BUFFERS: readonly Release[] = ['sid'];

// The name Caddy's response buffering goes by on a release.
export function caddyBufferDirective(release: Release): 'response_buffers' | 'buffer_responses' {
  return CADDY_RENAMED_BUFFERS.includes(release) ? 'response_buffers' : 'buffer_responses';
}

function caddyfile(front: FrontSpec, release: Release): string {
  const buffering = !front.bufferResponses
    ? ''
    : caddyBufferDirective(release) === 'response_buffers'
      ? `\n\t\tresponse_buffers ${BUFFER_LIMIT}`
      : `\n\t\tbuffer_responses\n\t\tmax_buffer_size ${BUFFER_LIMIT}`;
  return `# Rendered for one lab run.
{
\tadmin off
\tauto_https off
\tlog {
\t\toutput stderr
\t\tformat json
\t}
}
:${FRONT_PORT} {
\tlog {
\t\toutput stdout
\t\tformat json
\t}
\treverse_proxy app:${APP_PORT} {${buffering}
\t}
}
`;
}

// HAProxy resolves the app through the engine's DNS server (resolv.conf) and waits for it where it is not up yet;
// `option httplog` ends each request with its termination state (e.g. SD: the server side closed mid-body).
function haproxyCfg(): string {
  return `# Rendered for one lab run.
global
\tlog stdout format raw local0 info
\tmaxconn 256
resolvers engine
\tparse-resolv-conf
\thold valid 1s
defaults
\tmode http
\tlog global
\toption httplog
\ttimeout connect 5s
\ttimeout client 60s
\ttimeout server 60s
frontend web
\tbind :${FRONT_PORT}
\tdefault_backend app
backend app
\tserver app app:${APP_PORT} resolvers engine init-addr last,libc,none
`;
}

// Apache with the event MPM, mod_proxy_http, and mod_xsendfile where the lab asks for it: %X in the access line is
// the connection's state at the end (X: aborted before the response was complete).
function apacheConf(front: FrontSpec): string {
  const modules = '/usr/lib/apache2/modules';
  return `# Rendered for one lab run.
ServerRoot /etc/apache2
ServerName front
Listen ${FRONT_PORT}
PidFile ${LAB_FRONT_RUN_DIR}/apache2.pid
DefaultRuntimeDir ${LAB_FRONT_RUN_DIR}
Mutex file:${LAB_FRONT_RUN_DIR} default
LoadModule mpm_event_module ${modules}/mod_mpm_event.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule proxy_module ${modules}/mod_proxy.so
LoadModule proxy_http_module ${modules}/mod_proxy_http.so
ErrorLog /dev/stderr
LogLevel warn proxy:info proxy_http:info
LogFormat "\\"%r\\" %>s %B %D %X" lab
CustomLog /dev/stdout lab
ProxyPass / http://app:${APP_PORT}/
${
  front.xSendFile
    ? `LoadModule xsendfile_module ${modules}/mod_xsendfile.so
XSendFile On
XSendFilePath ${SHARED_DATA_DIR}
`
    : ''
}`;
}

// Varnish compiles the backend into its VCL at start, so it waits until the app's name resolves; varnishncsa prints
// each request's line once it ends. One thread pool of ten: a lab's few requests need no more.
function varnishCommand(): string[] {
  const workdir = `${LAB_FRONT_RUN_DIR}/varnish`;
  return [
    '/bin/sh',
    '-c',
    `until getent hosts app >/dev/null; do sleep 0.1; done; ` +
      `varnishncsa -n ${workdir} -t off -F '"%r" %s %b %D %{Varnish:handling}x' & ` +
      `exec varnishd -F -j none -n ${workdir} -a :${FRONT_PORT} -b app:${APP_PORT} -s malloc,256m -p thread_pools=1 -p thread_pool_min=10`,
  ];
}

export function frontFiles(front: FrontSpec, release: Release): FrontFiles {
  const at = (name: string) => `${LAB_FRONT_RUN_DIR}/${name}`;
  switch (front.kind) {
    case 'caddy':
      return {
        config: { content: caddyfile(front, release), target: at('Caddyfile') },
        command: ['caddy', 'run', '--config', at('Caddyfile'), '--adapter', 'caddyfile'],
        env: { HOME: LAB_FRONT_RUN_DIR, XDG_DATA_HOME: LAB_FRONT_RUN_DIR, XDG_CONFIG_HOME: LAB_FRONT_RUN_DIR },
      };
    case 'haproxy':
      return { config: { content: haproxyCfg(), target: at('haproxy.cfg') }, command: ['haproxy', '-db', '-f', at('haproxy.cfg')], env: {} };
    case 'apache':
      return { config: { content: apacheConf(front), target: at('apache2.conf') }, command: ['apache2', '-f', at('apache2.conf'), '-DFOREGROUND'], env: {} };
    case 'varnish':
      return {
        config: { content: '# Varnish takes its backend from the command line (-b).\n', target: at('varnish.txt') },
        command: varnishCommand(),
        env: {},
      };
  }
}
