import { spawn } from 'node:child_process';
import { PACKAGE_ROOT } from './host.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in the package root (e.g. ['bin/movelog.js', 'verify', …]) and collects its output. */
export function runNode(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env: { ...process.env, MOVELOG_DATA: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const movelogCli = (args: readonly string[], env: Record<string, string> = {}) => runNode(['bin/movelog.js', ...args], env);

/** Runs a snippet of ESM JavaScript in a fresh Node process from the package root. */
export const runScript = (source: string) => runNode(['--input-type=module', '-e', source]);
