// Unit tests of src/check/attach-options.ts.
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { attachedServer, gunicornFlagsFromCommand, parseAttachOptions } from '../../src/check/attach-options.ts';
import { bufferRoomBytes, parseBufferSysctls } from '../../src/check/buffer-room.ts';
import { UsageError } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test('check --attach flags: network, URL, containers, timeout; flags of a stack check would start are refused', (t) => {
  const options = parseAttachOptions({
    attach: 'shop_default',
    url: 'http://nginx:8080/download/report.bin?x=1',
    'app-container': 'shop-web-1',
    'proxy-container': 'shop-nginx-1',
    timeout: '5',
  });
  t.deepEqual(options.url, { host: 'nginx', port: 8080, path: '/download/report.bin?x=1' });
  t.is(options.network, 'shop_default');
  t.is(options.proxyContainer, 'shop-nginx-1');
  t.is(options.timeoutS, 5);
  t.is(parseAttachOptions({ attach: 'n', url: 'http://web/x', 'app-container': 'a' }).url.port, 80);
  // https: TLS on 443 by default, the host as SNI (an address sends none).
  t.deepEqual(parseAttachOptions({ attach: 'n', url: 'https://shop.example.com/x', 'app-container': 'a' }).url, {
    host: 'shop.example.com',
    port: 443,
    path: '/x',
    tls: { serverName: 'shop.example.com' },
  });
  t.deepEqual(parseAttachOptions({ attach: 'n', url: 'https://10.0.0.2:8443/x', 'app-container': 'a' }).url.tls, { serverName: null });
  const bad: Array<[Record<string, string | boolean>, RegExp]> = [
    [{ attach: 'n', 'app-container': 'a' }, /--attach needs --url/],
    [{ attach: 'n', url: 'http://web/x' }, /--attach needs --app-container NAME/],
    [{ attach: 'n', url: 'ftp://web/x', 'app-container': 'a' }, /only http:\/\/ and https:\/\/ are checked/],
    [{ attach: 'n', url: 'web:80/x', 'app-container': 'a' }, /--url web:80\/x: (not a URL|only http)/],
    [{ attach: 'n', url: 'http://web', 'app-container': 'a' }, /names no path/],
    [{ attach: 'n', url: 'http://web/x', 'app-container': 'a', timeout: '0' }, /--timeout 0: Gunicorn's timeout in whole seconds/],
    [
      { attach: 'n', url: 'http://web/x', 'app-container': 'a', nginx: 'x.conf' },
      /--attach checks a stack that already runs; --nginx describes one check would start/,
    ],
    [{ attach: 'n', url: 'http://web/x', 'app-container': 'a', 'try-remedies': true }, /--try-remedies describes one check would start/],
  ];
  for (const [values, message] of bad) t.throws(() => parseAttachOptions(values), { instanceOf: UsageError, message }, JSON.stringify(values));
  t.throws(() => parseCheckOptions({ app: example('flask'), 'app-module': 'app:app', path: '/d', url: 'http://x/y' }), {
    instanceOf: UsageError,
    message: /--url goes with --attach NETWORK/,
  });
});

test("an attached app's Gunicorn settings from its command line, and the room in the socket buffers", (t) => {
  t.deepEqual(gunicornFlagsFromCommand(['gunicorn', '-w', '3', '--timeout=5', '-k', 'gthread', '--threads', '4', 'app:app']), {
    timeoutS: 5,
    workers: 3,
    workerClass: 'gthread',
    threads: 4,
  });
  t.deepEqual(gunicornFlagsFromCommand(['/usr/bin/python3', '/usr/bin/gunicorn', '-t', '7', '-w2', 'x:app']), {
    timeoutS: 7,
    workers: 2,
    workerClass: null,
    threads: null,
  });
  t.deepEqual(
    gunicornFlagsFromCommand(['/srv/docker-entrypoint.sh']),
    { timeoutS: null, workers: null, workerClass: null, threads: null },
    'a script shows nothing',
  );
  t.deepEqual(parseBufferSysctls('4096\t16384\t4194304\n4096\t131072\t6291456\n'), { sendBytes: 4194304, receiveBytes: 6291456 });
  t.is(parseBufferSysctls(''), null);
  t.is(bufferRoomBytes({ appSendBytes: 4194304, proxyReceiveBytes: 6291456, proxySendBytes: 4194304, clientReceiveBytes: 131072 }), 14811136);
  t.is(bufferRoomBytes({ appSendBytes: null, proxyReceiveBytes: null, proxySendBytes: null, clientReceiveBytes: 131072 }), 131072);
});

test("an attached app's server and the timeout its crawl outlasts: Gunicorn's, uWSGI's harakiri, or none (Waitress, Uvicorn, Hypercorn)", (t) => {
  t.like(attachedServer(['gunicorn', '-w', '2', '--timeout', '7', 'app:app'], null), {
    timeoutS: 7,
    timeoutFrom: 'command line',
    label: 'gunicorn -w 2 --timeout 7, from its command line',
  });
  t.like(attachedServer(['gunicorn', 'app:app'], null), { timeoutS: 30, timeoutFrom: 'assumed' });
  t.like(attachedServer(['gunicorn', 'app:app'], 4), { timeoutS: 4, timeoutFrom: 'flag' });
  const uwsgi = attachedServer(['uwsgi', '--processes', '2', '--harakiri', '5'], null);
  t.like(uwsgi, { timeoutS: 5, timeoutFrom: 'command line', label: 'uwsgi --processes 2 --harakiri 5, from its command line' });
  t.is(uwsgi.facts.server, 'uwsgi');
  const waitress = attachedServer(['waitress-serve', '--threads=2', 'app:app'], null);
  t.like(waitress, { timeoutS: 10, timeoutFrom: 'no timeout' });
  t.is(waitress.label, 'Waitress --threads 2, no timeout mechanism: nothing kills a request a slow client holds; paced as for 10 s');
  t.is(attachedServer(['uvicorn', '--workers', '2', 'asgi:app'], null).facts.server, 'uvicorn');
  t.like(attachedServer(['hypercorn', 'asgi:app'], 20), { timeoutS: 20, timeoutFrom: 'flag' }, '--timeout still sets the pace');
});
