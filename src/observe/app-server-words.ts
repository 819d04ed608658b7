// How the reports name the app server and the line that says it killed a worker: Gunicorn's WORKER TIMEOUT, uWSGI's
// HARAKIRI, mod_wsgi's "request time limit exceeded"; Waitress, Uvicorn and Hypercorn alone have no such line (nothing of theirs kills a busy worker). An
// observation saved before servers had kinds is Gunicorn's.
import type { Observation } from './observation.ts';

const NAMES = { gunicorn: 'Gunicorn', uwsgi: 'uWSGI', waitress: 'Waitress', uvicorn: 'Uvicorn', hypercorn: 'Hypercorn', mod_wsgi: 'mod_wsgi' } as const;
const KILLS = {
  gunicorn: 'WORKER TIMEOUT',
  uwsgi: 'HARAKIRI',
  waitress: 'WORKER TIMEOUT',
  uvicorn: 'WORKER TIMEOUT',
  hypercorn: 'WORKER TIMEOUT',
  mod_wsgi: 'request time limit exceeded',
} as const;

export const serverName = (o: Observation): string => NAMES[o.gunicorn.server ?? 'gunicorn'];
export const serverNameOf = (server: keyof typeof NAMES): string => NAMES[server];
export const killLine = (o: Observation): string => KILLS[o.gunicorn.server ?? 'gunicorn'];
export const killLineOf = (server: keyof typeof KILLS): string => KILLS[server];
