// Unit tests of src/observe/app-server-words.ts: the server's name and its kill line in the reports' words.
import test from 'ava';
import { killLine, serverName } from '../../src/observe/app-server-words.ts';
import { quietObservation } from './helpers/observation.ts';

test("Gunicorn's WORKER TIMEOUT, uWSGI's HARAKIRI; an observation saved before servers had kinds is Gunicorn's", (t) => {
  const as = (server: 'gunicorn' | 'uwsgi' | 'waitress' | undefined) => quietObservation((o) => void (o.gunicorn.server = server as never));
  t.deepEqual([serverName(as('gunicorn')), killLine(as('gunicorn'))], ['Gunicorn', 'WORKER TIMEOUT']);
  t.deepEqual([serverName(as('uwsgi')), killLine(as('uwsgi'))], ['uWSGI', 'HARAKIRI']);
  t.is(serverName(as('waitress')), 'Waitress');
  t.deepEqual([serverName(as(undefined)), killLine(as(undefined))], ['Gunicorn', 'WORKER TIMEOUT']);
});
