// Unit tests of src/docker/docker-client.ts.
import test from 'ava';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DOCKER_SOCKET, PODMAN_ROOT_SOCKET, engineSearchDescription, engineSockets, findEngine } from '../../src/docker/docker-client.ts';

// An engine's ping, as the Docker-compatible API answers it, on a real Unix socket.
async function pingServer(socket: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url?.endsWith('/_ping')) res.end('OK');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

test('the sockets looked at: Docker, Podman as root, then the runtime folder (rootless Podman, rootless Docker)', (t) => {
  t.deepEqual(engineSockets({}), [DOCKER_SOCKET, PODMAN_ROOT_SOCKET]);
  t.deepEqual(engineSockets({ XDG_RUNTIME_DIR: '/run/user/1000' }), [
    DOCKER_SOCKET,
    PODMAN_ROOT_SOCKET,
    '/run/user/1000/podman/podman.sock',
    '/run/user/1000/docker.sock',
  ]);
  t.is(engineSearchDescription({}), `${DOCKER_SOCKET}, ${PODMAN_ROOT_SOCKET}`);
  t.is(engineSearchDescription({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }), 'tcp://10.0.0.1:2375');
});

test('the first socket that answers wins and goes to DOCKER_HOST; a regular file, a missing path and a silent socket are passed over', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-engine-'));
  const silent = http.createServer(() => undefined);
  const servers: http.Server[] = [];
  try {
    const file = path.join(dir, 'docker.sock');
    writeFileSync(file, '');
    const silentSocket = path.join(dir, 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(silentSocket, resolve));
    mkdirSync(path.join(dir, 'podman'));
    const podman = path.join(dir, 'podman', 'podman.sock');
    const later = path.join(dir, 'later.sock');
    servers.push(await pingServer(podman), await pingServer(later));

    // A deadline for each socket that a loaded machine still meets (the whole unit suite runs beside this test).
    const env: NodeJS.ProcessEnv = {};
    const found = await findEngine(2000, env, [path.join(dir, 'missing.sock'), file, silentSocket, podman, later]);
    t.is(found, `unix://${podman}`);
    t.is(env.DOCKER_HOST, `unix://${podman}`, 'the commands this process starts speak to the same engine');

    const none: NodeJS.ProcessEnv = {};
    t.is(await findEngine(300, none, [path.join(dir, 'missing.sock'), file, silentSocket]), null);
    t.is(none.DOCKER_HOST, undefined, 'nothing found: DOCKER_HOST stays unset');
  } finally {
    for (const s of [silent, ...servers]) {
      s.closeAllConnections();
      s.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
