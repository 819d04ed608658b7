// The CLI's deferred modules (scripts/lazy-modules.mjs): which files are deferred, and that a stand-in loads the real
// module only on its first use and then behaves as it does, for the ways dockerode and testcontainers use them.
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
// @ts-expect-error: plain JavaScript, no declarations
import { deferred, isDeferred } from '../../scripts/lazy-modules.mjs';

const modules = (...parts: string[]) => path.join('/p', 'node_modules', ...parts);

test('the heavy packages a local run never calls are deferred, and nothing else', (t) => {
  t.true(isDeferred(modules('ssh2', 'lib', 'index.js')));
  t.true(isDeferred(modules('docker-modem', 'lib', 'ssh.js')));
  t.true(isDeferred(modules('@grpc', 'grpc-js', 'build', 'src', 'index.js')));
  t.true(isDeferred(modules('undici', 'index.js')));
  t.false(isDeferred(modules('docker-modem', 'lib', 'modem.js')));
  t.false(isDeferred(modules('dockerode', 'lib', 'docker.js')));
  t.false(isDeferred(modules('testcontainers', 'build', 'index.js')));
});

class Real {
  static made = 0;
  value: number;
  constructor(value: number) {
    this.value = value;
    Real.made += 1;
  }
}

test('a stand-in loads nothing until used, then reads, calls and constructs the real module', (t) => {
  let loads = 0;
  const real = Object.assign((x: number) => x * 2, { Client: Real, name2: 'ssh2' });
  const stand = deferred(() => {
    loads += 1;
    return real;
  });
  // What TypeScript's CommonJS output does as it imports: asks for __esModule.
  t.is(stand.__esModule, undefined);
  t.is(loads, 0);
  t.is(stand(21), 42);
  t.is(loads, 1);
  const made = new stand.Client(7);
  t.true(made instanceof Real);
  t.is(made.value, 7);
  t.is(stand.name2, 'ssh2');
  t.true('Client' in stand);
  t.is(loads, 1);
});

test('a stand-in of an object module can be constructed from, spread and walked (__importStar)', (t) => {
  const real = { Agent: Real, fetch: () => 'ok' };
  const stand = deferred(() => real);
  const copy: Record<string, unknown> = {};
  for (const key in stand) copy[key] = stand[key];
  t.deepEqual(Object.keys(copy).sort(), ['Agent', 'fetch']);
  t.is(stand.fetch(), 'ok');
  t.true(new stand.Agent(1) instanceof Real);
  t.deepEqual({ ...stand }.fetch, real.fetch);
});

test('a run of the CLI loads no deferred package until it needs one; GUNICORN_LAB_EAGER=1 loads them all', async (t) => {
  // dockerode, as a lab run imports it, with and without the hook: which deferred packages got compiled.
  const probe = `import { deferHeavyModules } from './scripts/lazy-modules.mjs';
    if (process.env.GUNICORN_LAB_EAGER !== '1') deferHeavyModules();
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    require('dockerode');
    console.log(Object.keys(require.cache).filter((f) => /node_modules\\/(ssh2|@grpc|protobufjs)\\//.test(f)).length);`;
  const lazy = await execa('node', ['--input-type=module', '-e', probe]);
  const eager = await execa('node', ['--input-type=module', '-e', probe], { env: { GUNICORN_LAB_EAGER: '1' } });
  t.is(lazy.stdout.trim(), '0');
  t.true(Number(eager.stdout.trim()) > 10, eager.stdout);
});
