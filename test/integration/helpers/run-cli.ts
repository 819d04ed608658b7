// Runs the real CLI as a user would (`npm run lab` runs scripts/lab.mjs: the compiled CLI), without npm's banner,
// and returns exit code and output.
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function startCli(
  args: string[],
  env: Record<string, string> = {},
): ResultPromise<{ cwd: string; reject: false; stdin: 'ignore'; env: Record<string, string> }> {
  return execa(process.execPath, ['scripts/lab.mjs', ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { FORCE_COLOR: '0', ...env } });
}

// Starts the CLI and resolves, with the child (wrapped: the child is itself awaitable), once `marker` shows on the given stream (rejects after a deadline).
export async function startCliUntil(
  args: string[],
  marker: string,
  options: { env?: Record<string, string>; stream?: 'stdout' | 'stderr'; deadlineMs?: number } = {},
) {
  const child = startCli(args, options.env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${marker}" never came`)), options.deadlineMs ?? 90_000);
    let seen = '';
    child[options.stream ?? 'stderr']?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child };
}

export async function runCli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { exitCode, stdout, stderr } = await startCli(args);
  return { exitCode: exitCode ?? -1, stdout: String(stdout), stderr: String(stderr) };
}
