// Unit tests of src/lab/comparison.ts.
import test from 'ava';
import { comparisonReleases, resolveVariants, validateComparison } from '../../src/lab/comparison.ts';
import { listComparisonNames, loadComparison } from '../../src/lab/load-lab.ts';
import { base, comparisonOf } from './helpers/comparison.ts';

test('comparison schema: relations and claims name variants that exist, two variants at least', (t) => {
  t.truthy(validateComparison(base).comparison);
  const problems = (input: unknown) => validateComparison(input).problems ?? [];
  t.deepEqual(problems({ ...base, relations: [{ left: 'gevent-2', measure: 'completed', op: '>', right: 'sync-1' }] }), [
    'relations.0.left: "gevent-2" is not a variant (sync-1, gevent-1)',
  ]);
  t.deepEqual(problems({ ...base, relations: [{ left: 'sync-1', measure: 'completed', op: '<', right: 'sync-1' }] }), [
    'relations.0.right: a variant compared with itself',
  ]);
  t.deepEqual(problems({ ...base, relations: [] }), ['relations: must name at least one relation']);
  t.deepEqual(problems({ ...base, variants: { 'sync-1': {} } }), [
    'variants: must name at least two variants to compare',
    'relations.0.left: "gevent-1" is not a variant (sync-1)',
  ]);
  t.regex(
    problems({ ...base, relations: [{ left: 'gevent-1', measure: 'speed', op: '>', right: 'sync-1' }] })[0]!,
    /^relations\.0\.measure: must be one of completed, /,
  );
  t.deepEqual(problems({ ...base, claims: [{ quote: 'q', says: [{ left: 'x', measure: 'completed', op: '>', right: 'sync-1' }] }] }), [
    'claims.0.says.0.left: "x" is not a variant (sync-1, gevent-1)',
  ]);
});

test("variants: each lays its gunicorn and nginx over the comparison's; overrides over every variant; a variant expects nothing itself", (t) => {
  const c = comparisonOf({
    ...base,
    gunicorn: { timeoutS: 3 },
    nginx: { proxyBuffering: false },
    variants: { ...base.variants, buffered: { nginx: { proxyBuffering: true } }, direct: { nginx: null } },
  });
  const { variants, problems } = resolveVariants('cap', c);
  t.deepEqual(problems, []);
  const by = Object.fromEntries(variants.map((v) => [v.variant, v.lab]));
  t.is(by['gevent-1']!.gunicorn.worker, 'gevent');
  t.is(by['gevent-1']!.gunicorn.timeoutS, 3);
  t.is(by.buffered!.nginx?.proxyBuffering, true);
  t.is(by['sync-1']!.nginx?.proxyBuffering, false);
  t.is(by.direct!.nginx, null);
  t.deepEqual(by['sync-1']!.expect, {});
  t.is(by['sync-1']!.client.downloads, 4);
  const allSync = resolveVariants('cap', c, { worker: 'sync', release: 'trixie' }).variants;
  t.true(allSync.every((v) => v.lab.gunicorn.worker === 'sync' && v.lab.release === 'trixie'));
  // A variant the schema refuses is named with its path.
  const bad = resolveVariants('cap', comparisonOf({ ...base, client: { downloads: 4 } }));
  t.true(
    bad.problems.some((p) => p === 'variants.sync-1: client.throttle: must be "reader" where the client runs several downloads: each is paced on its own'),
  );
});

test("variants: a variant's own client and app server are laid over the comparison's", (t) => {
  const c = comparisonOf({
    ...base,
    variants: { ...base.variants, one: { client: { downloads: 1 } }, waitress: { server: { kind: 'waitress', threads: 8 }, nginx: null } },
  });
  const { variants, problems } = resolveVariants('cap', c);
  t.deepEqual(problems, []);
  const by = Object.fromEntries(variants.map((v) => [v.variant, v.lab]));
  t.is(by.one!.client.downloads, 1);
  t.is(by.one!.client.throttle, 'reader', "the comparison's other client fields kept");
  t.is(by['sync-1']!.client.downloads, 4);
  t.deepEqual(by.waitress!.server, { kind: 'waitress', threads: 8 });
  t.is(by['sync-1']!.server.kind, 'gunicorn');
});

test("comparison releases: only where every variant's worker exists", (t) => {
  t.deepEqual(comparisonReleases(resolveVariants('c', comparisonOf(base)).variants), ['bookworm', 'trixie', 'sid']);
  t.deepEqual(
    comparisonReleases(resolveVariants('c', comparisonOf({ ...base, variants: { ...base.variants, e: { gunicorn: { worker: 'eventlet' } } } })).variants),
    ['bookworm', 'trixie'],
  );
});

test("the project's comparisons load, each variant a valid lab on every release it lists", async (t) => {
  const names = listComparisonNames();
  t.true(names.includes('capacity-sync-vs-gevent'));
  for (const name of names) {
    const { comparison, variants } = await loadComparison(name);
    t.true(variants.length >= 2, name);
    for (const release of comparisonReleases(variants)) t.deepEqual(resolveVariants(name, comparison, { release }).problems, [], `${name} on ${release}`);
  }
});
