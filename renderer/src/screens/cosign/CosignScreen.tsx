// Therapists' co-signature queue (docs/architecture.md#co-signature-queue): assistants' notes
// awaiting a therapist's co-signature, oldest first. Each is read here (sections, measures) and
// co-signed from here; supervising it is care, so no visit of one's own with the patient is needed.
import { useEffect, useState } from 'react';
import { NOTE_TYPE_NAMES } from '../../../../shared/api/index.js';
import type { CosignItem } from '../../../../shared/api/index.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { formatIsoDate, when } from '../../format.js';
import { useCall } from '../../useCall.js';
import { NoteReading } from './NoteReading.js';
import { tellCosigned } from './cosignEvents.js';
import './cosign.css';

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const patientOf = (item: CosignItem) => item.patientName ?? 'A patient whose name this computer cannot open';

export function CosignScreen() {
  const { state, reload } = useCall('notes.cosignQueue', {});
  // The count in the navigation follows the list whenever it is loaded (another computer may have added or co-signed notes).
  useEffect(() => {
    if (state.status === 'ok') tellCosigned();
  }, [state]);
  return (
    <>
      <h1>Co-signature</h1>
      <p>
        Notes written by assistants wait here for a therapist's co-signature, oldest first. Read each one, then co-sign it; a co-signature is a signed
        entry in the patient's record, and the note leaves this list.
      </p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && (
        <section className="panel" aria-labelledby="cosign-title">
          <div className="row heading-row">
            <h2 id="cosign-title">Awaiting your co-signature ({state.value.length})</h2>
            <button type="button" className="secondary" onClick={reload}>
              Refresh
            </button>
          </div>
          {state.value.length === 0 ? (
            <p className="empty">No note is waiting for a co-signature.</p>
          ) : (
            <ol className="cosign-queue">
              {state.value.map((item) => (
                <CosignEntry key={item.note.hash} item={item} onCosigned={reload} />
              ))}
            </ol>
          )}
        </section>
      )}
    </>
  );
}

function CosignEntry({ item, onCosigned }: { readonly item: CosignItem; readonly onCosigned: () => void }) {
  const bridge = useBridge();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { note } = item;
  const id = `cosign-${note.hash.slice(0, 12)}`;
  const type = note.body ? NOTE_TYPE_NAMES[note.body.type] : 'Note';
  const title = `${type} for ${patientOf(item)}`;

  const cosign = async () => {
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('notes.cosign', { patientId: item.patientId, note: note.hash });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    announce(`Co-signed the ${lowerFirst(type)} for ${patientOf(item)}.`);
    tellCosigned();
    onCosigned();
  };

  return (
    <li className="cosign-item" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p>
        {note.body ? `Day of service ${formatIsoDate(note.body.date)} · ` : ''}
        written by {note.authorName ?? 'an assistant not known here'}, signed {when.format(note.at)}
      </p>
      <div className="row">
        <button type="button" className="secondary" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide the note' : 'Read the note'}
        </button>
        <button type="button" disabled={busy || !note.readable} onClick={() => void cosign()} aria-label={`Co-sign the ${lowerFirst(title)}`}>
          {busy ? 'Co-signing…' : 'Co-sign'}
        </button>
      </div>
      {error && <FormError message={error} />}
      <div id={`${id}-body`} hidden={!open}>
        {open && <NoteReading note={note} id={id} />}
      </div>
    </li>
  );
}
