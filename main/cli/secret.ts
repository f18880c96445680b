import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads a secret: from the environment variable when set, otherwise from a terminal prompt with
 * echo off. Never from argv (visible to every user of the machine in the process list).
 */
export async function readSecret(envName: string, prompt: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new Error(`No passphrase: set ${envName} or run this command in a terminal to be asked for it.`);
  }
  process.stderr.write(prompt);
  let muted = true;
  const silent = new Writable({
    write(_chunk, _encoding, done) {
      if (!muted) process.stderr.write(_chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    muted = false;
    rl.close();
    process.stderr.write('\n');
  }
}

/** Reads one line of an answer (from a terminal or a pipe); null when input ends first. */
export async function readAnswer(prompt: string): Promise<string | null> {
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    return await new Promise<string | null>((resolve) => {
      rl.once('line', (line) => resolve(line.trim()));
      rl.once('close', () => resolve(null));
    });
  } finally {
    rl.close();
  }
}
