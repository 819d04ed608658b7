// `npm run mutation`: StrykerJS mutates the verdict, the observation and the readings, and runs the unit tests
// that can reach the mutated module (scripts/mutation-tests.mjs picks them by import graph, AVA runs them) once per
// mutant. Not part of `npm test`: it takes a while.
// collect-evidence.ts talks to Docker and is covered by the integration tests, not mutated here.
export default {
  mutate: ['src/verdict/**/*.ts', 'src/observe/**/*.ts', '!src/observe/collect-evidence.ts', 'src/docker/docker-log.ts', 'src/report/interpret.ts'],
  testRunner: 'command',
  commandRunner: { command: 'node scripts/mutation-tests.mjs' },
  // The sandbox is a copy of the project without what runs and set-up leave.
  ignorePatterns: ['runs', '.lab', '.test-labs-*', 'reports/mutation'],
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Re-runs test only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
};
