import type { z } from 'zod';
import type { CallName, Role } from '../../shared/api/index.js';
import type { Witness } from '../ledger/checkpoints.js';
import type { CallContext } from '../services/context.js';
import type { Db } from '../store/db.js';

/**
 * What a job kind is (docs/architecture.md#how-to-add-a-job-kind): its input, who may start it,
 * the module its worker runs, and the file it writes. Kinds are listed in main/jobs/kinds.ts.
 */

/** The folder's secrets a job may need in its worker: passed in memory from the main thread, never written anywhere. */
export interface JobFolder {
  /** The keystore master key, to open sealed bodies (null: run without it). */
  readonly masterKey: Buffer | null;
  /** This computer's device key (public, hex). */
  readonly device: string;
  /** The newest witnessed checkpoint kept in the vault (docs/architecture.md#rollback-and-truncation). */
  readonly witness: Witness | null;
  /** When the job was started (ms since the epoch): a job's "now", so its output is the same however long it runs. */
  readonly startedAt: number;
}

export interface JobRunOptions {
  /** Units done and the total (0 while not known); call it now and then, e.g. once a page. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborted on Cancel: stop at the next page and reject (writeAtomic removes the partial file). */
  readonly signal?: AbortSignal;
  readonly folder: JobFolder;
}

/**
 * The function a kind's module exports as `run` (the report functions' signature of issue #14):
 * `db` is the worker's own read-only connection; `out` is the path to write, through
 * main/store/atomicFile.ts, or null for a kind that writes no file. Resolves to a value the
 * structured clone can carry (numbers, strings, plain objects).
 */
export type JobRun<I = unknown, R = unknown> = (db: Db, input: I, out: string | null, options: JobRunOptions) => Promise<R>;

export interface JobModule {
  readonly run: JobRun;
}

/** What the main thread offers a kind's hooks. */
export interface JobHost {
  /** The data folder. */
  readonly dataDir: string;
  /** Copies the newest witnessed checkpoint into the vault (before a verification). */
  refreshWitness(): void;
  /**
   * The checks `notes.list` makes before a patient's record is read, with the caller's session:
   * the patient exists, is not erased nor locked, this computer holds the key, and a clinician is
   * within their care, supervision of an assistant's note included, as `chart.get`
   * (docs/architecture.md#break-the-glass). Throws the same refusals.
   */
  openRecord(patientId: string, ctx: CallContext): void;
}

export interface JobKind<I, R> {
  /** What the job does, for messages ("Verifying the record"). */
  readonly title: string;
  /** The kind's input; a bad one is refused at start with the schema's message. */
  readonly input: z.ZodType<I>;
  /** Roles that may start it. */
  readonly access: readonly Role[];
  /** The module the worker imports; it exports `run: JobRun<I, R>`. Use `new URL('./x.js', import.meta.url)`. */
  readonly module: URL;
  /** The file it writes (download name and type), or null. */
  readonly file: { name(input: I, startedAt: number): string; readonly mime: string } | null;
  /** On the main thread before the worker starts. */
  before?(host: JobHost): void;
  /**
   * On the main thread when a session starts the job, once its input is parsed: checks the role
   * alone cannot make (the care rule for a patient's record); an ApiFailure refuses the start.
   */
  allowed?(input: I, ctx: CallContext, host: JobHost): void;
  /** On the main thread once `run` resolved (not after a cancel): e.g. keep verify's outcome. */
  finished?(result: R, host: JobHost): void;
  /**
   * The patients its output shows, recorded as one `access.listed` reading by the session that
   * started it (docs/architecture.md#access-audit); absent for a kind that shows none.
   */
  patients?(result: R, input: I): readonly string[];
  /**
   * The call the reading is recorded as (its words say what was read: "print a patient's access
   * report"), when the job is the printed form of a call; `job.start` otherwise.
   */
  readonly recordedAs?: CallName;
  /** What `job.state` shows of the result (default: the result itself). Keep patient data out of it. */
  shown?(result: R): unknown;
}

/** Any kind, as the registry holds them (the hooks are methods, so a typed kind fits). */
export type AnyJobKind = JobKind<unknown, unknown>;

/** Keeps the kind's input and result types together where it is declared. */
export function defineJobKind<I, R>(kind: JobKind<I, R>): JobKind<I, R> {
  return kind;
}
