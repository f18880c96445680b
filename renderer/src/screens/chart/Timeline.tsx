// The episode's timeline of visits and notes (docs/architecture.md#chart-view): one row per signed
// note, newest first, with its day of service, type, author, co-signature state and addenda; the
// day opens the note below the timeline, and closing it puts focus back on that day.
import { useEffect, useRef, useState } from 'react';
import type { Note } from '../../../../shared/api/index.js';
import { NOTE_TYPE_NAMES } from '../../../../shared/api/index.js';
import { BILLING_RULE_NAMES } from '../../../../shared/charting/billing.js';
import { SIDE_NAMES } from '../../../../shared/charting/common.js';
import { MUSCLE_GROUPS } from '../../../../shared/charting/mmt.js';
import { NOTE_TEMPLATES, SECTION_LABELS } from '../../../../shared/charting/note.js';
import { INSTRUMENTS } from '../../../../shared/charting/outcomes.js';
import { romNormal } from '../../../../shared/charting/rom.js';
import type { StoredGoal, StoredMeasure, NoteSection } from '../../../../shared/ledger/kinds/notes.js';
import { roleName } from '../../roles.js';
import { shortVisitWhen, when } from '../../format.js';
import { dayText, GOAL_STATUS_NAMES } from './words.js';

/** Notes the timeline lists before "Show all": a few weeks of visits, without a 300-row page. */
export const FIRST_NOTES = 25;

export function Timeline({ notes, goals }: { readonly notes: readonly Note[]; readonly goals: readonly StoredGoal[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const listed = all ? notes : notes.slice(0, FIRST_NOTES);
  const opener = useRef<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const note = notes.find((n) => n.hash === open) ?? null;
  useEffect(() => {
    // Closing the note: focus goes back to the day that opened it.
    if (open === null && opener.current) {
      buttons.current.get(opener.current)?.focus();
      opener.current = null;
    }
  }, [open]);

  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Visits and notes</h2>
      {note && <NoteDetail note={note} goals={goals} onClose={() => setOpen(null)} />}
      {notes.length === 0 ? (
        <p className="empty">No notes signed in this episode yet.</p>
      ) : (
        <table className="grid timeline-table" aria-labelledby="timeline-title">
          <thead>
            <tr>
              <th scope="col">Day of service</th>
              <th scope="col">Note</th>
              <th scope="col">Visit</th>
              <th scope="col">Author</th>
              <th scope="col">Co-signature</th>
              <th scope="col">Addenda</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((n) => (
              <tr key={n.hash} className={n.hash === open ? 'chosen' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    ref={(el) => {
                      if (el) buttons.current.set(n.hash, el);
                      else buttons.current.delete(n.hash);
                    }}
                    aria-expanded={n.hash === open}
                    onClick={() => {
                      opener.current = n.hash;
                      setOpen(n.hash === open ? null : n.hash);
                    }}
                  >
                    {n.body ? dayText(n.body.date) : when.format(n.at)}
                  </button>
                </th>
                <td>{n.body ? NOTE_TYPE_NAMES[n.body.type] : 'Note'}</td>
                <td>{n.visitStart !== null ? shortVisitWhen.format(n.visitStart) : '—'}</td>
                <td>
                  {n.authorName ?? 'unknown staff member'}
                  {n.authorRole ? ` (${roleName(n.authorRole)})` : ''}
                </td>
                <td>{cosignState(n)}</td>
                <td>{n.addenda.length === 0 ? '—' : String(n.addenda.length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listed.length < notes.length && (
        <p className="row">
          <span className="hint">
            The latest {listed.length} of {notes.length} notes.
          </span>
          <button type="button" className="secondary" onClick={() => setAll(true)}>
            Show all {notes.length} notes
          </button>
        </p>
      )}
    </section>
  );
}

function cosignState(n: Note): string {
  if (n.awaitingCosign) return 'Awaiting co-signature';
  if (n.cosignedBy) return `Co-signed by ${n.cosignedBy}${n.cosignedAt !== null ? `, ${when.format(n.cosignedAt)}` : ''}`;
  return '—';
}

/** One note as signed: its sections in its type's order, measures, goal statuses, billing and addenda. */
function NoteDetail({ note, goals, onClose }: { readonly note: Note; readonly goals: readonly StoredGoal[]; readonly onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [note.hash]);
  const body = note.body;
  const title = body ? `${NOTE_TYPE_NAMES[body.type]}, ${dayText(body.date)}` : 'Note';
  const template = body ? NOTE_TEMPLATES[body.type].map((t) => t.key) : [];
  const order: NoteSection[] = body ? [...template, ...(Object.keys(body.sections) as NoteSection[]).filter((k) => !template.includes(k))] : [];
  const goalText = new Map(goals.map((g) => [g.id, g.text]));
  return (
    <article className="note-detail" aria-labelledby={`chart-note-${note.hash}`} data-testid="chart-note">
      <div className="row heading-row">
        <h3 id={`chart-note-${note.hash}`} tabIndex={-1} ref={heading}>
          {title}
        </h3>
        <button type="button" className="secondary" onClick={onClose}>
          Close the note
        </button>
      </div>
      <p className="hint">
        Signed {when.format(note.at)} by {note.authorName ?? 'unknown staff member'}
        {note.authorRole ? ` (${roleName(note.authorRole)})` : ''}. {cosignState(note) === '—' ? '' : `${cosignState(note)}.`}
      </p>
      {!body && <p className="empty">This note cannot be opened on this computer (no key for this patient).</p>}
      {body && (
        <>
          <dl className="soap">
            {order.map((k) =>
              body.sections[k] ? (
                <div key={k}>
                  <dt>{SECTION_LABELS[k]}</dt>
                  <dd>{body.sections[k]}</dd>
                </div>
              ) : null,
            )}
          </dl>
          {body.measures.length > 0 && (
            <>
              <h4>Measures</h4>
              <ul className="measures">
                {body.measures.map((m, i) => (
                  <li key={i}>{measureText(m)}</li>
                ))}
              </ul>
            </>
          )}
          {body.goals.length > 0 && (
            <>
              <h4>Goal status</h4>
              <ul>
                {body.goals.map((g) => (
                  <li key={g.goal}>
                    {goalText.get(g.goal) ?? 'A goal no longer in the episode'}: {GOAL_STATUS_NAMES[g.status]}
                  </li>
                ))}
              </ul>
            </>
          )}
          {body.billing && body.billing.lines.length > 0 && (
            <>
              <h4>Billing</h4>
              <p>
                {body.billing.lines
                  .map((l) => `${l.code} ${String(l.minutes)} min → ${String(l.units)} ${l.units === 1 ? 'unit' : 'units'}`)
                  .join('; ')}
                . Total {body.billing.totalUnits} {body.billing.totalUnits === 1 ? 'unit' : 'units'} ({body.billing.totalTimedMinutes} timed minutes,{' '}
                {BILLING_RULE_NAMES[body.billing.rule]}).
              </p>
            </>
          )}
        </>
      )}
      {note.addenda.length > 0 && (
        <ol className="addenda" aria-label="Addenda">
          {note.addenda.map((a) => (
            <li key={a.hash}>
              <strong>Addendum</strong> {when.format(a.at)} by {a.byName ?? 'unknown staff member'}: {a.text}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

const side = (s: StoredMeasure['side']) => (s === 'none' ? '' : `, ${SIDE_NAMES[s].toLowerCase()}`);

/** A measure in words, with its unit (and the day when it was not the note's). */
export function measureText(m: StoredMeasure): string {
  switch (m.kind) {
    case 'pain':
      return `Pain ${String(m.value)}/10 (NPRS)${m.site ? `, ${m.site}` : ''}${side(m.side)}`;
    case 'rom': {
      const normal = romNormal(m.joint, m.motion);
      const name = normal ? `${normal.jointName} ${normal.motionName.toLowerCase()}` : `${m.joint} ${m.motion}`.replaceAll('_', ' ');
      return `${name}${side(m.side)}, ${m.mode}: ${String(m.degrees)}°${normal ? ` (normal ${String(normal.normal)}°)` : ''}`;
    }
    case 'mmt':
      return `${MUSCLE_GROUPS.find((g) => g.key === m.muscle)?.name ?? m.muscle}${side(m.side)}: ${m.grade}/5`;
    case 'outcome': {
      const spec = INSTRUMENTS[m.instrument];
      const answered = m.items.filter((x) => x !== null).length;
      return `${spec.name}: ${Number.isInteger(m.score) ? String(m.score) : m.score.toFixed(1)}${m.unit === '%' ? '%' : ' points'} (${String(answered)} of ${String(m.items.length)} items answered)`;
    }
  }
}
