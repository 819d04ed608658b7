#!/usr/bin/env node
// `npm run lab` (and `npx gunicorn-lab` where the package is installed): runs the CLI from JavaScript compiled into .lab/build/, not from TypeScript transpiled at every
// start (which cost ~0.7 s before the first container). A source file is compiled again when its size or mtime
// changed since its last compile (esbuild, a few milliseconds a file), so an edited lab or module always runs as
// edited. A file that does not compile is left to tsx: a lab with a syntax error loads through tsx and gets its
// message with file, line and column; a module of src/ that does not compile runs the whole CLI through tsx.
// Plain JavaScript: this file itself needs no compiling.
// First: a Node.js too old for the CLI is told so in one line (imports are evaluated in order).
import './node-version.mjs';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deferHeavyModules } from './lazy-modules.mjs';

// Where tsx loads anything (the whole CLI, or one lab file that did not compile), it keeps no compile cache in the
// temp folder: a run leaves nothing behind.
process.env.TSX_DISABLE_CACHE ??= '1';
const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = path.join(ROOT, '.lab', 'build');
const MANIFEST = path.join(OUT, 'manifest.json');
// Bump when the way files are compiled changes: every file is compiled again.
const FORMAT = 1;

function sources(dir) {
  const full = path.join(ROOT, dir);
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function readManifest() {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return manifest.format === FORMAT ? manifest.files : {};
  } catch {
    return {};
  }
}

// Relative imports name .ts files (allowImportingTsExtensions); the compiled files are .js.
const RELATIVE_TS = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"'\n]*?)\.ts\2/g;

function writeAtomically(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

// Compiles what changed; returns false where a module of src/ does not compile.
async function compile() {
  const files = [...sources('src'), ...sources('labs')];
  const known = readManifest();
  const next = {};
  const stale = [];
  for (const rel of files) {
    const { size, mtimeMs } = statSync(path.join(ROOT, rel));
    const key = `${size}:${mtimeMs}`;
    next[rel] = key;
    if (known[rel] !== key) stale.push(rel);
  }
  if (stale.length === 0) return true;
  const { transform } = await import('esbuild');
  let usable = true;
  await Promise.all(
    stale.map(async (rel) => {
      const out = path.join(OUT, rel.replace(/\.ts$/, '.js'));
      try {
        const { code } = await transform(readFileSync(path.join(ROOT, rel), 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: rel });
        writeAtomically(out, code.replace(RELATIVE_TS, '$1$2$3.js$2'));
      } catch {
        // Not compiled: its old copy goes, and it is compiled again next time (no manifest entry).
        rmSync(out, { force: true });
        delete next[rel];
        if (rel.startsWith(`src${path.sep}`)) usable = false;
      }
    }),
  );
  writeAtomically(MANIFEST, `${JSON.stringify({ format: FORMAT, files: next })}\n`);
  return usable;
}

// What a run over a local socket never calls is loaded only if something uses it (scripts/lazy-modules.mjs).
deferHeavyModules();
if (await compile()) {
  await import(pathToFileURL(path.join(OUT, 'src', 'cli.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(ROOT, 'src', 'cli.ts')).href);
}
