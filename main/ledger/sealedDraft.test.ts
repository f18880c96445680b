import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kidOf, openPlaintext, sealBody, sealingKeyOf } from './seal.js';
import { sealedDraft } from './sealedDraft.js';
import { clinicStream, patientOfStream, patientStream } from './streams.js';

const patientId = 'c'.repeat(32);
const by = 'd'.repeat(32);

describe('patient streams', () => {
  it('are built and read back in one place, and refuse what is not a patient id', () => {
    expect(patientStream(patientId, 'clinical')).toBe(`p:${patientId}/clinical`);
    expect(patientOfStream(patientStream(patientId, 'access'))).toBe(patientId);
    expect(patientOfStream(clinicStream('e'.repeat(64), 'public'))).toBeNull();
    expect(() => patientStream('C'.repeat(32), 'profile')).toThrow(RangeError);
    expect(() => patientStream(`${patientId}/x`, 'profile')).toThrow(RangeError);
  });
});

describe('sealedDraft', () => {
  it("writes each sealed kind to the patient's stream of its rule's category, sealed so that only that stream and kind open it", () => {
    const key = randomBytes(32);
    const sealing = sealingKeyOf(key);
    const note = { type: 'daily', appointmentId: null, subjective: 'Better', objective: '', assessment: '', plan: '', pain: 3 } as const;
    const drafts = [
      sealedDraft(sealing, patientId, 'patient.updated', { ...profile }, by),
      sealedDraft(sealing, patientId, 'access.read', { what: 'profile', purpose: 'care' }, by),
      sealedDraft(sealing, patientId, 'appointment.status.set', { appointmentId: 'f'.repeat(32), status: 'cancelled', reason: 'ill' }, by),
      sealedDraft(sealing, patientId, 'note.signed', note, by),
    ];
    expect(drafts.map((d) => d.stream.slice(d.stream.indexOf('/') + 1))).toEqual(['profile', 'access', 'schedule', 'clinical']);
    const noteDraft = drafts[3]!;
    expect(noteDraft).toMatchObject({ kind: 'note.signed', by, body: { sealed: 'A256GCM', kid: kidOf(key) } });
    const body = noteDraft.body as Parameters<typeof openPlaintext>[3];
    expect(openPlaintext(key, noteDraft.stream, 'note.signed', body)).toEqual(note);
    expect(openPlaintext(randomBytes(32), noteDraft.stream, 'note.signed', body)).toBeNull();
    expect(openPlaintext(key, patientStream(patientId, 'profile'), 'note.signed', body)).toBeNull();
    expect(openPlaintext(null, noteDraft.stream, 'note.signed', body)).toBeNull();
  });

  it('reads an opened body only in its stored shape', () => {
    const key = randomBytes(32);
    const stream = patientStream(patientId, 'clinical');
    const odd = sealBody(key, stream, 'note.cosigned', { note: 'not a hash' });
    expect(openPlaintext(key, stream, 'note.cosigned', odd)).toBeNull();
    const good = sealBody(key, stream, 'note.cosigned', { note: 'a'.repeat(64) });
    expect(openPlaintext(key, stream, 'note.cosigned', good)).toEqual({ note: 'a'.repeat(64) });
  });
});

const profile = {
  givenName: 'Ada',
  familyName: 'Okafor',
  preferredName: null,
  dateOfBirth: '1975-11-30',
  sex: 'female',
  phone: null,
  email: null,
  address: null,
  emergencyContact: null,
  referralSource: null,
  insurance: null,
} as const;
