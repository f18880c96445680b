import { useState } from 'react';
import { PatientDetails } from '../../../../shared/api/index.js';
import type { PatientDetailsInput } from '../../../../shared/api/index.js';
import { Field } from '../../kit/Field.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { dateInputHint, dateProblem, formatIsoDate, isoFromDateInput, parseDateInput } from '../../format.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';

/** The form's own flat fields; empty strings mean "not given". */
export interface PatientFields {
  givenName: string;
  familyName: string;
  preferredName: string;
  dateOfBirth: string;
  sex: string;
  phone: string;
  email: string;
  address: string;
  emergencyName: string;
  emergencyPhone: string;
  emergencyRelationship: string;
  referralSource: string;
  insurancePayer: string;
  insuranceMemberId: string;
}

export const EMPTY_FIELDS: PatientFields = {
  givenName: '',
  familyName: '',
  preferredName: '',
  dateOfBirth: '',
  sex: '',
  phone: '',
  email: '',
  address: '',
  emergencyName: '',
  emergencyPhone: '',
  emergencyRelationship: '',
  referralSource: '',
  insurancePayer: '',
  insuranceMemberId: '',
};

export function fieldsFrom(d: PatientDetails): PatientFields {
  return {
    givenName: d.givenName,
    familyName: d.familyName,
    preferredName: d.preferredName ?? '',
    // Typed in the clinic's date order (docs/architecture.md#dates-times-and-the-clinic-locale), stored as YYYY-MM-DD.
    dateOfBirth: formatIsoDate(d.dateOfBirth),
    sex: d.sex,
    phone: d.phone ?? '',
    email: d.email ?? '',
    address: d.address ?? '',
    emergencyName: d.emergencyContact?.name ?? '',
    emergencyPhone: d.emergencyContact?.phone ?? '',
    emergencyRelationship: d.emergencyContact?.relationship ?? '',
    referralSource: d.referralSource ?? '',
    insurancePayer: d.insurance?.payer ?? '',
    insuranceMemberId: d.insurance?.memberId ?? '',
  };
}

function toInput(f: PatientFields): PatientDetailsInput {
  const hasEmergency = [f.emergencyName, f.emergencyPhone, f.emergencyRelationship].some((s) => s.trim() !== '');
  const hasInsurance = [f.insurancePayer, f.insuranceMemberId].some((s) => s.trim() !== '');
  return {
    givenName: f.givenName,
    familyName: f.familyName,
    preferredName: f.preferredName,
    dateOfBirth: isoFromDateInput(f.dateOfBirth),
    sex: f.sex as PatientDetailsInput['sex'],
    phone: f.phone,
    email: f.email,
    address: f.address,
    emergencyContact: hasEmergency ? { name: f.emergencyName, phone: f.emergencyPhone, relationship: f.emergencyRelationship } : null,
    referralSource: f.referralSource,
    insurance: hasInsurance ? { payer: f.insurancePayer, memberId: f.insuranceMemberId } : null,
  };
}

const FIELD_OF_PATH: Record<string, keyof PatientFields> = {
  'emergencyContact.name': 'emergencyName',
  'emergencyContact.phone': 'emergencyPhone',
  'emergencyContact.relationship': 'emergencyRelationship',
  'insurance.payer': 'insurancePayer',
  'insurance.memberId': 'insuranceMemberId',
};

/**
 * Demographics form, validated with the same schema main applies (shared/api), so a person sees
 * every problem next to its field before anything is sent.
 */
export function PatientForm(props: {
  readonly initial: PatientFields;
  readonly submitLabel: string;
  readonly busyLabel: string;
  readonly onSubmit: (details: PatientDetailsInput) => Promise<void>;
  readonly onCancel?: () => void;
}) {
  const [f, setF] = useState(props.initial);
  const [errors, setErrors] = useState<Partial<Record<keyof PatientFields, string>>>({});
  const [busy, setBusy] = useState(false);
  const { formRef, problems } = useInvalidSubmit();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = toInput(f);
    const checked = PatientDetails.safeParse(input);
    if (!checked.success) {
      const next: Partial<Record<keyof PatientFields, string>> = {};
      for (const issue of checked.error.issues) {
        const path = issue.path.join('.');
        const field = FIELD_OF_PATH[path] ?? (path as keyof PatientFields);
        next[field] ??= issue.message;
      }
      // A date not written in the clinic's order is explained in that order, not as YYYY-MM-DD.
      if (next.dateOfBirth !== undefined && parseDateInput(f.dateOfBirth) === null) next.dateOfBirth = dateProblem('the date of birth');
      setErrors(next);
      problems(Object.keys(next).length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await props.onSubmit(input);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: keyof PatientFields, label: string, type = 'text', hint?: string) => (
    <Field className="field" id={`pf-${name}`} label={label} hint={hint} error={errors[name]}>
      {(control) => <input {...control} type={type} value={f[name]} onChange={(e) => setF({ ...f, [name]: e.target.value })} />}
    </Field>
  );

  return (
    <form ref={formRef} className="patient-form" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>Patient</legend>
        {field('givenName', 'Given name')}
        {field('familyName', 'Family name')}
        {field('preferredName', 'Preferred name (optional)')}
        {field('dateOfBirth', 'Date of birth', 'text', dateInputHint())}
        <Field className="field" id="pf-sex" label="Sex" error={errors.sex}>
          {(control) => (
            <select {...control} value={f.sex} onChange={(e) => setF({ ...f, sex: e.target.value })}>
              <option value="">Choose…</option>
              <option value="female">Female</option>
              <option value="male">Male</option>
              <option value="other">Other</option>
              <option value="unknown">Unknown</option>
            </select>
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Contact</legend>
        {field('phone', 'Phone')}
        {field('email', 'Email', 'email')}
        {field('address', 'Address')}
      </fieldset>
      <fieldset>
        <legend>Emergency contact (optional)</legend>
        {field('emergencyName', 'Contact name')}
        {field('emergencyPhone', 'Contact phone')}
        {field('emergencyRelationship', 'Relationship')}
      </fieldset>
      <fieldset>
        <legend>Referral and insurance (optional)</legend>
        {field('referralSource', 'Referred by')}
        {field('insurancePayer', 'Insurer')}
        {field('insuranceMemberId', 'Member id')}
      </fieldset>
      <SubmitBlock row label={props.submitLabel} busy={busy} busyLabel={props.busyLabel}>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </SubmitBlock>
    </form>
  );
}
