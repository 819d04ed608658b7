// The docker compose example (examples/compose/): the names the README's --attach command uses.
import test from 'ava';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fileURLToPath } from 'node:url';
import { readNginxConf } from '../../src/check/read-nginx-conf.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const example = (file: string) => path.join(ROOT, 'examples', file);

test("the docker compose example: its services are the names the README's --attach command uses, its build contexts exist", (t) => {
  const compose = parseYaml(readFileSync(example('compose/docker-compose.yml'), 'utf8')) as {
    services: Record<string, { build: { context: string; dockerfile?: string } }>;
  };
  t.deepEqual(Object.keys(compose.services), ['django', 'nginx']);
  for (const service of Object.values(compose.services)) {
    const context = path.join(example('compose'), service.build.context);
    t.true(existsSync(path.join(context, service.build.dockerfile ?? 'Dockerfile')), context);
  }
  // Nginx reaches the app by its service name.
  t.deepEqual(readNginxConf(readFileSync(example('django/nginx.conf'), 'utf8')).upstreams, [{ kind: 'tcp', host: 'django', port: 8000 }]);
  t.regex(
    readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
    /check --attach shop_default --url http:\/\/nginx:80\/download\/export\.bin --app-container shop-django-1/,
  );
});
