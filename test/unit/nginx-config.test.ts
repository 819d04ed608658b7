// Unit tests of src/topology/nginx-config.ts.
import test from 'ava';
import { renderNginxConfig } from '../../src/topology/nginx-config.ts';

test('nginx.conf follows proxyBuffering and the upstream HTTP version, and logs JSON', (t) => {
  const off = renderNginxConfig({ proxyBuffering: false, proxyHttpVersion: '1.1', proxyRequestBuffering: true, protocol: 'http', http2: false });
  t.regex(off, /proxy_http_version 1\.1;\n\s+proxy_set_header Connection "";/);
  const http10 = renderNginxConfig({ proxyBuffering: false, proxyHttpVersion: '1.0', proxyRequestBuffering: false, protocol: 'http', http2: false });
  t.regex(http10, /proxy_http_version 1\.0;/);
  t.notRegex(http10, /proxy_set_header Connection/);
  t.regex(http10, /proxy_request_buffering off;/);
  t.notRegex(off, /proxy_request_buffering/, "Nginx's default: the body read whole first");
  t.regex(off, /client_max_body_size 0;/);
  t.regex(off, /proxy_buffering off;/);
  t.regex(off, /log_format lab escape=json/);
  t.regex(off, /set \$app_upstream http:\/\/app:8000;/);
  t.regex(off, /location \/protected\/ \{\s+internal;/);
  t.notRegex(off, /proxy_max_temp_file_size|proxy_read_timeout|send_timeout/);
  t.notRegex(off, /http2/, 'HTTP/1.1 only, unless asked');
  const h2 = renderNginxConfig({ proxyBuffering: false, proxyHttpVersion: '1.1', proxyRequestBuffering: true, protocol: 'http', http2: true });
  t.regex(h2, /listen 80;\n\s+http2 on;/, 'cleartext HTTP/2 beside HTTP/1.1 on the one port');
  const tuned = renderNginxConfig({
    proxyBuffering: true,
    proxyHttpVersion: '1.1',
    proxyRequestBuffering: true,
    protocol: 'http',
    http2: false,
    maxTempFileSizeBytes: 1048576,
    proxyReadTimeoutS: 300,
    sendTimeoutS: 300,
  });
  t.regex(tuned, /proxy_buffering on;/);
  t.regex(tuned, /proxy_max_temp_file_size 1048576;/);
  t.regex(tuned, /proxy_read_timeout 300s;/);
  t.regex(tuned, /\n {4}send_timeout 300s;/);
});

test("uwsgi_pass to uWSGI's own socket with Debian's uwsgi_params; proxyBuffering is uwsgi_buffering; no proxy_ directive", (t) => {
  const base = { proxyHttpVersion: '1.1', proxyRequestBuffering: true, protocol: 'uwsgi', http2: false } as const;
  const off = renderNginxConfig({ ...base, proxyBuffering: false });
  t.regex(off, /set \$app_upstream app:8001;\s+location \/ \{\s+include \/etc\/nginx\/uwsgi_params;\s+uwsgi_pass \$app_upstream;\s+uwsgi_buffering off;/);
  t.notRegex(off, /proxy_pass|proxy_buffering|proxy_http_version/);
  t.regex(renderNginxConfig({ ...base, proxyBuffering: true, maxTempFileSizeBytes: 0 }), /uwsgi_buffering on;\s+uwsgi_max_temp_file_size 0;/);
});
