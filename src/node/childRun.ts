/**
 * Runs a program to its end and hands back what it printed: for the commands that run this
 * CLI (or git) as a process of its own, where the child's environment matters (a push's
 * quarantined objects, an action's inputs).
 */
import { spawn } from 'node:child_process';

/** How a program ended and what it printed. */
export interface ChildRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `program` with `args` in `cwd` (environment `env`, or this process's), stdin closed. */
export function runChild(program: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, ...(env ? { env } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
