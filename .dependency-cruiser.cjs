// The layers of src/, lowest first: a module may import its own layer and the ones below, never one above, and no
// module is part of an import circle. `npm test` runs this (test/unit/layers.test.ts); docs/how-it-works.md draws it.
const LAYERS = [
  ['base', '^src/(errors|project-root|phases|pause-at)\\.ts$|^src/browser/'],
  ['lab', '^src/lab/'],
  ['docker', '^src/docker/'],
  ['images', '^src/images/|^src/setup\\.ts$'],
  ['topology', '^src/topology/'],
  ['client', '^src/client/'],
  ['observe', '^src/observe/'],
  ['verdict', '^src/verdict/'],
  ['run', '^src/run/'],
  ['report', '^src/report/'],
  ['session', '^src/run-session\\.ts$|^src/observe-transfer\\.ts$'],
  ['pipelines', '^src/run-lab\\.ts$|^src/check/'],
  ['matrix', '^src/run-matrix\\.ts$|^src/run-comparison\\.ts$'],
  ['commands', '^src/commands/'],
  ['cli', '^src/cli\\.ts$'],
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: modules that import each other, directly or through others.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unlayered',
      severity: 'error',
      comment: 'A module of src/ in no layer: give it one in .dependency-cruiser.cjs.',
      from: { path: '^src/', pathNot: LAYERS.map(([, path]) => `(${path})`).join('|') },
      to: {},
    },
    ...LAYERS.slice(0, -1).map(([name, path], i) => ({
      name: `no-upward-from-${name}`,
      severity: 'error',
      comment: `The ${name} layer imports a layer above it (${LAYERS.slice(i + 1)
        .map(([n]) => n)
        .join(', ')}).`,
      from: { path },
      to: {
        path: LAYERS.slice(i + 1)
          .map(([, p]) => `(${p})`)
          .join('|'),
      },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '^node_modules' },
  },
};
