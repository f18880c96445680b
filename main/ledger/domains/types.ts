import type { EntryBody, EntryKind } from '../../../shared/ledger/kinds/index.js';
import type { Db } from '../../store/db.js';
import type { OrderKey } from '../../views/support.js';
import type { Entry } from '../entry.js';
import type { PatientKeys } from '../seal.js';

export type { OrderKey } from '../../views/support.js';

/**
 * What a reducer writes with: the database whose views it changes (through main/views), and the
 * patients' keys to open sealed bodies, passed explicitly (docs/architecture.md#reducers). `keystore`
 * is null where there is no keystore (a scratch rebuild without one): sealed entries then leave
 * unreadable rows.
 */
export interface ReduceContext {
  readonly db: Db;
  readonly keystore: PatientKeys | null;
}

/**
 * Applies one admitted entry of kind K to the views. Reducers must give the same views whatever
 * the order of concurrent entries: inserts idempotent, updates last-writer-wins on (height, hash).
 * A reducer may read only what its own stream wrote: the canonical order is causal within a
 * stream, not across streams (a patient entry may replay before the clinic's genesis).
 * `body` is the validated (and, for sealed kinds, still sealed) body.
 */
export type Reducer<K extends EntryKind> = (ctx: ReduceContext, body: EntryBody<K>, entry: Entry, at: OrderKey) => void;

/** What a kind's policy sees: the entry, its validated body and who is acting. */
export interface PolicyContext {
  readonly db: Db;
  readonly entry: Entry;
  /** The clinic whose devices may write this stream (the stream's clinic, or the patient's home clinic). */
  readonly clinicId: string;
  /** The acting staff member's role in that clinic (from `by`), or null. */
  readonly actorRole: string | null;
}

/** Returns null when the entry is allowed, else the reason for the quarantine, in words. */
export type Policy<K extends EntryKind> = (ctx: PolicyContext, body: EntryBody<K>) => string | null;

/** One row per kind: where it may be written, who may write it, and how it changes the views. */
export interface KindRule<K extends EntryKind> {
  /** `public`/`private` clinic stream part, or a patient stream category. */
  readonly stream: 'public' | 'private' | 'profile' | 'schedule' | 'clinical' | 'consent' | 'access';
  readonly policy: Policy<K>;
  readonly reduce: Reducer<K>;
}

export type KindRules = { readonly [K in EntryKind]: KindRule<K> };
