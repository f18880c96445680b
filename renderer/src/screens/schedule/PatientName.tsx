import { useNavigation } from '../../kit/NavigationContext.js';
import { useSession } from '../../kit/SessionContext.js';
import { mayCall } from '../../roles.js';
import { formatDateOfBirth, namesakeWarning } from './patientIdentity.js';

export interface PatientIdentity {
  readonly patientId: string;
  readonly patientName: string | null;
  readonly patientDateOfBirth: string | null;
  readonly patientNamesakes: number;
}

/**
 * A patient as every schedule screen shows them (docs/architecture.md#patient-identifiers): the
 * name opens the record in one click (for the roles that may open it), the date of birth is
 * beside it unless a column of its own shows it, and a name others share says so.
 */
export function PatientName(props: { readonly patient: PatientIdentity; readonly birth?: 'inline' | 'elsewhere' }) {
  const { patient: p } = props;
  const { role } = useSession();
  const { openPatient } = useNavigation();
  if (p.patientName === null) return <span className="patient-name unreadable">Patient (record not readable on this computer)</span>;
  const warning = namesakeWarning(p.patientNamesakes);
  return (
    <span className="patient-name">
      {mayCall(role, 'patient.get') ? (
        <button type="button" className="link" title="Open the patient's record" onClick={() => openPatient(p.patientId)}>
          {p.patientName}
        </button>
      ) : (
        p.patientName
      )}
      {props.birth !== 'elsewhere' && p.patientDateOfBirth && <span className="dob"> born {formatDateOfBirth(p.patientDateOfBirth)}</span>}
      {warning && <span className="namesake-warning">{warning}</span>}
    </span>
  );
}
