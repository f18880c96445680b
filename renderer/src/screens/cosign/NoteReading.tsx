// A signed note as a therapist reads it before co-signing (docs/architecture.md#co-signature-queue):
// its sections in the note type's order and its measures, in the words the printed note uses.
import type { Note } from '../../../../shared/api/index.js';
import { measureLine } from '../../../../shared/charting/measureWords.js';
import { NOTE_TEMPLATES, SECTION_LABELS } from '../../../../shared/charting/note.js';
import { NOTE_SECTIONS } from '../../../../shared/ledger/kinds/notes.js';
import type { NoteSection } from '../../../../shared/ledger/kinds/notes.js';
import { DataTable } from '../../kit/DataTable.js';
import { formatIsoDate, when } from '../../format.js';

export function NoteReading({ note, id }: { readonly note: Note; readonly id: string }) {
  const body = note.body;
  if (!body) return <p>This computer cannot open this note.</p>;
  const template = NOTE_TEMPLATES[body.type];
  const order = [...new Set<NoteSection>([...template.map((s) => s.key), ...NOTE_SECTIONS])];
  const label = (key: NoteSection) => template.find((s) => s.key === key)?.label ?? SECTION_LABELS[key];
  const sections = order.filter((key) => (body.sections[key] ?? '').trim() !== '');
  return (
    <div className="note-reading">
      {sections.length === 0 && <p>No section was written.</p>}
      {sections.map((key) => (
        <section key={key} aria-labelledby={`${id}-${key}`}>
          <h4 id={`${id}-${key}`}>{label(key)}</h4>
          <p className="note-text">{body.sections[key]}</p>
        </section>
      ))}
      {body.measures.length > 0 && (
        <>
          <h4 id={`${id}-measures`}>Measures</h4>
          <DataTable
            labelledBy={`${id}-measures`}
            rows={body.measures.map(measureLine)}
            rowKey={(_, i) => String(i)}
            columns={[
              { header: 'Measure', cell: (m) => m.what, rowHeader: true },
              { header: 'Side', cell: (m) => m.side },
              { header: 'Value', cell: (m) => m.value },
              { header: 'Against normal, scoring', cell: (m) => m.comment },
            ]}
          />
        </>
      )}
      {body.billing && (
        <p>
          Billed: {body.billing.lines.map((l) => `${l.code} × ${String(l.units)}`).join(', ')} ({String(body.billing.totalUnits)} units,{' '}
          {String(body.billing.totalTimedMinutes)} timed minutes).
        </p>
      )}
      {note.addenda.map((a) => (
        <p key={a.hash}>
          Addendum, {when.format(a.at)}, {a.byName ?? 'a staff member not known here'}: {a.text ?? 'this computer cannot open it'}
        </p>
      ))}
      <p className="hint">Day of service {formatIsoDate(body.date)}.</p>
    </div>
  );
}
