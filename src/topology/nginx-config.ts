// Renders the lab's nginx.conf: logs the observer can parse, and the proxy settings the lab varies.
import type { Lab } from '../lab/schema.ts';
import { APP_PORT } from './gunicorn-command.ts';

export const NGINX_PORT = 80;

// Access lines as JSON, so status, bytes and both timings parse without guessing.
const ACCESS_FORMAT =
  '{"time":"$time_iso8601","request":"$request","status":$status,"bodyBytesSent":$body_bytes_sent,' +
  '"requestTime":"$request_time","upstreamResponseTime":"$upstream_response_time","upstreamStatus":"$upstream_status"}';

// The data volume the app writes and Nginx reads (read-only): served as /static/ (Nginx alone) and /protected/ (X-Accel-Redirect only).
export const SHARED_DATA_DIR = '/data';

export function renderNginxConfig(nginx: NonNullable<Lab['nginx']>): string {
  const optional = (directive: string, value: number | undefined, unit = '') => (value === undefined ? '' : `\n      ${directive} ${value}${unit};`);
  return `# Rendered for one lab run.
daemon off;
worker_processes 1;
pid /run/nginx.pid;
error_log /dev/stderr info;
events { worker_connections 256; }
http {
  log_format lab escape=json '${ACCESS_FORMAT}';
  access_log /dev/stdout lab;
  # The app is looked up per request (Docker's DNS), so Nginx can start before the app container exists.
  resolver 127.0.0.11 valid=10s ipv6=off;
  sendfile on;
  server {
    listen ${NGINX_PORT};${optional('send_timeout', nginx.sendTimeoutS, 's').replace('      ', '    ')}
    set $app_upstream http://app:${APP_PORT};
    location / {
      proxy_pass $app_upstream;
${nginx.proxyHttpVersion === '1.1' ? `      proxy_http_version 1.1;
      proxy_set_header Connection "";` : '      proxy_http_version 1.0;'}
      proxy_buffering ${nginx.proxyBuffering ? 'on' : 'off'};${optional('proxy_max_temp_file_size', nginx.maxTempFileSizeBytes)}${optional('proxy_read_timeout', nginx.proxyReadTimeoutS, 's')}
    }
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
