import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiFailure, describeIssues } from '../../shared/api/index.js';
import type { JobState, Role } from '../../shared/api/index.js';
import type { Witness } from '../ledger/checkpoints.js';
import type { CallContext } from '../services/context.js';
import type { ReadLog } from '../services/reads.js';
import { shredFile } from '../store/vault.js';
import { executeJob } from './execute.js';
import type { JobMessage, JobWork } from './execute.js';
import type { AnyJobKind, JobHost } from './kind.js';
import { jobKind } from './registry.js';

/** The folder inside the data folder where jobs' files wait to be fetched (0700; clear text, docs/threat-model.md). */
export const EXPORTS_DIR = 'exports';

/** How long a finished job's file waits to be fetched before it is shredded. */
const KEEP_FILE_MS = 10 * 60_000;
/** How long a cancelled worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 5_000;
/** How long an ended job's state stays readable. */
const KEEP_STATE_MS = 60 * 60_000;

export interface JobRunnerOptions {
  /** The data folder: its movelog.db is opened read-only by each job; its exports/ holds their files. */
  readonly dataDir: string;
  readonly host: JobHost;
  /** The folder's secrets, read when a job starts (passed to the worker in memory). */
  readonly secrets: () => {
    readonly dbKey: Buffer | null;
    readonly masterKey: Buffer | null;
    readonly device: string;
    readonly witness: Witness | null;
  };
  readonly now: () => number;
  /** Records the patients a job's file shows (docs/architecture.md#access-audit). */
  readonly reads?: ReadLog;
  /** Whether a job's owner is still signed in on the connection that started it (checked again at download). */
  readonly ownerSignedIn?: (owner: JobOwner) => boolean;
  /** Run jobs on worker threads (default: when the compiled worker exists; else on this thread). */
  readonly threads?: boolean;
  readonly keepFileMs?: number;
  readonly cancelGraceMs?: number;
  readonly log?: { warn(message: string): void };
}

/** Who started a job: the bridge connection and the staff member signed in on it (null: Movelog itself, e.g. `ledger.verify`). */
export interface JobOwner {
  readonly connection: string | null;
  readonly staffId: string;
  readonly role: Role;
}

interface Job {
  readonly id: string;
  readonly kindName: string;
  readonly kind: AnyJobKind;
  readonly input: unknown;
  readonly owner: JobOwner | null;
  readonly ctx: CallContext | null;
  readonly out: string | null;
  status: JobState['status'];
  done: number;
  total: number;
  message: string | null;
  result: unknown;
  /** The one-time download token, while the file waits to be fetched. */
  token: string | null;
  cancelAsked: boolean;
  cancel: () => void;
  readonly ended: Promise<void>;
  timers: NodeJS.Timeout[];
}

/** A job's progress or end, as `onEvent` tells it. */
export interface JobEvent {
  readonly id: string;
  readonly kind: string;
  readonly status: JobState['status'];
  readonly done: number;
  readonly total: number;
}

/** A file handed to the HTTP host for one download. */
export interface JobDownload {
  readonly path: string;
  readonly name: string;
  readonly mime: string;
  /** Shreds the file once sent (or when sending failed). */
  release(): void;
}

/**
 * Runs registered job kinds off the main thread (docs/architecture.md#long-work-off-the-main-thread):
 * one worker thread per job, its own read-only keyed connection, progress, cancel (the worker's
 * AbortSignal; terminate as a last resort), and the file it wrote kept in exports/ until fetched
 * once or expired. Only the session that started a job can see, cancel or fetch it.
 */
export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly exportsDir: string;
  private readonly workerScript: URL;
  private readonly threads: boolean;
  private closed = false;

  constructor(private readonly opts: JobRunnerOptions) {
    this.exportsDir = join(opts.dataDir, EXPORTS_DIR);
    mkdirSync(this.exportsDir, { recursive: true, mode: 0o700 });
    chmodSync(this.exportsDir, 0o700);
    // Files of an earlier run (fetched or not, whole or partial) are clear-text reports: shredded at open.
    for (const name of readdirSync(this.exportsDir)) shredQuietly(join(this.exportsDir, name));
    this.workerScript = new URL('./worker.js', import.meta.url);
    this.threads = opts.threads ?? existsSync(this.workerScript);
  }

  /** Told of each job's progress and of its end (tests wait on these; nothing is polled). */
  onEvent(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(job: Job): void {
    const event: JobEvent = { id: job.id, kind: job.kindName, status: job.status, done: job.done, total: job.total };
    for (const listener of this.listeners) listener(event);
  }

  /** Starts a job for the caller; refuses an unknown kind, a role that may not, or bad input. */
  start(kindName: string, rawInput: unknown, ctx: CallContext): JobState {
    const session = ctx.session;
    if (!session) throw new ApiFailure('unauthenticated', 'Sign in to continue.');
    const kind = jobKind(kindName);
    if (!kind) throw new ApiFailure('invalid_input', `Movelog has no job called "${kindName.slice(0, 64)}".`);
    if (!kind.access.includes(session.role)) throw new ApiFailure('forbidden', 'Your role does not allow this.');
    const job = this.launch(kindName, kind, rawInput, { connection: ctx.connection ?? null, staffId: session.staffId, role: session.role }, ctx);
    return this.view(job, ctx);
  }

  /** Runs a kind for Movelog itself (nobody can see it through job.state) and resolves to its result. */
  async run(kindName: string, input: unknown): Promise<unknown> {
    const kind = jobKind(kindName);
    if (!kind) throw new Error(`no job kind ${kindName}`);
    const job = this.launch(kindName, kind, input, null, null);
    await job.ended;
    if (job.status === 'done') return job.result;
    throw new ApiFailure('unavailable', job.message ?? `${kind.title} was cancelled.`);
  }

  state(id: string, ctx: CallContext): JobState {
    return this.view(this.owned(id, ctx), ctx);
  }

  /** Cancels a running job; resolves once it stopped and its files are gone. A job already ended stays as it ended. */
  async cancel(id: string, ctx: CallContext): Promise<JobState> {
    const job = this.owned(id, ctx);
    if (job.status === 'running') {
      job.cancelAsked = true;
      job.cancel();
      await job.ended;
    }
    return this.view(job, ctx);
  }

  /** Resolves when the job ended (tests, and `run`). */
  async settled(id: string): Promise<void> {
    await this.jobs.get(id)?.ended;
  }

  /**
   * The file behind a one-time download token, for the HTTP host: given once, and only while the
   * session that started the job is still signed in on its connection.
   */
  takeDownload(token: string): JobDownload | null {
    for (const job of this.jobs.values()) {
      if (job.token === null || job.token !== token || job.out === null || !job.kind.file) continue;
      job.token = null;
      if (!job.owner || !(this.opts.ownerSignedIn?.(job.owner) ?? false)) {
        shredQuietly(job.out);
        return null;
      }
      const out = job.out;
      return {
        path: out,
        name: job.kind.file.name(job.input, this.startedAt(job)),
        mime: job.kind.file.mime,
        release: () => shredQuietly(out),
      };
    }
    return null;
  }

  /** A connection closed: its running jobs are cancelled, and their files shredded. */
  async forgetConnection(connection: string): Promise<void> {
    const mine = [...this.jobs.values()].filter((j) => j.owner?.connection === connection);
    await Promise.all(
      mine.map(async (job) => {
        if (job.status === 'running') {
          job.cancelAsked = true;
          job.cancel();
          await job.ended;
        }
        job.token = null;
        if (job.out) shredQuietly(job.out);
        this.drop(job);
      }),
    );
  }

  /** Stops every job and shreds every file (Movelog closing). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.jobs.values()].map(async (job) => {
        if (job.status === 'running') {
          job.cancelAsked = true;
          job.cancel();
          await job.ended;
        }
        if (job.out) shredQuietly(job.out);
        this.drop(job);
      }),
    );
  }

  private readonly starts = new Map<string, number>();

  private startedAt(job: Job): number {
    return this.starts.get(job.id) ?? 0;
  }

  private launch(kindName: string, kind: AnyJobKind, rawInput: unknown, owner: JobOwner | null, ctx: CallContext | null): Job {
    if (this.closed) throw new ApiFailure('unavailable', 'Movelog is closing; start the job again once it is open.');
    const parsed = kind.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new ApiFailure('invalid_input', describeIssues(parsed.error));
    if (ctx) kind.allowed?.(parsed.data, ctx, this.opts.host);
    kind.before?.(this.opts.host);
    const id = randomBytes(18).toString('base64url');
    const startedAt = this.opts.now();
    this.starts.set(id, startedAt);
    const out = kind.file ? join(this.exportsDir, id) : null;
    const secrets = this.opts.secrets();
    const work: JobWork = {
      module: kind.module.href,
      dbFile: join(this.opts.dataDir, 'movelog.db'),
      dbKey: secrets.dbKey,
      input: parsed.data,
      out,
      folder: { masterKey: secrets.masterKey, device: secrets.device, witness: secrets.witness, startedAt },
    };

    let finish: (message: Exclude<JobMessage, { type: 'progress' }>) => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      finish = (message) => {
        if (job.status !== 'running') return;
        this.settle(job, message);
        resolve();
        this.emit(job);
      };
    });
    const job: Job = {
      id,
      kindName,
      kind,
      input: parsed.data,
      owner,
      ctx,
      out,
      status: 'running',
      done: 0,
      total: 0,
      message: null,
      result: null,
      token: null,
      cancelAsked: false,
      cancel: () => undefined,
      ended,
      timers: [],
    };
    this.jobs.set(id, job);
    const onMessage = (message: JobMessage) => {
      if (message.type === 'progress') {
        if (job.status === 'running') {
          job.done = Math.max(0, Math.floor(message.done));
          job.total = Math.max(0, Math.floor(message.total));
          this.emit(job);
        }
      } else finish(message);
    };

    if (this.threads) {
      const worker = new Worker(this.workerScript, { workerData: work });
      worker.on('message', onMessage);
      worker.on('error', (error) => finish({ type: 'failed', message: `it stopped unexpectedly (${error.message})` }));
      worker.on('exit', () => finish(job.cancelAsked ? { type: 'cancelled' } : { type: 'failed', message: 'it stopped unexpectedly' }));
      job.cancel = () => {
        worker.postMessage('cancel');
        // The last resort, for a kind that does not look at its signal.
        const grace = setTimeout(() => void worker.terminate(), this.opts.cancelGraceMs ?? CANCEL_GRACE_MS);
        grace.unref();
        job.timers.push(grace);
      };
      void ended.then(() => worker.terminate());
    } else {
      const controller = new AbortController();
      job.cancel = () => controller.abort(new Error('The job was cancelled.'));
      void executeJob(work, controller.signal, onMessage);
    }
    return job;
  }

  private settle(job: Job, message: Exclude<JobMessage, { type: 'progress' }>): void {
    for (const timer of job.timers.splice(0)) clearTimeout(timer);
    const cancelled = message.type === 'cancelled' || job.cancelAsked;
    // No partial survives a job, however it ended (a terminated worker could not remove its own).
    if (job.out) this.removeFiles(job, cancelled || message.type !== 'done');
    if (cancelled) {
      job.status = 'cancelled';
    } else if (message.type === 'failed') {
      job.status = 'failed';
      job.message = `${job.kind.title} could not finish: ${message.message}`;
      this.opts.log?.warn(`job ${job.kindName} failed: ${message.message}`);
    } else {
      try {
        job.kind.finished?.(message.result, this.opts.host);
        const patients = job.kind.patients?.(message.result, job.input) ?? [];
        if (patients.length > 0 && job.ctx) this.opts.reads?.listed(job.ctx, job.kind.recordedAs ?? 'job.start', patients);
        job.result = job.kind.shown ? job.kind.shown(message.result) : message.result;
        job.done = Math.max(job.done, job.total);
        job.status = 'done';
        if (job.out && job.kind.file) {
          if (existsSync(job.out)) {
            job.token = randomBytes(32).toString('base64url');
            const expire = setTimeout(() => {
              job.token = null;
              if (job.out) shredQuietly(job.out);
            }, this.opts.keepFileMs ?? KEEP_FILE_MS);
            expire.unref();
            job.timers.push(expire);
          } else {
            job.status = 'failed';
            job.message = `${job.kind.title} could not finish: it wrote no file.`;
          }
        }
      } catch (error) {
        job.status = 'failed';
        job.message = `${job.kind.title} could not finish: ${(error as Error).message}`;
        if (job.out) shredQuietly(job.out);
      }
    }
    const forget = setTimeout(() => this.drop(job), KEEP_STATE_MS);
    forget.unref();
    job.timers.push(forget);
  }

  private removeFiles(job: Job, finalToo: boolean): void {
    if (!job.out) return;
    const prefix = `${job.id}.partial-`;
    for (const name of readdirSync(this.exportsDir)) if (name.startsWith(prefix)) shredQuietly(join(this.exportsDir, name));
    if (finalToo) shredQuietly(job.out);
  }

  private drop(job: Job): void {
    for (const timer of job.timers.splice(0)) clearTimeout(timer);
    if (job.out && job.status !== 'running') shredQuietly(job.out);
    this.jobs.delete(job.id);
    this.starts.delete(job.id);
  }

  /** The job, if the caller's session started it; otherwise as if it did not exist. */
  private owned(id: string, ctx: CallContext): Job {
    const job = this.jobs.get(id);
    const session = ctx.session;
    if (!job || !job.owner || !session || job.owner.staffId !== session.staffId || job.owner.connection !== (ctx.connection ?? null)) {
      throw new ApiFailure('not_found', 'That job is not one you started here, or it ended long ago.');
    }
    return job;
  }

  private view(job: Job, ctx: CallContext): JobState {
    const file = job.kind.file;
    return {
      id: job.id,
      kind: job.kindName,
      status: job.status,
      done: job.done,
      total: job.total,
      message: job.message,
      result: job.status === 'done' ? job.result : null,
      // Downloads are HTTP, from the browser host; the Electron bridge has none yet (docs/architecture.md#long-work-off-the-main-thread).
      download:
        job.token !== null && file && ctx.bridge === 'ws'
          ? { url: `/download/${job.token}`, name: file.name(job.input, this.startedAt(job)), mime: file.mime }
          : null,
    };
  }
}

function shredQuietly(file: string): void {
  try {
    shredFile(file);
  } catch {
    // Already gone, or removed by another path.
  }
}
