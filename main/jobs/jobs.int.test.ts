import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobState, VerifyOutcome } from '../../shared/api/index.js';
import { connectApi } from '../../test/support/host.js';
import type { ApiClient } from '../../test/support/host.js';
import type * as CoreModule from '../core.js';
import type { Movelog } from '../core.js';
import type * as ServerModule from '../host/server.js';
import type { RunningHost } from '../host/server.js';
import type * as StreamsModule from '../ledger/streams.js';
import type * as KindModule from './kind.js';
import type * as RegistryModule from './registry.js';
import type * as RunnerModule from './runner.js';
import type { JobEvent } from './runner.js';

// The compiled build (out/node, as the host process runs it), where each job runs on a worker
// thread (docs/architecture.md#long-work-off-the-main-thread); the unit tests run them in-thread.
const built = (path: string) => new URL(`../../out/node/main/${path}`, import.meta.url).href;
const { openMovelog } = (await import(built('core.js'))) as typeof CoreModule;
const { registerJobKind } = (await import(built('jobs/registry.js'))) as typeof RegistryModule;
const { defineJobKind } = (await import(built('jobs/kind.js'))) as typeof KindModule;
const { EXPORTS_DIR } = (await import(built('jobs/runner.js'))) as typeof RunnerModule;
const { startHost } = (await import(built('host/server.js'))) as typeof ServerModule;
const { appendStaffEntries } = (await import(new URL('../../test/support/ledger-tools.mjs', import.meta.url).href)) as {
  appendStaffEntries: (m: Movelog, clinic: { id: string; manager: { id: string } }, stream: string, count: number) => void;
};
const { clinicStream } = (await import(built('ledger/streams.js'))) as typeof StreamsModule;

const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

// Registered for this file's module graph only (vitest isolates test files).
registerJobKind(
  'count',
  defineJobKind({
    title: 'Counting',
    input: z.strictObject({
      rows: z.number().int().min(1),
      holdAt: z.number().int().optional(),
      ignoreCancel: z.boolean().optional(),
      gate: z.instanceof(SharedArrayBuffer).optional(),
    }),
    access: ['manager'],
    module: new URL(built('jobs/testing/countJob.js')),
    file: { name: (input: { rows: number }) => `count ${String(input.rows)} – Ünïcode.csv`, mime: 'text/csv; charset=utf-8' },
  }),
);

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names what the test expects back
const value = <T>(result: unknown) => {
  expect(result).toMatchObject({ ok: true });
  return (result as { value: T }).value;
};

async function clinic(): Promise<Movelog> {
  const m = openMovelog(mkdtempSync(join(tmpdir(), 'movelog-jobs-int-')), Date.now, quiet);
  cleanup.push(() => m.close());
  value(await m.invoke('mgr', 'ws', 'clinic.setup', { clinicName: 'Harbour Rehab', managerName: 'Lee Chen', passphrase: 'manager passphrase 1' }));
  return m;
}

function waitFor(m: Movelog, test: (event: JobEvent) => boolean): Promise<JobEvent> {
  return new Promise((resolve) => {
    const stop = m.jobs.onEvent((event) => {
      if (!test(event)) return;
      stop();
      resolve(event);
    });
  });
}

describe('jobs on worker threads', () => {
  it('the main thread answers API calls while a job holds its own thread', async () => {
    const m = await clinic();
    const gate = new SharedArrayBuffer(4);
    const blocked = waitFor(m, (e) => e.status === 'running');
    const job = value<JobState>(await m.invoke('mgr', 'ws', 'job.start', { kind: 'count', input: { rows: 20, gate } }));
    // The job reported, then blocked its thread synchronously until the gate opens: were it on
    // this thread, nothing below could run and the test would never end.
    await blocked;
    const order: string[] = [];
    const ended = m.jobs.settled(job.id).then(() => order.push('job ended'));
    const status = await m.invoke('mgr', 'ws', 'ledger.status', {});
    order.push('API call answered');
    expect(status).toMatchObject({ ok: true });
    expect(value<JobState>(await m.invoke('mgr', 'ws', 'job.state', { id: job.id })).status).toBe('running');
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    await ended;
    expect(order).toEqual(['API call answered', 'job ended']);
    expect(value<JobState>(await m.invoke('mgr', 'ws', 'job.state', { id: job.id }))).toMatchObject({ status: 'done', result: { rows: 20 } });
  });

  it('verifies a large record in a worker, with progress, while the main thread answers calls', async () => {
    const m = await clinic();
    const clinicId = (m.db.prepare('SELECT id FROM view_clinic').get() as { id: string }).id;
    const managerId = (m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
    appendStaffEntries(m, { id: clinicId, manager: { id: managerId } }, clinicStream(clinicId, 'public'), 6000);
    const total = (m.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
    const partWay = waitFor(m, (e) => e.status === 'running' && e.done > 0 && e.done < total);
    const job = value<JobState>(await m.invoke('mgr', 'ws', 'job.start', { kind: 'verify', input: {} }));
    const events: JobEvent[] = [];
    m.jobs.onEvent((e) => events.push(e));
    await partWay;
    expect(await m.invoke('mgr', 'ws', 'ledger.status', {})).toMatchObject({ ok: true });
    await m.jobs.settled(job.id);
    const state = value<JobState>(await m.invoke('mgr', 'ws', 'job.state', { id: job.id }));
    expect(state).toMatchObject({ status: 'done', done: total, total });
    expect(state.result as VerifyOutcome).toMatchObject({ intact: true, entries: total, problem: null, viewsMatch: true });
    expect(value<{ lastVerify: VerifyOutcome }>(await m.invoke('mgr', 'ws', 'clinic.overview', {})).lastVerify).toEqual(state.result);
  });

  it('cancel: a job that honours its signal, and one that does not (terminated), leave no file and no partial', async () => {
    const m = await clinic();
    const exportsOf = () => readdirSync(join(m.dataDir, EXPORTS_DIR));
    for (const ignoreCancel of [false, true]) {
      const holding = waitFor(m, (e) => e.done >= 40);
      const job = value<JobState>(await m.invoke('mgr', 'ws', 'job.start', { kind: 'count', input: { rows: 10_000, holdAt: 40, ignoreCancel } }));
      await holding;
      expect(exportsOf()).toHaveLength(1);
      expect(value<JobState>(await m.invoke('mgr', 'ws', 'job.cancel', { id: job.id }))).toMatchObject({ status: 'cancelled', download: null });
      expect(exportsOf()).toEqual([]);
    }
  });

  it('the browser host hands the file once, as an attachment, to the session that started the job', async () => {
    const m = await clinic();
    const host: RunningHost = await startHost({ movelog: m, rendererDir: mkdtempSync(join(tmpdir(), 'movelog-renderer-')), log: quiet });
    cleanup.push(() => host.close());
    const tab: ApiClient = await connectApi(host);
    cleanup.push(() => tab.close());
    const managerId = (m.db.prepare('SELECT id FROM view_staff').get() as { id: string }).id;
    value(await tab.call('session.signIn', { staffId: managerId, passphrase: 'manager passphrase 1' }));
    const other: ApiClient = await connectApi(host);
    cleanup.push(() => other.close());
    value(await other.call('session.signIn', { staffId: managerId, passphrase: 'manager passphrase 1' }));

    const ended = waitFor(m, (e) => e.status !== 'running');
    const job = value<JobState>(await tab.call('job.start', { kind: 'count', input: { rows: 30 } }));
    await ended;
    expect(await other.call('job.state', { id: job.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const state = value<JobState>(await tab.call('job.state', { id: job.id }));
    expect(state.download).toMatchObject({ name: 'count 30 – Ünïcode.csv', mime: 'text/csv; charset=utf-8' });
    const base = `http://127.0.0.1:${String(host.port)}`;
    expect((await fetch(`${base}/download/${'A'.repeat(43)}`)).status).toBe(404);
    const res = await fetch(`${base}${state.download?.url ?? ''}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="count 30 _ _n_code.csv"; filename*=UTF-8''${encodeURIComponent('count 30 – Ünïcode.csv')}`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await res.text()).split('\n')).toHaveLength(31);
    expect((await fetch(`${base}${state.download?.url ?? ''}`)).status).toBe(404);
    expect(readdirSync(join(m.dataDir, EXPORTS_DIR))).toEqual([]);
  });
});
