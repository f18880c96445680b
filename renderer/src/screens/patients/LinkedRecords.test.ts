import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PatientSummary, Session } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { BridgeProvider } from '../../kit/BridgeContext.js';
import { SessionProvider } from '../../kit/SessionContext.js';
import { LinkedRecords, recordClinic } from './LinkedRecords.js';

const own: PatientSummary = {
  patientId: 'a'.repeat(32),
  readable: true,
  givenName: 'Noor',
  familyName: 'Haddad',
  preferredName: null,
  dateOfBirth: '1986-05-28',
  phone: null,
  registeredAt: 0,
  sharing: null,
  links: [],
  erased: null,
};
const harbour = {
  homeClinicId: 'b'.repeat(64),
  homeClinicName: 'Harbour Rehab',
  categories: ['profile', 'clinical'] as const,
  until: null,
  locked: false,
};
const linkToHarbour = { patientId: 'c'.repeat(32), clinicId: 'b'.repeat(64), clinicName: 'Harbour Rehab', own: false, notes: true };

describe('which clinic a record is (docs/architecture.md#linked-records)', () => {
  it('names a shared record by its clinic, and this clinic’s record only when it is linked', () => {
    expect(recordClinic(own, 'Summit Physio')).toBeNull();
    expect(recordClinic({ ...own, links: [linkToHarbour] }, 'Summit Physio')).toBe('Summit Physio');
    expect(recordClinic({ ...own, sharing: { ...harbour, categories: [...harbour.categories] } }, 'Summit Physio')).toBe('Shared by Harbour Rehab');
    expect(recordClinic({ ...own, sharing: { ...harbour, categories: ['profile'], homeClinicName: null } }, 'Summit Physio')).toBe(
      'Shared by another clinic',
    );
  });

  it('the record page lists its links with a way to open each; a therapist (who may link, not run the duplicate check) gets no offers', () => {
    const session: Session = { staffId: 'd'.repeat(32), name: 'Priya', role: 'therapist', autoLockMinutes: 5, timeZone: 'UTC', locale: 'en-GB' };
    const refuse = (): never => {
      throw new Error('no call expected while rendering');
    };
    const bridge = { invoke: refuse } as unknown as Bridge;
    const render = (summary: PatientSummary) =>
      renderToStaticMarkup(
        createElement(BridgeProvider, {
          value: bridge,
          children: createElement(SessionProvider, {
            value: session,
            children: createElement(LinkedRecords, { summary, details: null, clinicName: 'Summit Physio', onOpen: refuse, onChanged: refuse }),
          }),
        }),
      );
    expect(render(own)).toBe('');
    const html = render({ ...own, links: [linkToHarbour] });
    expect(html).toContain('<h2 id="links-title">Linked records</h2>');
    expect(html).toContain('Linked with Harbour Rehab&#x27;s record.');
    expect(html).toContain('Open Harbour Rehab&#x27;s record</button>');
    expect(html).toContain('Undo the link</button>');
    expect(html).not.toContain('link-offers');
  });
});
