// A bootstrapped base's tar checked before it is imported: a tar that is empty, cut short, without a shell, or without
// the packages the lab images install (scripts/bootstrap-base.sh puts them in) is never tagged as a base.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

const BLOCK = 512;
// A Debian minimal root file system with the images' packages is 180-200 MB; anything under this is not one.
export const MIN_BASE_BYTES = 50 * 1024 * 1024;

export interface BaseTarFacts {
  bytes: number;
  entries: number;
  // The tar ended where its end-of-archive blocks say (not cut mid-entry).
  whole: boolean;
  hasShell: boolean;
  // Packages dpkg's status records as installed.
  installed: Set<string>;
}

const text = (block: Buffer, start: number, length: number) =>
  block
    .subarray(start, start + length)
    .toString('latin1')
    .replace(/\0.*$/s, '');

// The installed packages of a dpkg status file's paragraphs.
export function installedPackages(status: string): Set<string> {
  const installed = new Set<string>();
  for (const paragraph of status.split(/\n\n+/)) {
    const name = /^Package: (\S+)$/m.exec(paragraph)?.[1];
    if (name && /^Status: install ok installed$/m.test(paragraph)) installed.add(name);
  }
  return installed;
}

// Walks the tar's headers (ustar and GNU long names), reading only dpkg's status file's content.
export function readBaseTar(file: string): BaseTarFacts {
  const bytes = statSync(file).size;
  const fd = openSync(file, 'r');
  const facts: BaseTarFacts = { bytes, entries: 0, whole: false, hasShell: false, installed: new Set() };
  try {
    const header = Buffer.alloc(BLOCK);
    let offset = 0;
    let longName: string | null = null;
    while (offset + BLOCK <= bytes) {
      readSync(fd, header, 0, BLOCK, offset);
      if (header.every((b) => b === 0)) {
        facts.whole = true;
        break;
      }
      const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
      const type = String.fromCharCode(header[156]!);
      const data = offset + BLOCK;
      if (data + size > bytes) break;
      const content = () => {
        const buffer = Buffer.alloc(size);
        readSync(fd, buffer, 0, size, data);
        return buffer;
      };
      if (type === 'L') {
        longName = content().toString('latin1').replace(/\0.*$/s, '');
      } else {
        const prefix = text(header, 345, 155);
        const name = path.posix.normalize(longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100))).replace(/^(\.\/|\/)+/, '');
        longName = null;
        facts.entries++;
        if (name === 'bin/sh' || name === 'usr/bin/sh') facts.hasShell = true;
        if (name === 'var/lib/dpkg/status' && (type === '0' || type === '\0')) facts.installed = installedPackages(content().toString('utf8'));
      }
      offset = data + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
  return facts;
}

// What is wrong with a base's tar, in words; empty where it is a base.
export function baseTarProblems(facts: BaseTarFacts, wanted: readonly string[]): string[] {
  const problems: string[] = [];
  if (facts.bytes < MIN_BASE_BYTES) problems.push(`it is ${facts.bytes} bytes, where a base is 180 MB or more`);
  if (facts.bytes > 0 && !facts.whole) problems.push('it ends before its end-of-archive blocks (cut short)');
  if (facts.bytes > 0 && !facts.hasShell) problems.push('it has no bin/sh or usr/bin/sh');
  const missing = wanted.filter((p) => !facts.installed.has(p));
  if (facts.bytes > 0 && missing.length) problems.push(`dpkg has not installed ${missing.join(', ')}`);
  return problems;
}

// The packages the base must have: the lab images' `pkgs="…"` lines, as scripts/bootstrap-base.sh reads them.
export function basePackages(imagesDir: string): string[] {
  return ['app', 'nginx', 'client'].flatMap(
    (role) =>
      /^RUN pkgs="([^"]*)"/m
        .exec(readFileSync(path.join(imagesDir, role, 'Dockerfile'), 'utf8'))?.[1]
        ?.split(/\s+/)
        .filter(Boolean) ?? [],
  );
}
