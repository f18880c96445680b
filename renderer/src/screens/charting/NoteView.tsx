// A signed note as read (docs/architecture.md#note-types): its sections under their labels, its
// measures in one compact table, the goal statuses it set, and what it bills, with the units and
// the rule sealed into it when it was signed. Version-1 notes arrive normalised (chartNote).
import { BILLING_RULE_NAMES } from '../../../../shared/charting/billing.js';
import { SIDE_NAMES } from '../../../../shared/charting/common.js';
import { MUSCLE_GROUPS } from '../../../../shared/charting/mmt.js';
import { NOTE_TEMPLATES, SECTION_LABELS } from '../../../../shared/charting/note.js';
import { INSTRUMENTS } from '../../../../shared/charting/outcomes.js';
import { assessRom, romNormal } from '../../../../shared/charting/rom.js';
import { GOAL_STATUSES, NOTE_SECTIONS } from '../../../../shared/ledger/kinds/notes.js';
import type { StoredChartNote, StoredMeasure } from '../../../../shared/ledger/kinds/notes.js';
import { formatIsoDate } from '../../format.js';
import { GOAL_STATUS_NAMES } from './EpisodeForm.js';

/** A measure's name, side and value in words (shared with the note form's carry-forward line). */
export function measureInWords(m: StoredMeasure): { readonly name: string; readonly side: string; readonly value: string } {
  const side = m.side === 'none' ? '—' : SIDE_NAMES[m.side];
  switch (m.kind) {
    case 'pain':
      return { name: m.site ? `Pain (NPRS), ${m.site}` : 'Pain (NPRS)', side, value: `${String(m.value)} / 10` };
    case 'rom': {
      const normal = romNormal(m.joint, m.motion);
      const assessed = normal ? assessRom(m.joint, m.motion, m.degrees) : null;
      return {
        name: `${normal ? `${normal.jointName} ${normal.motionName.toLowerCase()}` : `${m.joint} ${m.motion}`} (${m.mode})`,
        side,
        value: `${String(m.degrees)}°${normal ? ` (normal ${String(normal.normal)}°${assessed?.limited ? ', limited' : ''})` : ''}`,
      };
    }
    case 'mmt':
      return { name: `Strength: ${MUSCLE_GROUPS.find((g) => g.key === m.muscle)?.name ?? m.muscle}`, side, value: `${m.grade} / 5` };
    case 'outcome': {
      const spec = INSTRUMENTS[m.instrument];
      return { name: spec.name, side, value: m.unit === '%' ? `${String(m.score)} %` : `${String(m.score)} / ${String(spec.scoreMax)}` };
    }
  }
}

export function NoteView({ body }: { readonly body: StoredChartNote }) {
  // The note type's template order first, then any other section it holds (a version-1 note's SOAP).
  const order = [...NOTE_TEMPLATES[body.type].map((s) => s.key), ...NOTE_SECTIONS];
  const sections = [...new Set(order)].filter((key) => body.sections[key]);
  const goalCounts = GOAL_STATUSES.map((s) => [s, body.goals.filter((g) => g.status === s).length] as const).filter(([, n]) => n > 0);
  return (
    <>
      {sections.length > 0 && (
        <dl className="soap">
          {sections.map((key) => (
            <div key={key}>
              <dt>{SECTION_LABELS[key]}</dt>
              <dd>{body.sections[key]}</dd>
            </div>
          ))}
        </dl>
      )}
      {body.measures.length > 0 && (
        <table className="grid compact note-measures" aria-label="Measures">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Side</th>
              <th scope="col">Value</th>
              <th scope="col">Date</th>
            </tr>
          </thead>
          <tbody>
            {body.measures.map((m, i) => {
              const words = measureInWords(m);
              return (
                <tr key={i}>
                  <th scope="row">{words.name}</th>
                  <td>{words.side}</td>
                  <td>{words.value}</td>
                  <td>{formatIsoDate(m.date)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {goalCounts.length > 0 && <p className="note-goals">Goals: {goalCounts.map(([s, n]) => `${GOAL_STATUS_NAMES[s]} ${String(n)}`).join(' · ')}</p>}
      {body.billing && body.billing.lines.length > 0 && (
        <table className="grid compact note-billing" aria-label="Billing">
          <caption>
            {body.billing.totalUnits} {body.billing.totalUnits === 1 ? 'unit' : 'units'} by the {BILLING_RULE_NAMES[body.billing.rule]}
          </caption>
          <thead>
            <tr>
              <th scope="col">CPT code</th>
              <th scope="col">Minutes</th>
              <th scope="col">Units</th>
            </tr>
          </thead>
          <tbody>
            {body.billing.lines.map((l) => (
              <tr key={l.code}>
                <th scope="row">
                  {l.code}
                  {l.timed ? '' : ' (untimed)'}
                </th>
                <td>{l.minutes}</td>
                <td>{l.units}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
