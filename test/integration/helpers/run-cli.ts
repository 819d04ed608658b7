// Runs the real CLI as a user would, without npm's banner, and returns exit code and output.
import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function startCli(args: string[], env: Record<string, string> = {}): ResultPromise<{ cwd: string; reject: false; stdin: 'ignore'; env: Record<string, string> }> {
  return execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, reject: false, stdin: 'ignore', env: { FORCE_COLOR: '0', ...env } });
}

export async function runCli(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { exitCode, stdout, stderr } = await startCli(args);
  return { exitCode: exitCode ?? -1, stdout: String(stdout), stderr: String(stderr) };
}
