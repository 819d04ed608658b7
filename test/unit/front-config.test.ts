// Unit tests of src/topology/front-config.ts.
import test from 'ava';
import { validateLab } from '../../src/lab/schema.ts';
import { frontFiles } from '../../src/topology/front-config.ts';
import { describeFront } from '../../src/report/terminal.ts';

const lab = (data: Record<string, unknown>) => {
  const { lab: resolved, problems: found } = validateLab({ hypothesis: 'A hypothesis to test.', expect: { workerTimeout: true }, ...data });
  if (!resolved) throw new Error(found.join('; '));
  return resolved;
};

test("configs: Caddy's buffering under its name on each release, Apache's mod_xsendfile, HAProxy resolving the app itself", (t) => {
  const buffered = lab({ nginx: null, front: { kind: 'caddy', bufferResponses: true } }).front!;
  t.regex(frontFiles(buffered, 'bookworm').config.content, /reverse_proxy app:8000 \{\n\t\tbuffer_responses\n\t\tmax_buffer_size 1GiB\n\t\}/);
  t.regex(frontFiles(buffered, 'sid').config.content, /reverse_proxy app:8000 \{\n\t\tresponse_buffers 1GiB\n\t\}/);
  t.regex(frontFiles({ ...buffered, bufferResponses: false }, 'sid').config.content, /reverse_proxy app:8000 \{\n\t\}/, 'streaming: no buffer directive');
  t.is(describeFront(buffered, 'sid'), 'caddy in front (response_buffers)');
  const xsendfile = lab({ nginx: null, front: { kind: 'apache', xSendFile: true } }).front!;
  t.regex(frontFiles(xsendfile, 'trixie').config.content, /LoadModule xsendfile_module .*\nXSendFile On\nXSendFilePath \/data\n/);
  t.false(frontFiles({ ...xsendfile, xSendFile: false }, 'trixie').config.content.includes('XSendFile'));
  const haproxy = frontFiles(lab({ nginx: null, front: { kind: 'haproxy' } }).front!, 'bookworm');
  t.regex(haproxy.config.content, /server app app:8000 resolvers engine init-addr last,libc,none/);
  t.deepEqual(haproxy.command, ['haproxy', '-db', '-f', '/run/lab/haproxy.cfg']);
  t.regex(
    frontFiles(lab({ nginx: null, front: { kind: 'varnish' } }).front!, 'bookworm').command[2] ?? '',
    /^until getent hosts app .* exec varnishd -F -j none /,
  );
});
