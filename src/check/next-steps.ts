// What a failed check's report ends with: the remedies that fit what was observed. From --try-remedies where it
// ran (the ones that survived, cheapest first), else which to try and the command that
// tries them. Pure: no Docker here.
import { serverNameOf } from '../observe/app-server-words.ts';
import { hasNoTimeout, type CheckServer } from './gunicorn-facts.ts';
import { formatBytes } from '../lab/parse-size.ts';
import type { RemedyRow } from './remedy-table.ts';
import { inUsersWords } from '../project-root.ts';

// How to apply a remedy of the table to one's own stack.
function howTo(remedy: string, upload: boolean): string {
  if (remedy === 'proxy_request_buffering on')
    return 'drop `proxy_request_buffering off` from your Nginx config (Nginx reads a request body whole first by default)';
  if (remedy === 'proxy_buffering on')
    return 'drop `proxy_buffering off` from your Nginx config (Nginx buffers by default), or allow it only where streaming needs it';
  if (remedy === 'uwsgi_buffering on') return 'drop `uwsgi_buffering off` from your Nginx config (Nginx buffers uWSGI responses by default)';
  if (remedy.startsWith('offload threads')) return 'run uWSGI with `--offload-threads 1`: it hands file responses to a thread of their own';
  const harakiri = /harakiri raised to (\d+) s/.exec(remedy);
  if (harakiri) return `raise uWSGI's \`--harakiri\` to ${harakiri[1]} s: it survives by holding a worker for the whole ${upload ? 'upload' : 'download'}`;
  if (remedy.startsWith('gevent')) return "run Gunicorn with `--worker-class gevent` (gevent installed in the app's environment)";
  if (remedy.startsWith('gthread')) return 'run Gunicorn with `--worker-class gthread --threads 4`';
  const raised = /timeout raised to (\d+) s/.exec(remedy);
  if (raised) return `raise Gunicorn's \`--timeout\` to ${raised[1]} s: it survives by holding a worker for the whole ${upload ? 'upload' : 'download'}`;
  return remedy;
}

// Shell words quoted where they need it, for a command to copy.
const quote = (word: string) => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`);

// passed: the verdict; rows: --try-remedies' table where it ran; command: the check as the user ran it (its words
// after `check`), null where remedies can't be laid over the stack (an attached one).
// upload: the slow part was the request body (the remedies that fit are the request's).
export function nextSteps(
  passed: boolean,
  rows: readonly RemedyRow[] | null,
  command: readonly string[] | null,
  proxied: boolean,
  upload = false,
  server?: CheckServer,
): string[] {
  if (passed) return [];
  if (rows) {
    // What a remedy costs: how long Gunicorn is busy with the download, and how long another request waits meanwhile
    // (a raised timeout survives by holding the worker: the second request waits for the whole download).
    const cost = (r: RemedyRow) => (r.gunicornBusyMs ?? Infinity) + (r.secondRequestWaitMs ?? 0);
    // A capacity check's rows: the most slow clients held first ("≥ 64" above "3"), then the least memory.
    const held = (r: RemedyRow) => (r.capacityHeld == null ? null : Number(r.capacityHeld.replace('≥ ', '')) + (r.capacityHeld.startsWith('≥') ? 0.5 : 0));
    const order = (a: RemedyRow, b: RemedyRow) =>
      held(a) !== null && held(b) !== null ? held(b)! - held(a)! || (a.appMemoryBytes ?? Infinity) - (b.appMemoryBytes ?? Infinity) : cost(a) - cost(b);
    const survived = rows.filter((r) => r.result === 'survived').sort(order);
    if (!survived.length)
      return ['None of the remedies tried survived the slow client: serve the file outside Gunicorn (Nginx `X-Accel-Redirect`, a CDN), or make it smaller.'];
    return survived.map(
      (r, i) =>
        `${i === 0 ? 'Best' : 'Also'}: ${howTo(r.remedy, upload)} (${r.capacityHeld != null ? `slow clients held ${r.capacityHeld}` : `${server ? serverNameOf(server) : 'Gunicorn'} busy ${r.gunicornBusyMs === null ? '–' : `${(r.gunicornBusyMs / 1000).toFixed(2)} s`}`}, app memory ${r.appMemoryBytes === null ? '–' : formatBytes(r.appMemoryBytes)}).`,
    );
  }
  // uWSGI's own remedies (the labs uwsgi-buffered and uwsgi-offload show them).
  const candidates = hasNoTimeout(server)
    ? [
        proxied
          ? 'let Nginx buffer the response (`proxy_buffering on`, its default)'
          : 'put a buffering proxy in front (Nginx with its default `proxy_buffering on`)',
        `serve the file outside ${serverNameOf(server)} (Nginx \`X-Accel-Redirect\`, a CDN)`,
      ]
    : server === 'uwsgi'
      ? [
          proxied
            ? 'let Nginx buffer the response (`uwsgi_buffering on`, its default)'
            : "put a buffering proxy in front (Nginx's `uwsgi_pass` with its default `uwsgi_buffering on`)",
          "hand file responses to uWSGI's offload threads (`--offload-threads 1`)",
          'raise `--harakiri` past the slowest download (it survives by holding a worker)',
        ]
      : upload
        ? [
            ...(proxied
              ? ['let Nginx read the request body whole first (`proxy_request_buffering on`, its default)']
              : ['put a proxy in front that reads the request body whole first (Nginx with its default `proxy_request_buffering on`)']),
            'an async or threaded worker (`--worker-class gevent`, or `gthread --threads 4`)',
          ]
        : [
            ...(proxied
              ? ['let Nginx buffer the response (`proxy_buffering on`, its default)']
              : ['put a buffering proxy in front (Nginx with its default `proxy_buffering on`)']),
            'an async or threaded worker (`--worker-class gevent`, or `gthread --threads 4`)',
            'serve the file outside Gunicorn (`X-Accel-Redirect`)',
          ];
  const tryThem = command
    ? inUsersWords(
        `Try them on your stack, your files unchanged: npm run lab -- check ${[...command.filter((w) => w !== '--json' && w !== '--keep'), '--try-remedies'].map(quote).join(' ')}`,
      )
    : 'A stack already running is not changed: run check on your files (--nginx, --app or --app-image) with --try-remedies to try them.';
  return [`Remedies that fit: ${candidates.join('; ')}.`, tryThem];
}
