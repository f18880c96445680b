import { z } from 'zod';
import { SealedBody } from './patients.js';

/**
 * Consent, in the patient's consent stream `p:<patientId>/consent` (docs/architecture.md#consent).
 * Unlike other patient-stream kinds, a consent body is partly in clear: every device that relays
 * or receives the patient's record must judge the consent without the patient's key (a clinic
 * that was never granted has no key, and it is the consent that tells it so). Only what the
 * enforcement needs is clear: the patient's home clinic (the grantor), the grantee clinic, the
 * categories, the period and the grant a revocation names. The purpose, the capture evidence and
 * the reason of a revocation are sealed under the patient's data key (`details`).
 */

/** The categories a consent can share: every patient stream except the consent stream itself. */
export const CONSENT_CATEGORIES = ['profile', 'schedule', 'clinical', 'access'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

const ClinicId = z.string().regex(/^[0-9a-f]{64}$/);
const EntryHash = z.string().regex(/^[0-9a-f]{64}$/);
const Millis = z.number().int().nonnegative();
/** Categories: a non-empty list, in the order of CONSENT_CATEGORIES, without repeats (one spelling per set). */
const Categories = z
  .array(z.enum(CONSENT_CATEGORIES))
  .min(1)
  .max(CONSENT_CATEGORIES.length)
  .refine((list) => list.every((c, i) => i === 0 || CONSENT_CATEGORIES.indexOf(c) > CONSENT_CATEGORIES.indexOf(list[i - 1] ?? c)), {
    message: 'categories must be in canonical order without repeats',
  });

export const ConsentGrantedBody = z
  .strictObject({
    /** The patient's home clinic, which grants (the author must be one of its devices). */
    home: ClinicId,
    /** The clinic that may see the categories (a clinic the home clinic trusts). */
    grantee: ClinicId,
    categories: Categories,
    /** Sharing starts at this time (ms since the epoch) … */
    from: Millis,
    /** … and ends at this time, or never (null) unless revoked. */
    until: Millis.nullable(),
    /** Purpose and capture evidence (StoredConsentDetails), sealed. */
    details: SealedBody,
  })
  .refine((b) => b.home !== b.grantee, { message: 'a clinic does not grant consent to itself' })
  .refine((b) => b.until === null || b.until > b.from, { message: 'until must be after from' });

export const ConsentRevokedBody = z.strictObject({
  /** The patient's home clinic. The author is a device of it, or of the grantee clinic. */
  home: ClinicId,
  /** The grantee clinic whose access ends. */
  clinic: ClinicId,
  /** The categories that end. */
  categories: Categories,
  /** One grant (by its entry hash), or null: every grant to `clinic` this revocation does not follow. */
  grant: EntryHash.nullable(),
  /** The reason (StoredConsentRevocation), sealed. */
  details: SealedBody,
});

export const consentKinds = {
  /** The patient consents that `grantee` sees `categories` of their record from `from` until `until`. */
  'consent.granted': ConsentGrantedBody,
  /** The patient withdraws consent (recorded by the home clinic, or by the grantee the patient told). */
  'consent.revoked': ConsentRevokedBody,
} as const;

export const CONSENT_PURPOSES = ['treatment', 'second_opinion', 'referral', 'continuity', 'other'] as const;
export const CAPTURE_METHODS = ['paper_form', 'drawn', 'verbal'] as const;

/**
 * A signature drawn on screen, kept as vector strokes, not as an image: an SVG path (`M x y L x y …`,
 * integers in a width × height box) is a few kilobytes where a PNG is tens, and a signed entry
 * must fit one sync message.
 */
export const DrawnSignature = z.strictObject({
  width: z.number().int().min(50).max(2000),
  height: z.number().int().min(20).max(1000),
  path: z
    .string()
    .min(3)
    .max(6_000)
    .regex(/^[ML0-9 ]+$/),
});
export type DrawnSignature = z.infer<typeof DrawnSignature>;

export const ConsentCapture = z.discriminatedUnion('method', [
  /** A signed paper form, kept on file: where to find it. */
  z.strictObject({ method: z.literal('paper_form'), reference: z.string().min(1).max(200) }),
  /** The patient signed on screen. */
  z.strictObject({ method: z.literal('drawn'), signature: DrawnSignature }),
  /** The patient consented aloud, before a named witness. */
  z.strictObject({ method: z.literal('verbal'), witness: z.string().min(1).max(120) }),
]);
export type ConsentCapture = z.infer<typeof ConsentCapture>;

/** Stored plaintext of a grant's `details`. */
export const StoredConsentDetails = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES),
  /** Free text: what the purpose is when "other", or a note. */
  note: z.string().max(500),
  capture: ConsentCapture,
});
export type StoredConsentDetails = z.infer<typeof StoredConsentDetails>;

/** Stored plaintext of a revocation's `details`. */
export const StoredConsentRevocation = z.strictObject({ reason: z.string().min(1).max(500) });
export type StoredConsentRevocation = z.infer<typeof StoredConsentRevocation>;

export const consentPlaintexts = {
  'consent.granted': StoredConsentDetails,
  'consent.revoked': StoredConsentRevocation,
} as const;
