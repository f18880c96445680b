// Work that must finish before the session ends (docs/architecture.md#drafts): a note's draft is
// saved before the screen locks itself, before "Lock" and before "Switch user", because after
// sign-out main refuses the call and the screen (with what was typed) is gone. `Shell` provides
// the registry and awaits it in its sign-out; screens register with `useBeforeSignOut`.
import { createContext, useContext, useEffect, useRef } from 'react';

type Task = () => Promise<unknown>;

export interface BeforeSignOut {
  /** Adds a task; the returned function removes it. */
  add(task: Task): () => void;
  /** Runs every task and waits for all of them (a failed task does not stop the sign-out). */
  run(): Promise<void>;
}

export function beforeSignOutRegistry(): BeforeSignOut {
  const tasks = new Set<Task>();
  return {
    add(task) {
      tasks.add(task);
      return () => void tasks.delete(task);
    },
    async run() {
      await Promise.allSettled([...tasks].map((task) => task()));
    },
  };
}

// Without a provider (markup tests) nothing is registered.
const Context = createContext<BeforeSignOut>(beforeSignOutRegistry());
export const BeforeSignOutProvider = Context;

/** Runs `task` (its latest version) before the session ends, for as long as the component is mounted. */
export function useBeforeSignOut(task: Task): void {
  const registry = useContext(Context);
  const latest = useRef(task);
  useEffect(() => {
    latest.current = task;
  });
  useEffect(() => registry.add(() => latest.current()), [registry]);
}
