// Hypothesis (the Kubernetes ingress-nginx controller's defaults): its Nginx ships `proxy-buffering: "off"`, so behind
// it a slow client holds a sync worker until WORKER TIMEOUT, however the app is deployed.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "Nginx with the ingress-nginx controller's defaults (`proxy_buffering off`, `proxy_request_buffering on`, HTTP/1.1 to the upstream) lets a slow client keep a Gunicorn sync worker sending until the arbiter kills it mid-transfer.",
  hypothesisFrom: 'ingress-nginx ConfigMap docs: proxy-buffering "off", proxy-request-buffering "on", proxy-http-version "1.1" by default',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false, proxyRequestBuffering: true, proxyHttpVersion: '1.1' },
  expect: { workerTimeout: true, outcome: 'truncated', clientStatus: 200, nginxErrorIncludes: 'upstream prematurely closed connection' },
});
