import { useState } from 'react';
import type { LinkedRecord, PatientRecord, PatientSummary } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { useSession } from '../../kit/SessionContext.js';
import { formatIsoDate } from '../../format.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';

/**
 * Which clinic's record a row is, when that needs saying (docs/architecture.md#linked-records): a
 * shared record is "Shared by …"; this clinic's own record is named after the clinic when it is
 * linked with another clinic's record of the same person (the two then show together).
 */
export function recordClinic(p: PatientSummary, clinicName: string): string | null {
  if (p.sharing) return `Shared by ${p.sharing.homeClinicName ?? 'another clinic'}`;
  return p.links.length > 0 ? clinicName : null;
}

const nameOf = (p: PatientSummary) => (p.readable ? `${p.familyName ?? ''}, ${p.givenName ?? ''}` : 'Record not readable on this computer');
const clinicOf = (l: LinkedRecord) => l.clinicName ?? 'another clinic';

/** The pair as `patient.link` takes it: this clinic's own record first, then the shared one. */
const pairOf = (here: PatientSummary, otherId: string) =>
  here.sharing ? { patientId: otherId, otherPatientId: here.patientId } : { patientId: here.patientId, otherPatientId: otherId };

interface Props {
  readonly summary: PatientSummary;
  readonly details: PatientRecord['details'];
  readonly clinicName: string;
  readonly onOpen: (patientId: string) => void;
  readonly onChanged: () => void;
}

/**
 * The record's links with other clinics' records of the same person, each with a way to open it,
 * and the duplicate check's offer to link a likely match: on this clinic's own record, the records
 * other clinics share; on a shared record, this clinic's own records (docs/architecture.md#linked-records).
 */
export function LinkedRecords(props: Props) {
  const { role } = useSession();
  // The check runs only for those who may link: anyone else would be refused (and the refusal recorded).
  const checks = mayCall(role, 'patient.link') && mayCall(role, 'patient.findDuplicates') && props.summary.sharing?.locked !== true;
  return checks && props.details !== null ? <WithOffers {...props} details={props.details} /> : <LinkPanel {...props} offers={[]} />;
}

function WithOffers(props: Props & { readonly details: NonNullable<PatientRecord['details']> }) {
  const { summary, details } = props;
  const linked = new Set(summary.links.map((l) => l.patientId));
  const probe = { givenName: details.givenName, familyName: details.familyName, dateOfBirth: details.dateOfBirth, phone: details.phone };
  const { state } = useCall('patient.findDuplicates', probe, [...linked].join());
  const offers =
    state.status === 'ok'
      ? state.value.filter(
          (m) =>
            m.patientId !== summary.patientId &&
            !linked.has(m.patientId) &&
            m.readable &&
            (summary.sharing ? m.sharing === null : m.sharing !== null && !m.sharing.locked),
        )
      : [];
  return <LinkPanel {...props} offers={offers} />;
}

function LinkPanel({ summary, clinicName, onOpen, onChanged, offers }: Props & { readonly offers: readonly PatientSummary[] }) {
  const bridge = useBridge();
  const announce = useAnnounce();
  const { role } = useSession();
  const [error, setError] = useState<string | null>(null);
  if (summary.links.length === 0 && offers.length === 0) return null;

  const act = async (call: 'patient.link' | 'patient.unlink', otherId: string, done: string) => {
    const result = await bridge.invoke(call, pairOf(summary, otherId));
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    announce(done);
    onChanged();
  };

  return (
    <section className="panel linked-records" aria-labelledby="links-title">
      <h2 id="links-title">Linked records</h2>
      <FormError message={error} />
      {summary.links.length > 0 && (
        <ul data-testid="linked-records">
          {summary.links.map((l) => (
            <li key={l.patientId}>
              Linked with {clinicOf(l)}'s record.{' '}
              <button type="button" className="secondary" onClick={() => onOpen(l.patientId)}>
                Open {clinicOf(l)}'s record
              </button>{' '}
              {mayCall(role, 'patient.unlink') && (
                <button type="button" className="secondary" onClick={() => void act('patient.unlink', l.patientId, 'The link was undone.')}>
                  Undo the link
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {offers.length > 0 && (
        <>
          <p>
            {summary.sharing
              ? `${clinicName} has its own record that may be the same person:`
              : 'Another clinic shares a record that may be the same person:'}
          </p>
          <ul data-testid="link-offers">
            {offers.map((m) => {
              const label = m.sharing ? `the record shared by ${m.sharing.homeClinicName ?? 'another clinic'}` : `${clinicName}'s record`;
              return (
                <li key={m.patientId}>
                  {nameOf(m)}, born {formatIsoDate(m.dateOfBirth)}
                  {m.phone ? `, ${m.phone}` : ''}{' '}
                  <button type="button" className="secondary" onClick={() => onOpen(m.patientId)}>
                    Open this record
                  </button>{' '}
                  <button type="button" onClick={() => void act('patient.link', m.patientId, `Linked with ${label}.`)}>
                    Link with {label}
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="hint">Link only the same person: check the date of birth and the phone number with the patient first.</p>
        </>
      )}
    </section>
  );
}
