// Runs the real `pos` command line in a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const POS_BIN = fileURLToPath(new URL('../../bin/pos.mjs', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

export function runPos(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProgram(process.execPath, [POS_BIN, ...args], { env });
}

/** Any program found the way a shell finds it (npx, a link on the PATH), from `cwd` (the repository). */
export function runProgram(program: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, POS_DEBUG: '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
