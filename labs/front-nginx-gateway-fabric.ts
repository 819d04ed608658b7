// Hypothesis (NGINX Gateway Fabric's docs on its ProxySettingsPolicy): the Gateway-API successor to ingress-nginx
// leaves proxy_buffering at Nginx's default (on) unless a ProxySettingsPolicy turns it off, and proxies with HTTP/1.1;
// so, unlike ingress-nginx's "off", it protects a sync worker out of the box.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With NGINX Gateway Fabric's defaults (Nginx's own `proxy_buffering on`, HTTP/1.1 to the upstream, no ProxySettingsPolicy), Nginx takes the whole file from the sync worker at once: no WORKER TIMEOUT, and the slow download completes.",
  hypothesisFrom:
    "NGINX Gateway Fabric's documentation of ProxySettingsPolicy (proxy_buffering and its buffers, set per Gateway or route; Nginx's defaults where none applies)",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: true, proxyHttpVersion: '1.1' },
  expect: { workerTimeout: false, outcome: 'complete', checksumMatches: true, upstreamDoneFirst: true },
});
