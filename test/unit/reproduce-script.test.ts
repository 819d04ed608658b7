// Unit tests of src/report/reproduce-script.ts.
import test from 'ava';
import { validateLab } from '../../src/lab/schema.ts';
import { labStack } from '../../src/topology/lab-stack.ts';
import { reproduceFiles } from '../../src/report/reproduce-script.ts';
import { parseCheckOptions } from '../../src/check/check-options.ts';
import { readNginxSource } from '../../src/check/nginx-source.ts';
import { readNginxConf } from '../../src/check/read-nginx-conf.ts';
import { userStack } from '../../src/check/user-stack.ts';

const lab = (extra: Record<string, unknown> = {}) => {
  const { lab: resolved } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...extra });
  if (!resolved) throw new Error('fixture lab is invalid');
  return resolved;
};

test('reproduce.sh of a run on Podman: the podman CLI throughout, its tmpfs option, limits and data volume owner', (t) => {
  const spec = labStack(lab(), { app: 'app-image', nginx: 'nginx-image', client: 'client-image' });
  const script = reproduceFiles({
    name: 'x',
    runId: 'r',
    spec,
    clientCommand: ['python3', '/client/client.py'],
    throttle: ['/client/throttle.sh', '1', '2'],
    engine: 'podman',
  }).files.find((f) => f.path === 'reproduce.sh')!.text;
  t.false(/\bdocker (run|rm|exec|logs|network|volume)\b/.test(script), 'no docker command left');
  t.is(script.match(/podman run -d/g)?.length, 3);
  t.regex(script, /podman run --rm --network "container:\$run-client" --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --cap-drop ALL --cap-add NET_ADMIN/);
  t.regex(script, /--user lab[^]*--tmpfs \/tmp:U\b/);
  t.false(/uid=1000,gid=1000 \\/.test(script), 'no uid= on a tmpfs: Podman refuses it');
  t.regex(script, /podman volume create .* --opt o=uid=1000,gid=1000 "\$run-data"/);
  // Only what it made: Podman's rm removes nothing where one of its names does not exist.
  t.regex(
    script,
    /cleanup\(\) \{ podman rm -f "\$run-app" "\$run-nginx" "\$run-client" >\/dev\/null 2>&1 \|\| true; podman network rm "\$net" .*; podman volume rm "\$run-data" >/,
  );
  t.regex(script, /podman logs "\$run-app"/);
});

test('reproduce.sh of a Unix-socket stack: the socket volume on tmpfs shared by app and Nginx, the app ready by its boot line', (t) => {
  const options = parseCheckOptions({
    app: 'examples/flask',
    'app-module': 'app:app',
    path: '/d',
    nginx: 'examples/flask/site-socket.conf',
    'gunicorn-args': '--bind unix:/run/app/gunicorn.sock -m 007',
  });
  const source = readNginxSource(options.nginxPath!);
  const files = new Map([['/etc/nginx/nginx.conf', 'user www-data; events {} http { include /etc/nginx/sites-enabled/*; }'], ...source.files]);
  const { spec } = userStack(options, { app: 'app-image', nginx: 'nginx-image', client: 'client-image' }, { source, facts: readNginxConf(files), files });
  const script = reproduceFiles({ name: 'check', runId: 'r', spec, clientCommand: ['python3', '/client/client.py'], throttle: null }).files.find(
    (f) => f.path === 'reproduce.sh',
  )!.text;
  t.regex(script, /docker volume create .* --opt type=tmpfs --opt device=tmpfs --opt o=mode=1777,size=1m "\$run-socket"/);
  t.is(script.match(/-v "\$run-socket":\/run\/app:rw/g)?.length, 2, 'mounted in the app and in Nginx');
  t.regex(script, /--user lab:www-data/);
  t.regex(script, /until docker logs "\$run-app" 2>&1 \| grep -q 'Booting worker'; do sleep 0\.2; done/);
  t.regex(script, /docker volume rm "\$run-socket" >/, 'only the volume it made: no data volume in a check');
  t.notRegex(script, /wait-ready\.py app /);
});
