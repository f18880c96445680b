import type { SealedKind, SealedPlaintext } from '../../shared/ledger/kinds/index.js';
import { KIND_RULES } from './domains/index.js';
import type { Draft } from './ledger.js';
import { sealBody } from './seal.js';
import type { SealingKey } from './seal.js';
import { isPatientCategory, patientStream } from './streams.js';

/**
 * The one way to write a sealed patient-stream entry (docs/architecture.md#sealing): the stream is
 * the patient's stream of the category the kind's rule names (KIND_RULES[kind].stream), and the
 * plaintext, typed by its stored-body schema, is sealed with the patient's sealing key, whose id
 * the body carries (docs/architecture.md#key-rotation).
 */
export function sealedDraft<K extends SealedKind>(
  sealing: SealingKey,
  patientId: string,
  kind: K,
  plaintext: SealedPlaintext<K>,
  by: string | null,
): Draft {
  const category = KIND_RULES[kind].stream;
  if (!isPatientCategory(category)) throw new Error(`${kind} is not written to a patient stream`);
  const stream = patientStream(patientId, category);
  return { stream, kind, by, body: sealBody(sealing.key, stream, kind, plaintext, sealing.kid) };
}
