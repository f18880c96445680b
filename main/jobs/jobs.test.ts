import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobState, VerifyOutcome } from '../../shared/api/index.js';
import { openMovelog } from '../core.js';
import type { Movelog } from '../core.js';
import { LAST_VERIFY_FILE } from '../ledger/lastVerify.js';
import { defineJobKind } from './kind.js';
import { registerJobKind } from './registry.js';
import type { JobEvent } from './runner.js';
import { EXPORTS_DIR } from './runner.js';
import type { CountInput } from './testing/countJob.js';

// Unit tests run from the TypeScript sources, where no compiled worker exists: jobs run on this
// thread through the same code (main/jobs/execute.ts). jobs.int.test.ts runs them on worker threads.

const quiet = { warn: () => undefined, error: () => undefined };
let m: Movelog;
let unregister: () => void = () => undefined;
let franId = '';

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(result: unknown) => {
  expect(result).toMatchObject({ ok: true });
  return (result as { value: T }).value;
};

/** Waits for the runner's event that satisfies `test` (events, never a timer). */
function waitFor(test: (event: JobEvent) => boolean): Promise<JobEvent> {
  return new Promise((resolve) => {
    const stop = m.jobs.onEvent((event) => {
      if (!test(event)) return;
      stop();
      resolve(event);
    });
  });
}

const exportsOf = () => readdirSync(join(m.dataDir, EXPORTS_DIR));

beforeEach(async () => {
  m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-jobs-')), Date.now, quiet);
  value(
    await m.invoke('manager', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }),
  );
  const id = (franId = value<{ id: string }>(
    await m.invoke('manager', 'ws', 'staff.add', { name: 'Fran', role: 'front_desk', licence: null, passphrase: 'Fran passphrase' }),
  ).id);
  value(await m.invoke('front_desk', 'ws', 'session.signIn', { staffId: id, passphrase: 'Fran passphrase' }));
  unregister = registerJobKind(
    'count',
    defineJobKind<CountInput, { rows: number; entries: number }>({
      title: 'Counting',
      input: z.strictObject({ rows: z.number().int().min(1).max(100_000), holdAt: z.number().int().optional() }),
      access: ['manager', 'front_desk'],
      module: new URL('./testing/countJob.js', import.meta.url),
      file: { name: (input) => `count-${String(input.rows)}.csv`, mime: 'text/csv' },
    }),
  );
});

afterEach(() => {
  unregister();
  m.close();
});

describe('jobs (docs/architecture.md#long-work-off-the-main-thread)', () => {
  it('verify runs as a job with progress, its outcome shown and kept as the last verification', async () => {
    const seen: JobEvent[] = [];
    m.jobs.onEvent((e) => seen.push(e));
    const started = value<JobState>(await m.invoke('manager', 'ws', 'job.start', { kind: 'verify', input: {} }));
    expect(started).toMatchObject({ kind: 'verify', status: 'running', download: null });
    await m.jobs.settled(started.id);
    const state = value<JobState>(await m.invoke('manager', 'ws', 'job.state', { id: started.id }));
    const outcome = state.result as VerifyOutcome;
    expect(state).toMatchObject({ status: 'done', message: null, download: null });
    expect(outcome).toMatchObject({ intact: true, problem: null });
    expect(outcome.entries).toBeGreaterThan(0);
    expect(state.done).toBe(outcome.entries);
    expect(state.total).toBe(outcome.entries);
    expect(seen.some((e) => e.id === started.id && e.status === 'running' && e.total === outcome.entries)).toBe(true);
    expect(JSON.parse(readFileSync(join(m.dataDir, LAST_VERIFY_FILE), 'utf8'))).toEqual(outcome);
    // ledger.verify is the same job, awaited.
    expect(value<VerifyOutcome>(await m.invoke('manager', 'ws', 'ledger.verify', {}))).toMatchObject({ intact: true, entries: outcome.entries });
  });

  it('refuses a role that may not, an unknown kind and bad input, and starts nothing', async () => {
    expect(await m.invoke('front_desk', 'ws', 'job.start', { kind: 'verify', input: {} })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Your role does not allow this.' },
    });
    expect(await m.invoke('manager', 'ws', 'job.start', { kind: 'nope', input: {} })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Movelog has no job called "nope".' },
    });
    const bad = await m.invoke('manager', 'ws', 'job.start', { kind: 'count', input: { rows: 0 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await m.invoke('nobody', 'ws', 'job.start', { kind: 'count', input: { rows: 5 } })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(exportsOf()).toEqual([]);
  });

  it('writes its file to a 0700 exports folder and gives it once, only to the session that started it', async () => {
    const started = value<JobState>(await m.invoke('front_desk', 'ws', 'job.start', { kind: 'count', input: { rows: 25 } }));
    await m.jobs.settled(started.id);
    // Another session (even a manager's), or the same staff member signed in on another connection, sees no such job.
    value(await m.invoke('front_desk-2', 'ws', 'session.signIn', { staffId: franId, passphrase: 'Fran passphrase' }));
    for (const connection of ['manager', 'front_desk-2']) {
      for (const call of ['job.state', 'job.cancel'] as const) {
        expect(await m.invoke(connection, 'ws', call, { id: started.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
    }
    const state = value<JobState>(await m.invoke('front_desk', 'ws', 'job.state', { id: started.id }));
    expect(state).toMatchObject({ status: 'done', result: { rows: 25 }, done: 25, total: 25 });
    expect(state.download).toMatchObject({ name: 'count-25.csv', mime: 'text/csv' });
    const token = (state.download?.url ?? '').replace('/download/', '');
    expect(exportsOf()).toEqual([started.id]);
    expect(statSync(join(m.dataDir, EXPORTS_DIR)).mode & 0o777).toBe(0o700);
    expect(statSync(join(m.dataDir, EXPORTS_DIR, started.id)).mode & 0o777).toBe(0o600);
    const download = m.jobs.takeDownload(token);
    expect(download).not.toBeNull();
    expect(readFileSync(download?.path ?? '', 'utf8').split('\n')).toHaveLength(26);
    expect(m.jobs.takeDownload(token)).toBeNull(); // once
    download?.release();
    expect(exportsOf()).toEqual([]);
    expect(value<JobState>(await m.invoke('front_desk', 'ws', 'job.state', { id: started.id })).download).toBeNull();
  });

  it('a download is refused once its session signed out, and the file shredded', async () => {
    const started = value<JobState>(await m.invoke('front_desk', 'ws', 'job.start', { kind: 'count', input: { rows: 10 } }));
    await m.jobs.settled(started.id);
    const state = value<JobState>(await m.invoke('front_desk', 'ws', 'job.state', { id: started.id }));
    value(await m.invoke('front_desk', 'ws', 'session.signOut', {}));
    expect(m.jobs.takeDownload((state.download?.url ?? '').replace('/download/', ''))).toBeNull();
    expect(exportsOf()).toEqual([]);
  });

  it('cancel stops the job: no final file and no partial', async () => {
    const progressed = waitFor((e) => e.done >= 20);
    const started = value<JobState>(await m.invoke('front_desk', 'ws', 'job.start', { kind: 'count', input: { rows: 1000, holdAt: 30 } }));
    await progressed;
    expect(exportsOf()).toHaveLength(1);
    expect(exportsOf()[0]).toMatch(new RegExp(`^${started.id}\\.partial-`));
    const cancelled = value<JobState>(await m.invoke('front_desk', 'ws', 'job.cancel', { id: started.id }));
    expect(cancelled).toMatchObject({ status: 'cancelled', result: null, download: null });
    expect(exportsOf()).toEqual([]);
  });

  it("a closed connection's running jobs stop and their files go", async () => {
    const progressed = waitFor((e) => e.done >= 10);
    const started = value<JobState>(await m.invoke('front_desk', 'ws', 'job.start', { kind: 'count', input: { rows: 1000, holdAt: 10 } }));
    await progressed;
    await m.jobs.forgetConnection('front_desk');
    expect(exportsOf()).toEqual([]);
    expect(await m.invoke('front_desk', 'ws', 'job.state', { id: started.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('files left by an earlier run are shredded when the folder opens', () => {
    const dir = m.dataDir;
    m.close();
    writeFileSync(join(dir, EXPORTS_DIR, 'abc'), 'a report nobody fetched');
    writeFileSync(join(dir, EXPORTS_DIR, 'abc.partial-1-2'), 'half a report');
    m = openMovelog(dir, Date.now, quiet);
    expect(exportsOf()).toEqual([]);
    expect(existsSync(join(dir, EXPORTS_DIR))).toBe(true);
  });
});
