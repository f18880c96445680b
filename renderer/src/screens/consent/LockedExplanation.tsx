// What a receiving clinic sees of a shared record once the patient's consent has ended
// (docs/architecture.md#consent-screens): the honest account of what revocation does and does not
// undo, in place of the details it can no longer show.
export function LockedExplanation({ homeClinicName }: { readonly homeClinicName: string | null }) {
  const home = homeClinicName ?? 'the patient’s home clinic';
  return (
    <div className="locked-record" data-testid="locked-record">
      <p>
        <strong>This record is locked: the patient’s consent for this clinic to see it has ended.</strong>
      </p>
      <p>
        What was delivered while the patient consented was delivered, and is now locked on Movelog computers: this clinic’s computers no longer hold
        the key to the record, so nothing of it can be opened here, and nothing new reaches this clinic. Copies made outside Movelog (printouts,
        letters, exports) are not reached by this.
      </p>
      <p>
        To see the record again, the patient consents again at {home}. For anything about this patient, contact {home}.
      </p>
    </div>
  );
}
