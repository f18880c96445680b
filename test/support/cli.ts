import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { PACKAGE_ROOT } from './host.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in the package root (e.g. ['bin/movelog.js', 'verify', …]) and collects its output. */
export function runNode(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return finished(
    spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env: { ...process.env, MOVELOG_DATA: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** Collects a child's output and resolves when it exits (with the signal that ended it, if any). */
export function finished(child: ChildProcess): Promise<CliResult & { readonly signal: NodeJS.Signals | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const movelogCli = (args: readonly string[], env: Record<string, string> = {}) => runNode(['bin/movelog.js', ...args], env);

/** Runs a snippet of ESM JavaScript in a fresh Node process from the package root. */
export const runScript = (source: string) => runNode(['--input-type=module', '-e', source]);
