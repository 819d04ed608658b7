// Unit tests of src/topology/lab-stack.ts.
import test from 'ava';
import { validateLab } from '../../src/lab/schema.ts';
import { renderNginxConfig } from '../../src/topology/nginx-config.ts';
import { labStack } from '../../src/topology/lab-stack.ts';
import { reproduceFiles } from '../../src/report/reproduce-script.ts';

const lab = (extra: Record<string, unknown> = {}) => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...extra });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};

test('gunicorn: eventlet boots without its green DNS module, the other workers with their own environment', (t) => {
  const images = { app: 'app-image', nginx: 'nginx-image', client: 'client-image' };
  t.is(labStack(lab({ gunicorn: { worker: 'eventlet' } }), images).app.env?.EVENTLET_NO_GREENDNS, 'yes');
  for (const worker of ['sync', 'gthread', 'gevent', 'uvicorn']) {
    t.false('EVENTLET_NO_GREENDNS' in (labStack(lab({ gunicorn: { worker } }), images).app.env ?? {}), worker);
  }
});

test("a lab's stack is confined: no capability added anywhere, read-only roots, its config on Nginx's tmpfs; reproduce.sh says the same", (t) => {
  const resolved = lab({ nginx: { proxyBuffering: false } });
  const spec = labStack(resolved, { app: 'app-image', nginx: 'nginx-image', client: 'client-image' });
  for (const role of [spec.app, spec.nginx!, spec.client]) {
    t.deepEqual(role.confinement.capAdd, [], role.alias);
    t.true(role.confinement.readOnlyRoot, role.alias);
    t.truthy(role.confinement.user, role.alias);
  }
  const conf = spec.nginx!.files![0]!;
  t.true(
    spec.nginx!.confinement.tmpfs.some((dir) => conf.target.startsWith(`${dir}/`)),
    'the config file lies on a tmpfs',
  );
  // Nginx in the foreground, its temp-file sampler beside it (a subshell started first).
  t.deepEqual(spec.nginx!.command?.slice(0, 2), ['/bin/sh', '-c']);
  // The engine's DNS server goes into a copy of the rendered config (read-only where reproduce.sh mounts it), then the
  // temp sampler and Nginx start.
  t.regex(
    spec.nginx!.command![2]!,
    /^sed "s\/@resolver@\/\$\(awk '\/\^nameserver\/ \{ print \$2; exit \}' \/etc\/resolv\.conf\)\/" \/run\/lab\/nginx\.conf > \/run\/lab\/nginx\.resolved\.conf \|\| exit 1; \(base=; peak=-1; while :; do set -- \$\(stat -f -c '%b %f %S' \/var\/lib\/nginx\);.* > \/run\/lab\/nginx-temp-peak; fi; sleep 0\.2; done\) & exec nginx -c \/run\/lab\/nginx\.resolved\.conf$/,
  );
  t.regex(renderNginxConfig(lab().nginx!), /resolver @resolver@ valid=10s ipv6=off;/);
  t.is(spec.nginx!.tempPeakFile, '/run/lab/nginx-temp-peak');
  t.is(spec.nginx!.ready, null, 'ready once it accepts connections, waited for from the client');
  const script = reproduceFiles({
    name: 'x',
    runId: 'r',
    spec,
    clientCommand: ['python3', '/client/client.py'],
    throttle: ['/client/throttle.sh', '1', '2'],
  }).files.find((f) => f.path === 'reproduce.sh')!.text;
  t.is(script.match(/--cap-drop ALL/g)?.length, 4, 'app, nginx, client and the shaper drop every capability');
  t.is(script.match(/--cap-add /g)?.length, 1, 'only the shaper adds one back');
  t.regex(script, /docker run --rm --network "container:\$run-client" --cap-drop ALL --cap-add NET_ADMIN .*client-image \/client\/throttle\.sh 1 2/);
  t.regex(script, /--user lab[^]*--read-only[^]*--tmpfs \/tmp:uid=1000,gid=1000[^]*app-image/);
  t.regex(script, /--user www-data[^]*--tmpfs \/run\/lab:uid=33,gid=33[^]*-v "\$here\/stack\/nginx\.conf":\/run\/lab\/nginx\.conf:ro/);
  t.false(/--privileged|--publish| -p /.test(script), 'nothing privileged, nothing published');
  t.is(script.match(/ >\/dev\/null &\n/g)?.length, 3, 'the three containers start at once');
  t.regex(script, /docker exec "\$run-client" python3 \/client\/wait-ready\.py nginx 80 - 30/);
  t.regex(script, /for pid in \$started; do wait "\$pid"; done\ndocker run --rm --network "container:/, 'every start is waited for before the throttle');
});
