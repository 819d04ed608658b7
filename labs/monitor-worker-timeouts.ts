// Hypothesis (the article's production advice): worker timeouts can be monitored; here are the two signals.
import { defineLab, MiB } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'With `--statsd-host`, the WORKER TIMEOUT of the problem stack shows up within seconds as the statsd counter gunicorn.log.critical, beside the error log line: the signal an alert can watch.',
  fileSizeBytes: 8 * MiB,
  gunicorn: { worker: 'sync', timeoutS: 2, statsd: true },
  nginx: { proxyBuffering: false },
  expect: { workerTimeout: true, outcome: 'truncated', timeoutAlert: true },
  claims: [{ quote: 'Monitor worker timeouts and adjust the configuration in time.', says: { workerTimeout: true, timeoutAlert: true } }],
});
