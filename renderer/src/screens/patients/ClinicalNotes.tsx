import { useEffect, useRef, useState } from 'react';
import type { Chart, Note } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { Notice } from '../../kit/Notice.js';
import { useSession } from '../../kit/SessionContext.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { mayCall, roleName } from '../../roles.js';
import { useCall } from '../../useCall.js';
import type { CallState } from '../../useCall.js';
import { NOTE_TYPE_NAMES } from '../../../../shared/api/index.js';
import { NoteForm } from '../charting/NoteForm.js';
import { NoteView } from '../charting/NoteView.js';
import { PrintNoteButton } from '../print/PrintNoteButton.js';
import { when } from '../../format.js';

/**
 * The patient's clinical notes on their record. The front desk is told the notes are not theirs
 * to open (main refuses the call anyway); clinicians read, write, amend and co-sign. A record
 * linked with other clinics' records of the same person (docs/architecture.md#linked-records)
 * shows their notes too, each list labelled with its clinic; each list is its own `notes.list`,
 * so each reading is recorded in that record's access stream.
 */
export function ClinicalNotes({
  patientId,
  clinicLabel = '',
  linked = [],
  chart,
  onChartChanged,
}: {
  readonly patientId: string;
  /** This record's clinic, shown when there are linked records. */
  readonly clinicLabel?: string;
  /** The linked records whose notes this clinic may read, with their clinics. */
  readonly linked?: readonly { readonly patientId: string; readonly clinicName: string }[];
  /**
   * The record's chart (chart.get: episodes and notes, one reading of the record's notes), asked
   * once by the record page for this list, the note form and the episodes; absent for a role
   * that may not read notes.
   */
  readonly chart?: CallState<Chart>;
  /** A note was signed or an episode saved: the record page asks for the chart again. */
  readonly onChartChanged?: () => void;
}) {
  const { role } = useSession();
  if (!mayCall(role, 'notes.list') || !chart || !onChartChanged) {
    return (
      <section className="panel" aria-labelledby="notes-title">
        <h2 id="notes-title">Clinical notes</h2>
        <p className="empty">
          Clinical notes are open only to therapists, assistants and managers. Ask the patient's therapist if you need something from them.
        </p>
      </section>
    );
  }
  const notes: CallState<readonly Note[]> = chart.status === 'ok' ? { status: 'ok', value: chart.value.notes } : chart;
  const own = (
    <NoteList patientId={patientId} clinic={linked.length === 0 ? null : clinicLabel} state={notes} chart={chart} reload={onChartChanged} />
  );
  if (linked.length === 0) return own;
  return (
    <>
      {own}
      {linked.map((l) => (
        <LinkedNoteList key={l.patientId} patientId={l.patientId} clinic={l.clinicName} />
      ))}
    </>
  );
}

/** Another clinic's linked record: its own notes.list, for reading and amending (docs/architecture.md#linked-records). */
function LinkedNoteList({ patientId, clinic }: { readonly patientId: string; readonly clinic: string }) {
  const { state, reload } = useCall('notes.list', { patientId });
  return <NoteList patientId={patientId} clinic={clinic} linked state={state} chart={null} reload={reload} />;
}

function NoteList({
  patientId,
  clinic = null,
  linked = false,
  state,
  chart,
  reload,
}: {
  readonly patientId: string;
  readonly clinic?: string | null;
  readonly linked?: boolean;
  readonly state: CallState<readonly Note[]>;
  /** The chart the note form writes in (episodes); null on a linked record, which is not written on. */
  readonly chart: CallState<Chart> | null;
  readonly reload: () => void;
}) {
  const { role } = useSession();
  const [writing, setWriting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // An addendum the note form handed over ("Add an addendum instead"); `seq` reopens it each time.
  const [handedOver, setHandedOver] = useState<{ readonly hash: string; readonly text: string; readonly seq: number } | null>(null);
  // New notes are written on the record that is open; a linked record's list is for reading and amending.
  const writes = mayCall(role, 'notes.sign') && !linked && chart !== null;
  const titleId = linked ? `notes-title-${patientId}` : 'notes-title';
  const showNote = (hash: string) => {
    const article = document.getElementById(noteId(hash));
    article?.scrollIntoView({ block: 'center' });
    article?.focus();
  };
  const announce = useAnnounce();
  const writeButton = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  /** Signing or cancelling closes the form: focus goes back to "Write a note", where the person started. */
  const closeForm = () => {
    closed.current = true;
    setWriting(false);
  };
  useEffect(() => {
    // After the render that brought the button back.
    if (!writing && closed.current) {
      closed.current = false;
      writeButton.current?.focus();
    }
  }, [writing]);

  return (
    <section className="panel clinical-notes" aria-labelledby={titleId}>
      <div className="row heading-row">
        <h2 id={titleId}>{clinic ? `Clinical notes — ${clinic}` : 'Clinical notes'}</h2>
        {writes && !writing && (
          <button type="button" ref={writeButton} onClick={() => setWriting(true)}>
            Write a note
          </button>
        )}
      </div>
      <Notice>{notice}</Notice>
      {writing && chart && (
        <NoteForm
          patientId={patientId}
          notes={state.status === 'ok' ? state.value : []}
          chart={chart}
          onEpisodeSaved={reload}
          onSigned={() => {
            closeForm();
            setNotice('Note signed.');
            // The notice is new on the page, which not every screen reader reads out; the window's region does.
            announce('Note signed.');
            reload();
          }}
          onCancel={(kept) => {
            closeForm();
            setNotice(kept ? 'Your draft is kept: Write a note resumes it.' : null);
            announce(kept ? 'Draft kept.' : 'Note discarded.');
          }}
          onAddendumInstead={(hash, text) => {
            // Focus goes to the addendum's text (it opens focused), not back to "Write a note".
            setWriting(false);
            setHandedOver((h) => ({ hash, text, seq: (h?.seq ?? 0) + 1 }));
          }}
          onShowNote={showNote}
        />
      )}
      {state.status === 'loading' && <Loading>Opening the notes…</Loading>}
      {state.status === 'error' && <FormError message={state.error.message} />}
      {state.status === 'ok' && state.value.length === 0 && (
        <p className="empty">No notes yet.{writes ? ' Write the first one after the visit.' : ''}</p>
      )}
      {state.status === 'ok' && state.value.length > 0 && (
        <ol className="notes">
          {state.value.map((n) => {
            const addendum = handedOver?.hash === n.hash ? handedOver : null;
            // A handed-over addendum remounts its note with the addendum form open and filled.
            return (
              <NoteItem
                key={addendum ? `${n.hash}-${String(addendum.seq)}` : n.hash}
                patientId={patientId}
                note={n}
                startAddendum={addendum?.text ?? null}
                onChanged={() => {
                  setHandedOver(null);
                  reload();
                }}
              />
            );
          })}
        </ol>
      )}
    </section>
  );
}

const noteId = (hash: string) => `note-${hash}`;

function NoteItem(props: {
  readonly patientId: string;
  readonly note: Note;
  /** Opens the addendum form at once, holding this text (handed over from the note form). */
  readonly startAddendum: string | null;
  readonly onChanged: () => void;
}) {
  const { note } = props;
  const bridge = useBridge();
  const { role } = useSession();
  const [amending, setAmending] = useState(props.startAddendum !== null);
  const [text, setText] = useState(props.startAddendum ?? '');
  const [error, setError] = useState<string | null>(null);
  const writes = mayCall(role, 'notes.addendum');
  const title = note.body ? NOTE_TYPE_NAMES[note.body.type] : 'Note';

  const act = async (run: () => ReturnType<Bridge['invoke']>) => {
    const result = await run();
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    setAmending(false);
    setText('');
    props.onChanged();
  };

  return (
    <li className="note">
      <article id={noteId(note.hash)} tabIndex={-1} aria-label={`${title}, ${when.format(new Date(note.at))}`}>
        <header>
          <strong>{title}</strong> · signed {when.format(new Date(note.at))} by {note.authorName ?? 'unknown staff member'}
          {note.authorRole ? ` (${roleName(note.authorRole)})` : ''}
          {note.visitStart !== null && <> · visit of {when.format(new Date(note.visitStart))}</>}
          {note.awaitingCosign && <span className="badge warn"> Awaiting co-signature</span>}
          {note.cosignedBy && (
            <span className="badge">
              {' '}
              Co-signed by {note.cosignedBy}
              {note.cosignedAt !== null ? `, ${when.format(new Date(note.cosignedAt))}` : ''}
            </span>
          )}
        </header>
        {!note.body && <p className="empty">This note cannot be opened on this computer (no key for this patient).</p>}
        {note.body && <NoteView body={note.body} />}
        {note.addenda.length > 0 && (
          <ol className="addenda" aria-label="Addenda">
            {note.addenda.map((a) => (
              <li key={a.hash}>
                <strong>Addendum</strong> {when.format(new Date(a.at))} by {a.byName ?? 'unknown staff member'}: {a.text}
              </li>
            ))}
          </ol>
        )}
        <FormError message={error} />
        <div className="row">
          {mayCall(role, 'notes.cosign') && note.awaitingCosign && (
            <button
              type="button"
              className="secondary"
              onClick={() => void act(() => bridge.invoke('notes.cosign', { patientId: props.patientId, note: note.hash }))}
            >
              Co-sign
            </button>
          )}
          {writes && note.readable && !amending && (
            <button type="button" className="secondary" onClick={() => setAmending(true)}>
              Add an addendum
            </button>
          )}
          <PrintNoteButton patientId={props.patientId} note={note} />
        </div>
        {amending && (
          <form
            className="addendum-form"
            aria-label="New addendum"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => bridge.invoke('notes.addendum', { patientId: props.patientId, note: note.hash, text }));
            }}
          >
            <Field id={`addendum-${note.hash}`} label="Addendum text">
              {(control) => (
                <textarea
                  {...control}
                  rows={Math.max(2, text.split('\n').length)}
                  // Handed over from the note form: the writer continues here.
                  autoFocus={props.startAddendum !== null}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
              )}
            </Field>
            <SubmitBlock row label="Sign addendum">
              <button type="button" className="secondary" onClick={() => setAmending(false)}>
                Cancel
              </button>
            </SubmitBlock>
          </form>
        )}
      </article>
    </li>
  );
}
