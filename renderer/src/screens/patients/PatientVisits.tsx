import { useState } from 'react';
import type { Appointment, PatientSummary } from '../../../../shared/api/index.js';
import { DataTable } from '../../kit/DataTable.js';
import { Dialog } from '../../kit/Dialog.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { when } from '../../format.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';
import { BookForm } from '../schedule/BookForm.js';
import { STATUS_LABEL } from '../schedule/calendar.js';
import { useBookable } from '../schedule/useBookable.js';

/** Every visit of the patient, from the first to the furthest booked (milliseconds since 1970 to the year 2200). */
const ALL_TIME = { from: 0, to: Date.UTC(2200, 0, 1) };

const COLUMNS = [
  { header: 'When', rowHeader: true, cell: (a: Appointment) => when.format(a.start) },
  { header: 'Type', cell: (a: Appointment) => a.typeName ?? '—' },
  { header: 'Therapist', cell: (a: Appointment) => a.therapistName ?? '—' },
  { header: 'Room', cell: (a: Appointment) => a.roomName ?? '—' },
  {
    header: 'Status',
    cell: (a: Appointment) => `${STATUS_LABEL[a.status] ?? a.status}${a.statusReason ? ` (${a.statusReason})` : ''}`,
  },
] as const;

/**
 * The patient's visits on their record, upcoming first (soonest on top) then past (latest on
 * top), each with its status; "Book a visit" opens the booking form with this patient chosen.
 */
export function PatientVisits({ patient }: { readonly patient: PatientSummary }) {
  const { role } = useSession();
  const { state, reload } = useCall('schedule.range', { ...ALL_TIME, patientId: patient.patientId });
  const [booking, setBooking] = useState(false);
  const options = useBookable();
  const [now] = useState(() => Date.now());
  const visits = state.status === 'ok' ? state.value : [];
  const upcoming = visits.filter((a) => a.end >= now);
  const past = visits.filter((a) => a.end < now).reverse();

  return (
    <section className="panel" aria-labelledby="visits-title">
      <div className="row heading-row">
        <h2 id="visits-title">Visits</h2>
        {mayCall(role, 'schedule.book') && (
          <button type="button" onClick={() => setBooking(true)}>
            Book a visit
          </button>
        )}
      </div>
      {booking && (
        <Dialog label="Book a visit" className="book-dialog" onClose={() => setBooking(false)}>
          <BookForm
            options={options}
            start={null}
            therapistId={null}
            patient={patient}
            onBooked={reload}
            onUndone={reload}
            onCancel={() => setBooking(false)}
          />
        </Dialog>
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <>
          <h3 id="upcoming-title">Upcoming</h3>
          <DataTable labelledBy="upcoming-title" rows={upcoming} rowKey={(a) => a.appointmentId} columns={COLUMNS} empty="No upcoming visits." />
          <h3 id="past-title">Past</h3>
          <DataTable labelledBy="past-title" rows={past} rowKey={(a) => a.appointmentId} columns={COLUMNS} empty="No past visits." />
        </>
      )}
    </section>
  );
}
