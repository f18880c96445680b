import { z } from 'zod';
import { Millis, NoInput } from '../schemas.js';
import { call } from './define.js';

const DeviceKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'That is not a device key.');
const SignalUrl = z
  .string()
  .trim()
  .regex(/^wss?:\/\/[^\s/@]+(:\d{1,5})?(\/[^\s]*)?$/, 'Use a signalling address like ws://192.168.1.20:4444.');
const InvitationCode = z
  .string({ error: 'Enter the invitation code.' })
  .trim()
  .min(12, 'An invitation code has 12 letters and digits, like 7K3M-Q9TX-2BHD.')
  .max(20, 'An invitation code has 12 letters and digits, like 7K3M-Q9TX-2BHD.');
const PairingCode = z
  .string({ error: 'Enter the pairing code.' })
  .trim()
  .min(12, 'A pairing code has 12 letters and digits, like 7K3M-Q9TX-2BHD.')
  .max(20, 'A pairing code has 12 letters and digits, like 7K3M-Q9TX-2BHD.');

export const NetworkDevice = z.object({
  key: DeviceKey,
  label: z.string(),
  enrolledAt: Millis,
  revoked: z.boolean(),
  thisDevice: z.boolean(),
  /** What the sync peer last saw of it (null: never seen). */
  peer: z
    .object({
      connected: z.boolean(),
      lastSeen: Millis,
      /** Entries of this device's log it still lacks. */
      pendingOut: z.number().int(),
      /** Entries of its log this device still lacks. */
      pendingIn: z.number().int(),
    })
    .nullable(),
});

const ClinicId = z.string().regex(/^[0-9a-f]{64}$/, 'That is not a clinic id.');
const HandshakeId = z.string().regex(/^[0-9a-f]{32}$/, 'That is not an invitation in progress.');

/** A clinic this clinic trusts (or trusted): its public stream reaches this clinic's devices. */
export const TrustedClinic = z.object({
  id: ClinicId,
  name: z.string(),
  /** The safety number both managers compared when trust was confirmed. */
  fingerprint: z.string(),
  state: z.enum(['trusted', 'withdrawn']),
  /** When the current state began (the entry's time). */
  since: Millis,
  /** What this device holds of that clinic: its devices, staff directory and public entries. */
  devices: z.number().int(),
  staff: z.array(z.object({ name: z.string(), role: z.string() })),
  entries: z.number().int(),
  /** Its devices the sync peer is connected to now. */
  connected: z.number().int(),
});

/** An invitation being made or accepted, until both managers have compared the safety number. */
export const TrustHandshake = z.object({
  id: HandshakeId,
  role: z.enum(['inviter', 'accepter']),
  /** The invitation code (shown to the inviter only). */
  code: z.string().nullable(),
  state: z.enum(['waiting', 'confirm', 'trusted', 'declined', 'failed']),
  expiresAt: Millis,
  peer: z.object({ id: ClinicId, name: z.string() }).nullable(),
  /** The safety number: the same digits must show at both clinics. */
  fingerprint: z.string().nullable(),
  message: z.string().nullable(),
});

export const NetworkStatus = z.object({
  device: DeviceKey,
  devices: z.array(NetworkDevice),
  signaling: z.array(z.string()),
  /** Whether this process runs the sync peer. */
  syncing: z.boolean(),
  /**
   * What the running sync peer (this process's or `movelog sync`'s) sees of the clinic's room now:
   * devices heard lately, devices connected, signalling servers up. Null when none runs.
   */
  reach: z
    .object({
      seen: z.array(DeviceKey),
      connected: z.array(DeviceKey),
      signalling: z.object({ connected: z.number().int(), total: z.number().int() }),
    })
    .nullable(),
  logSize: z.number().int(),
  /** Restored from a backup and waiting to take back what it wrote after it; it records nothing new until then (docs/architecture.md#backups). */
  waitingAfterRestore: z.boolean(),
  clinics: z.array(TrustedClinic),
  handshakes: z.array(TrustHandshake),
});

export const networkCalls = {
  'network.status': call({
    input: NoInput,
    output: NetworkStatus,
    access: ['manager'],
    reads: null,
    summary: "This clinic's devices, their sync state, and the signalling servers.",
  }),
  'network.setSignaling': call({
    input: z.strictObject({ signaling: z.array(SignalUrl).min(1, 'Add at least one signalling server.').max(8) }),
    output: z.object({ signaling: z.array(z.string()) }),
    access: ['manager'],
    reads: null,
    summary: 'Sets the signalling servers used to find the clinic’s other devices.',
  }),
  'network.pairDevice': call({
    input: NoInput,
    output: z.object({ code: z.string(), expiresAt: Millis, signaling: z.array(z.string()) }),
    access: ['manager'],
    reads: null,
    summary: 'Makes a one-time pairing code (valid 10 minutes) and waits for the new device.',
  }),
  'network.revokeDevice': call({
    input: z.strictObject({ device: DeviceKey, reason: z.string().trim().min(1, 'Say why the device is removed.').max(200) }),
    output: z.object({ device: DeviceKey }),
    access: ['manager'],
    reads: null,
    summary: 'Removes a device from the clinic: entries it signs from now on are refused.',
  }),
  'network.join': call({
    input: z.strictObject({ code: PairingCode, signaling: SignalUrl, label: z.string().trim().min(1, 'Name this device.').max(120) }),
    output: z.object({ joined: z.literal(true) }),
    access: 'anyone',
    reads: null,
    summary: 'Joins a clinic with a pairing code shown on one of its devices (only on a device with no clinic).',
  }),
  'network.invite': call({
    input: NoInput,
    output: TrustHandshake,
    access: ['manager'],
    reads: null,
    summary: 'Makes a one-time invitation code (valid 10 minutes) for another clinic’s manager, and waits for it.',
  }),
  'network.acceptInvite': call({
    input: z.strictObject({ code: InvitationCode, signaling: SignalUrl }),
    output: TrustHandshake,
    access: ['manager'],
    reads: null,
    summary: 'Answers another clinic’s invitation code; the safety number then shows for both managers to compare.',
  }),
  'network.confirmTrust': call({
    input: z.strictObject({ id: HandshakeId, matches: z.boolean() }),
    output: TrustHandshake,
    access: ['manager'],
    reads: null,
    summary: 'Confirms (the safety numbers match) or declines an invitation in progress.',
  }),
  'network.trustedClinics': call({
    input: NoInput,
    output: z.array(z.object({ id: ClinicId, name: z.string() })),
    access: ['manager', 'therapist', 'front_desk'],
    reads: null,
    summary: 'The clinics this clinic trusts now, by name: the clinics a patient can consent to share their record with.',
  }),
  'network.withdrawTrust': call({
    input: z.strictObject({ clinic: ClinicId, reason: z.string().trim().min(1, 'Say why trust is withdrawn.').max(200) }),
    output: z.object({ clinic: ClinicId }),
    access: ['manager'],
    reads: null,
    summary: 'Stops sharing with a trusted clinic: its room closes and the pair secret is retired.',
  }),
} as const;
