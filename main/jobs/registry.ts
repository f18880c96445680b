import type { AnyJobKind } from './kind.js';
import { JOB_KINDS } from './kinds.js';

/**
 * The one registry of job kinds (docs/architecture.md#how-to-add-a-job-kind): Movelog's own, from
 * main/jobs/kinds.ts, and any a test registers through `registerJobKind`.
 */
const registry = new Map<string, AnyJobKind>(Object.entries(JOB_KINDS));

export function jobKind(name: string): AnyJobKind | undefined {
  return registry.get(name);
}

export function jobKindNames(): string[] {
  return [...registry.keys()];
}

/** Adds a kind under `name` (refused if taken); returns what removes it again. */
export function registerJobKind(name: string, kind: AnyJobKind): () => void {
  if (!/^[a-z][a-zA-Z0-9.-]{0,63}$/.test(name)) throw new Error(`job kind names are short words: ${JSON.stringify(name)}`);
  if (registry.has(name)) throw new Error(`a job kind "${name}" is registered already`);
  registry.set(name, kind);
  return () => {
    if (registry.get(name) === kind) registry.delete(name);
  };
}
