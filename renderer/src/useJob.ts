import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobState } from '../../shared/api/index.js';
import { useBridge } from './kit/BridgeContext.js';

/** How often a running job's state is asked for (main answers at once: the work is on another thread). */
const POLL_MS = 300;

export interface JobHandle {
  /** The job's last known state; null before it was started. */
  readonly state: JobState | null;
  /** Why it could not be started or followed (in words), or null. */
  readonly error: string | null;
  readonly running: boolean;
  start(): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Runs a job of `kind` (main/jobs/kinds.ts) with `input` off Movelog's main thread
 * (docs/architecture.md#long-work-off-the-main-thread): `start` begins it, its state is followed
 * while it runs, `cancel` stops it. A file it wrote is fetched once it is done (the browser's own
 * download); leaving the screen cancels a job still running, since nobody is left to see it.
 */
export function useJob(kind: string, input: unknown, onEnd?: (state: JobState) => void): JobHandle {
  const bridge = useBridge();
  const [state, setState] = useState<JobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputJson = JSON.stringify(input ?? {});
  const current = useRef<JobState | null>(null);
  const fetched = useRef<string | null>(null);
  const ended = useRef(onEnd);
  useEffect(() => {
    current.current = state;
    ended.current = onEnd;
  });

  // A later answer never takes an ended job back to "running"; the end is told once.
  const settle = useCallback((next: JobState) => {
    const prev = current.current;
    if (prev && prev.id === next.id && prev.status !== 'running') return;
    current.current = next;
    setState(next);
    if (next.status !== 'running') ended.current?.(next);
  }, []);

  const start = useCallback(async () => {
    setError(null);
    const result = await bridge.invoke('job.start', { kind, input: JSON.parse(inputJson) as unknown });
    if (result.ok) settle(result.value);
    else setError(result.error.message);
  }, [bridge, kind, inputJson, settle]);

  const cancel = useCallback(async () => {
    const job = current.current;
    if (!job || job.status !== 'running') return;
    const result = await bridge.invoke('job.cancel', { id: job.id });
    if (result.ok) settle(result.value);
    else setError(result.error.message);
  }, [bridge, settle]);

  useEffect(() => {
    if (state?.status !== 'running') return;
    let live = true;
    const timer = setTimeout(() => {
      void bridge.invoke('job.state', { id: state.id }).then((result) => {
        if (!live) return;
        if (result.ok) settle(result.value);
        else setError(result.error.message);
      });
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, state, settle]);

  // The file, once: its address is valid for one download.
  useEffect(() => {
    const download = state?.status === 'done' ? state.download : null;
    if (!download || fetched.current === download.url) return;
    fetched.current = download.url;
    const link = document.createElement('a');
    link.href = download.url;
    link.download = download.name;
    link.click();
  }, [state]);

  useEffect(
    () => () => {
      const job = current.current;
      if (job?.status === 'running') void bridge.invoke('job.cancel', { id: job.id });
    },
    [bridge],
  );

  return { state, error, running: state?.status === 'running', start, cancel };
}
