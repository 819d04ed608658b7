// The remedies `check --try-remedies` lays over a user's stack without touching their files: Gunicorn settings
// added from outside (GUNICORN_CMD_ARGS), uWSGI flags added after its own command, or a copy of their nginx.conf
// with one directive changed.
import { hasNoTimeout, type CheckServer } from './gunicorn-facts.ts';

export interface Remedy {
  name: string;
  // Added after their own Gunicorn flags (see gunicornAppCommand), so these win over their config and flags.
  gunicornArgs: string[];
  // Added after their image's uWSGI command line (a later flag wins over an earlier one of the same name).
  uwsgiArgs?: string[];
  // A file of their Nginx config changed for this remedy, or the reason it does not apply to it.
  nginxConf?: (text: string) => { text: string } | { reason: string };
}

// Every `proxy_buffering off` turned on; where their config has none, buffering is on already (Nginx's default).
export function bufferingOn(text: string): { text: string } | { reason: string } {
  const off = /(\bproxy_buffering\s+)off(\s*;)/g;
  if (!off.test(text)) return { reason: 'your Nginx config already buffers (no proxy_buffering off in it)' };
  return { text: text.replace(off, '$1on$2') };
}

// Every `uwsgi_buffering off` turned on (uwsgi_pass); where their config has none, Nginx buffers uWSGI's responses.
export function uwsgiBufferingOn(text: string): { text: string } | { reason: string } {
  const off = /(\buwsgi_buffering\s+)off(\s*;)/g;
  if (!off.test(text)) return { reason: 'your Nginx config already buffers uWSGI responses (no uwsgi_buffering off in it)' };
  return { text: text.replace(off, '$1on$2') };
}

// Every `proxy_request_buffering off` turned on; where their config has none, Nginx reads bodies whole already.
export function requestBufferingOn(text: string): { text: string } | { reason: string } {
  const off = /(\bproxy_request_buffering\s+)off(\s*;)/g;
  if (!off.test(text)) return { reason: 'your Nginx config already reads request bodies whole (no proxy_request_buffering off in it)' };
  return { text: text.replace(off, '$1on$2') };
}

// The remedies for a stack whose worker timeout is timeoutS; `nginx` says whether the stack has a proxy, `upload`
// whether the slow part is the request body (then Nginx's remedy is the request's buffering), `server` whether the
// app server is uWSGI (then its own: offload threads, a raised harakiri, and uwsgi_buffering for its uwsgi_pass).
export function remediesFor(timeoutS: number, nginx: boolean, upload = false, server?: CheckServer): Remedy[] {
  // Waitress, Uvicorn, Hypercorn: no worker class or timeout of Gunicorn's to change; their proxy's buffering only.
  if (hasNoTimeout(server)) return nginx && !upload ? [{ name: 'proxy_buffering on', gunicornArgs: [], nginxConf: bufferingOn }] : [];
  if (server === 'uwsgi')
    return [
      { name: 'offload threads (--offload-threads 1)', gunicornArgs: [], uwsgiArgs: ['--offload-threads', '1'] },
      { name: `harakiri raised to ${4 * timeoutS + 10} s`, gunicornArgs: [], uwsgiArgs: ['--harakiri', String(4 * timeoutS + 10)] },
      ...(nginx ? [{ name: 'uwsgi_buffering on', gunicornArgs: [], nginxConf: uwsgiBufferingOn }] : []),
    ];
  const remedies: Remedy[] = [
    { name: 'gevent worker', gunicornArgs: ['--worker-class', 'gevent'] },
    { name: 'gthread worker, 4 threads', gunicornArgs: ['--worker-class', 'gthread', '--threads', '4'] },
    // Long enough for the slow download (twice the old timeout and 2 s) with room: the cost is a held worker.
    { name: `timeout raised to ${4 * timeoutS + 10} s`, gunicornArgs: ['--timeout', String(4 * timeoutS + 10)] },
  ];
  if (nginx)
    remedies.push(
      upload
        ? { name: 'proxy_request_buffering on', gunicornArgs: [], nginxConf: requestBufferingOn }
        : { name: 'proxy_buffering on', gunicornArgs: [], nginxConf: bufferingOn },
    );
  return remedies;
}
