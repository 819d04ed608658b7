// Renders the lab's nginx.conf: logs the observer can parse, and the proxy settings the lab varies.
import type { Lab } from '../lab/schema.ts';
import { APP_PORT } from './gunicorn-command.ts';
import { UWSGI_PORT } from './app-server.ts';
import { LAB_NGINX_RUN_DIR } from '../docker/confinement.ts';

export const NGINX_PORT = 80;

// Access lines as JSON, so status, bytes and both timings parse without guessing.
const ACCESS_FORMAT =
  '{"time":"$time_iso8601","request":"$request","status":$status,"bodyBytesSent":$body_bytes_sent,' +
  '"requestTime":"$request_time","upstreamResponseTime":"$upstream_response_time","upstreamStatus":"$upstream_status"}';

// The data volume the app writes and Nginx reads (read-only): served as /static/ (Nginx alone) and /protected/ (X-Accel-Redirect only).
export const SHARED_DATA_DIR = '/data';

// Nginx's temp files (proxy buffers spilled to disk) go under this tmpfs; Nginx unlinks each one as it creates it,
// so no listing sees them, but the filesystem's use does. A loop beside Nginx samples that use every 200 ms
// (about 4 % of a core) and keeps the peak above its first reading, in bytes, in NGINX_TEMP_PEAK_FILE ("0" from
// the start: a stack without the file has no sampler).
const NGINX_TEMP_DIR = '/var/lib/nginx';
export const NGINX_TEMP_PEAK_FILE = `${LAB_NGINX_RUN_DIR}/nginx-temp-peak`;
const TEMP_SAMPLE_MS = 200;
const TEMP_SAMPLER =
  `base=; peak=-1; while :; do set -- $(stat -f -c '%b %f %S' ${NGINX_TEMP_DIR}); used=$(( ($1 - $2) * $3 )); ` +
  `[ -n "$base" ] || base=$used; used=$(( used - base )); ` +
  `if [ "$used" -gt "$peak" ]; then peak=$used; echo "$peak" > ${NGINX_TEMP_PEAK_FILE}; fi; sleep ${TEMP_SAMPLE_MS / 1000}; done`;

// The engine's DNS server for the run's network, as the container's resolv.conf names it (Docker's 127.0.0.11,
// Podman's on the network's gateway): written into the rendered config when Nginx starts.
export const RESOLVER_PLACEHOLDER = '@resolver@';
const RESOLVED_CONF = `${LAB_NGINX_RUN_DIR}/nginx.resolved.conf`;

// Nginx in the foreground with the temp sampler beside it, its config given the engine's DNS server first.
export function nginxCommand(confPath: string): string[] {
  const resolve = `sed "s/${RESOLVER_PLACEHOLDER}/$(awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf)/" ${confPath} > ${RESOLVED_CONF}`;
  return ['/bin/sh', '-c', `${resolve} || exit 1; (${TEMP_SAMPLER}) & exec nginx -c ${RESOLVED_CONF}`];
}

type Optional = (directive: string, value: number | undefined, unit?: string) => string;

function httpLocation(nginx: NonNullable<Lab['nginx']>, optional: Optional): string {
  return `    set $app_upstream http://app:${APP_PORT};
    location / {
      proxy_pass $app_upstream;
${
  nginx.proxyHttpVersion === '1.1'
    ? `      proxy_http_version 1.1;
      proxy_set_header Connection "";`
    : '      proxy_http_version 1.0;'
}
      proxy_buffering ${nginx.proxyBuffering ? 'on' : 'off'};${nginx.proxyRequestBuffering ? '' : '\n      proxy_request_buffering off;'}${optional('proxy_max_temp_file_size', nginx.maxTempFileSizeBytes)}${optional('proxy_read_timeout', nginx.proxyReadTimeoutS, 's')}
    }`;
}

// uWSGI's own protocol to its uwsgi socket, with Debian's uwsgi_params: proxyBuffering is uwsgi_buffering.
function uwsgiLocation(nginx: NonNullable<Lab['nginx']>, optional: Optional): string {
  return `    set $app_upstream app:${UWSGI_PORT};
    location / {
      include /etc/nginx/uwsgi_params;
      uwsgi_pass $app_upstream;
      uwsgi_buffering ${nginx.proxyBuffering ? 'on' : 'off'};${optional('uwsgi_max_temp_file_size', nginx.maxTempFileSizeBytes)}${optional('uwsgi_read_timeout', nginx.proxyReadTimeoutS, 's')}
    }`;
}

export function renderNginxConfig(nginx: NonNullable<Lab['nginx']>): string {
  const optional = (directive: string, value: number | undefined, unit = '') => (value === undefined ? '' : `\n      ${directive} ${value}${unit};`);
  return `# Rendered for one lab run.
daemon off;
worker_processes 1;
pid ${LAB_NGINX_RUN_DIR}/nginx.pid;
error_log /dev/stderr info;
events { worker_connections 256; }
http {
  log_format lab escape=json '${ACCESS_FORMAT}';
  access_log /dev/stdout lab;
  # The app is looked up per request (Docker's DNS), so Nginx can start before the app container exists.
  resolver ${RESOLVER_PLACEHOLDER} valid=10s ipv6=off;
  sendfile on;
  # Uploads of any size (Nginx refuses bodies over 1 MiB by default); a buffered body goes to a temp file.
  client_max_body_size 0;
  server {
    listen ${NGINX_PORT};${nginx.http2 ? '\n    http2 on;' : ''}${optional('send_timeout', nginx.sendTimeoutS, 's').replace('      ', '    ')}
${nginx.protocol === 'uwsgi' ? uwsgiLocation(nginx, optional) : httpLocation(nginx, optional)}
    location /static/ {
      alias ${SHARED_DATA_DIR}/;
    }
    location /protected/ {
      internal;
      alias ${SHARED_DATA_DIR}/;
    }
  }
}
`;
}
