// Writing and signing one clinical note (docs/architecture.md#note-types): the episode it belongs
// to, the visit it documents, the note type's template, structured measures, goal statuses,
// interventions with a live units preview; autosaved as a draft and resumed from it
// (docs/architecture.md#drafts); checked with the schema main applies. Signing is final: the
// signed note is read-only, and corrections are addenda. A visit that already has a signed note is
// named with that note and the offer of an addendum instead (docs/architecture.md#clinical-notes).
import { addDays } from 'date-fns';
import { useEffect, useMemo, useState } from 'react';
import { NOTE_TYPE_NAMES, NOTE_TYPES, NoteBody } from '../../../../shared/api/index.js';
import type { ApiResult, Appointment, Chart, Draft, Note, NoteType } from '../../../../shared/api/index.js';
import type { Bridge } from '../../bridge.js';
import { BODY_REGION_NAMES } from '../../../../shared/charting/common.js';
import { NOTE_TEMPLATES, SECTION_LABELS } from '../../../../shared/charting/note.js';
import type { GoalStatus, StoredEpisode } from '../../../../shared/ledger/kinds/notes.js';
import { wallClock } from '../../../../shared/time.js';
import { formatIsoDate, shortVisitWhen, timeOnly, when } from '../../format.js';
import { useAnnounce } from '../../kit/Announcer.js';
import { useBridge } from '../../kit/BridgeContext.js';
import { Field } from '../../kit/Field.js';
import { FormError } from '../../kit/FormError.js';
import { Loading } from '../../kit/Loading.js';
import { useSession } from '../../kit/SessionContext.js';
import { SubmitBlock } from '../../kit/SubmitBlock.js';
import { useInvalidSubmit } from '../../kit/useInvalidSubmit.js';
import { mayCall } from '../../roles.js';
import { useCall } from '../../useCall.js';
import type { CallState } from '../../useCall.js';
import { EpisodeForm, GOAL_STATUS_NAMES } from './EpisodeForm.js';
import { newEpisodeFields } from './episodeModel.js';
import { Interventions } from './Interventions.js';
import { MeasureEditors } from './MeasureEditors.js';
import {
  carryForward,
  defaultVisit,
  emptyNote,
  fromDraft,
  hasContent,
  isOpen,
  issuesByField,
  NO_VISIT,
  previousNote,
  recertification,
  sortedEpisodes,
  toDraft,
  toNoteInput,
} from './model.js';
import type { NoteFormState } from './model.js';
import { RecertReminder } from './RecertReminder.js';
import './charting.css';
import { useDraft } from './useDraft.js';

const visitTime = shortVisitWhen;

/** The notes an assistant signs: evaluating and discharging are a therapist's (the service refuses them). */
const ASSISTANT_NOTE_TYPES: ReadonlySet<NoteType> = new Set(['daily', 'progress']);
/** What was typed in the sections, as the text of an addendum (nothing typed is lost by switching). */
const asAddendum = (state: NoteFormState) =>
  NOTE_TEMPLATES[state.type]
    .filter((s) => (state.sections[s.key] ?? '').trim() !== '')
    .map((s) => `${s.label}: ${(state.sections[s.key] ?? '').trim()}`)
    .join('\n');

/** The form a new note starts as: the open episode, a daily note (an evaluation for a patient's first), carried-forward measures. */
function freshNote(episodes: readonly StoredEpisode[], notes: readonly Note[], appointmentId: string | null, role: string | null) {
  const episode = episodes.find((e) => isOpen(e)) ?? null;
  const previous = previousNote(notes, episode?.episode ?? null);
  const state: NoteFormState = {
    // A patient's first note is usually the evaluation that opens the episode.
    // (An assistant's is a daily note: the evaluation is the therapist's.)
    ...emptyNote(episode || notes.length > 0 || role !== 'therapist' ? 'daily' : 'evaluation', appointmentId, episode?.episode ?? null),
    measures: previous?.body ? carryForward(previous.body.measures) : [],
  };
  return { state, carriedFrom: previous };
}

/**
 * The draft to resume (docs/architecture.md#drafts): the one for the visit the form opens on, else
 * the newest of this writer's drafts for the patient (written for another visit, or none).
 */
async function resumeDraft(bridge: Bridge, patientId: string, appointmentId: string | null): Promise<ApiResult<Draft | null>> {
  const forVisit = await bridge.invoke('drafts.get', { patientId, appointmentId });
  if (!forVisit.ok || forVisit.value) return forVisit;
  const mine = await bridge.invoke('drafts.list', {});
  if (!mine.ok) return mine;
  const other = mine.value.find((d) => d.patientId === patientId);
  return other ? bridge.invoke('drafts.get', { patientId, appointmentId: other.appointmentId }) : forVisit;
}

export function NoteForm(props: {
  readonly patientId: string;
  /** The patient's signed notes, newest first: which visits have one, and the measures to carry forward. */
  readonly notes: readonly Note[];
  /** The record's chart (its episodes), asked for by the record page. */
  readonly chart: CallState<Chart>;
  /** An episode was opened from the form: the record page asks for the chart again. */
  readonly onEpisodeSaved: () => void;
  readonly onSigned: () => void;
  /** `kept`: a draft holds what was typed. */
  readonly onCancel: (kept: boolean) => void;
  /** Closes the form and opens an addendum to `noteHash`, holding `text`. */
  readonly onAddendumInstead: (noteHash: string, text: string) => void;
  /** Brings the signed note `noteHash` into view. */
  readonly onShowNote: (noteHash: string) => void;
}) {
  const session = useSession();
  const bridge = useBridge();
  const announce = useAnnounce();
  const [range] = useState(() => {
    const now = Date.now();
    return { from: addDays(now, -30).getTime(), to: addDays(now, 1).getTime(), now, today: wallClock(now, session.timeZone).date };
  });
  const { state: visits } = useCall('schedule.range', { from: range.from, to: range.to, patientId: props.patientId });
  const { chart } = props;
  const episodes = useMemo(() => (chart.status === 'ok' ? sortedEpisodes(chart.value.episodes) : []), [chart]);
  const recent = useMemo(
    () =>
      visits.status === 'ok'
        ? visits.value
            .filter((v) => !NO_VISIT.has(v.status) && (v.start <= range.now || wallClock(v.start, session.timeZone).date === range.today))
            .reverse()
        : [],
    [visits, range, session.timeZone],
  );

  // The form opens once the visits and episodes are known: with the draft of the default visit, or fresh.
  const [opened, setOpened] = useState<{
    readonly state: NoteFormState;
    readonly resumed: Draft | null;
    readonly carriedFrom: Note | null;
    /** Remounts the form when it opens anew (after a discarded draft). */
    readonly n: number;
  } | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  useEffect(() => {
    if (opened || visits.status !== 'ok' || chart.status !== 'ok') return;
    let live = true;
    const documented = new Set(props.notes.flatMap((n) => (n.body?.appointmentId ? [n.body.appointmentId] : [])));
    const appointmentId = defaultVisit(visits.value, range.today, session.timeZone, range.now, documented);
    void resumeDraft(bridge, props.patientId, appointmentId).then((result) => {
      if (!live) return;
      if (!result.ok) setOpenError(result.error.message);
      if (result.ok && result.value) setOpened({ state: fromDraft(result.value.content), resumed: result.value, carriedFrom: null, n: 0 });
      else setOpened({ ...freshNote(episodes, props.notes, appointmentId, session.role), resumed: null, n: 0 });
    });
    return () => {
      live = false;
    };
  }, [opened, visits, chart, episodes, bridge, props.patientId, props.notes, range, session.timeZone, session.role]);

  if (visits.status === 'error') return <FormError message={visits.error.message} />;
  if (chart.status === 'error') return <FormError message={chart.error.message} />;
  if (!opened) return <Loading>Opening the note form…</Loading>;
  return (
    <>
      <FormError message={openError} />
      <OpenedNoteForm
        {...props}
        key={opened.n}
        initial={opened.state}
        resumed={opened.resumed}
        carriedFrom={opened.carriedFrom}
        episodes={episodes}
        visits={recent}
        today={range.today}
        onEpisodeSaved={props.onEpisodeSaved}
        onDiscarded={() => {
          announce('Draft discarded.');
          setOpened({ ...freshNote(episodes, props.notes, opened.state.appointmentId, session.role), resumed: null, n: opened.n + 1 });
        }}
      />
    </>
  );
}

function OpenedNoteForm(props: {
  readonly patientId: string;
  readonly notes: readonly Note[];
  readonly initial: NoteFormState;
  readonly resumed: Draft | null;
  readonly carriedFrom: Note | null;
  readonly episodes: readonly StoredEpisode[];
  readonly visits: readonly Appointment[];
  readonly today: string;
  readonly onEpisodeSaved: () => void;
  readonly onDiscarded: () => void;
  readonly onSigned: () => void;
  readonly onCancel: (kept: boolean) => void;
  readonly onAddendumInstead: (noteHash: string, text: string) => void;
  readonly onShowNote: (noteHash: string) => void;
}) {
  const bridge = useBridge();
  const { role } = useSession();
  const [state, setState] = useState(props.initial);
  const [changed, setChanged] = useState(false);
  const [carried, setCarried] = useState(props.carriedFrom);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [secondNote, setSecondNote] = useState(false);
  const [openingEpisode, setOpeningEpisode] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const { formRef, problems } = useInvalidSubmit();
  const [resumed] = useState(() => (props.resumed ? { draftId: props.resumed.draftId, savedAt: props.resumed.savedAt } : null));
  const draft = useDraft(
    props.patientId,
    useMemo(() => toDraft(state), [state]),
    changed,
    resumed,
  );
  const episode = props.episodes.find((e) => e.episode === state.episodeId) ?? null;
  const mayOpenEpisode = mayCall(role, 'episodes.save');
  const template = NOTE_TEMPLATES[state.type];
  // Assistants document under the therapist's plan: goal statuses are the therapist's (docs/architecture.md#note-types).
  const setsGoals = (state.type === 'progress' || state.type === 'discharge') && role === 'therapist';

  const change = (next: Partial<NoteFormState>) => {
    setState((s) => ({ ...s, ...next }));
    setChanged(true);
  };

  /** Another episode: its goals, and (while the measures are still the carried ones) its previous note's measures. */
  const chooseEpisode = (episodeId: string | null) => {
    // Goal statuses are only those the writer sets in this form: the others keep the episode's own.
    const next: Partial<NoteFormState> = { episodeId, goals: [] };
    if (carried === null && state.measures.length > 0) {
      change(next);
      return;
    }
    const previous = previousNote(props.notes, episodeId);
    setCarried(previous);
    change({ ...next, measures: previous?.body ? carryForward(previous.body.measures) : [] });
  };

  const documented = (appointmentId: string | null) =>
    appointmentId === null ? [] : props.notes.filter((n) => n.body?.appointmentId === appointmentId).reverse();
  // The visit's first signed note: the one an addendum most likely belongs to.
  const existing = documented(state.appointmentId)[0] ?? null;

  const sign = async (event: React.FormEvent) => {
    event.preventDefault();
    const note = toNoteInput(state);
    const checked = NoteBody.safeParse(note);
    const found = checked.success ? {} : issuesByField(checked.error.issues);
    if (state.episodeId === null)
      found.episodeId = mayOpenEpisode
        ? 'Choose the episode of care this note belongs to, or open one.'
        : 'This note needs an episode of care: ask the patient’s therapist to open one.';
    if (Object.keys(found).length > 0) {
      setErrors(found);
      problems(Object.keys(found).filter((k) => k !== 'form').length);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      // The draft's id, so main removes the draft in the same step as the signing.
      const draftId = changed || draft.draftId ? await draft.flush() : null;
      const result = await bridge.invoke('notes.sign', {
        patientId: props.patientId,
        note,
        confirmSecondNote: existing !== null && secondNote,
        ...(draftId ? { draftId } : {}),
      });
      if (result.ok) {
        draft.settle();
        props.onSigned();
      } else setErrors({ form: result.error.message });
    } finally {
      setBusy(false);
    }
  };

  /** The episode form closes: focus goes to the episode the note now names (the button that opened it is gone). */
  const closeEpisodeForm = () => {
    setOpeningEpisode(false);
    window.requestAnimationFrame(() => document.getElementById('note-episode')?.focus());
  };

  const sectionError = (key: string) => errors[`sections.${key}`] ?? null;
  return (
    <div className="note-writing">
      {openingEpisode && (
        <EpisodeForm
          patientId={props.patientId}
          initial={newEpisodeFields(props.today)}
          onSaved={(saved) => {
            closeEpisodeForm();
            props.onEpisodeSaved();
            if (saved.episode) change({ episodeId: saved.episode.episode, goals: [] });
          }}
          onCancel={closeEpisodeForm}
        />
      )}
      <form
        ref={formRef}
        className="note-form panel"
        aria-label="Write a clinical note"
        onSubmit={(e) => void sign(e)}
        // Leaving a field saves at once (docs/architecture.md#drafts).
        onBlur={() => {
          if (changed) void draft.flush();
        }}
        noValidate
      >
        <h3>Write a note</h3>
        <p className="draft-status" role="status" data-testid="draft-status">
          {draft.error
            ? `The draft could not be saved: ${draft.error}`
            : draft.savedAt !== null
              ? `Draft saved ${timeOnly.format(draft.savedAt)}`
              : 'Not saved yet: the draft is kept as you type.'}
        </p>
        {props.resumed && (
          <p className="notice resumed" data-testid="draft-resumed">
            Resumed your draft from {when.format(props.resumed.savedAt)}.
          </p>
        )}
        <div className="row">
          <Field className="field" id="note-type" label="Kind of note">
            {(control) => (
              <select
                {...control}
                value={state.type}
                onChange={(e) => {
                  const type = e.target.value as NoteType;
                  // Only the statuses set in this form are sent, so a goal changed elsewhere since is not set back (docs/architecture.md#note-types).
                  const goals = type === 'progress' || type === 'discharge' ? state.goals : [];
                  change({ type, goals });
                }}
              >
                {NOTE_TYPES.filter((t) => role === 'therapist' || ASSISTANT_NOTE_TYPES.has(t) || t === state.type).map((t) => (
                  <option key={t} value={t}>
                    {NOTE_TYPE_NAMES[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field className="field" id="note-episode" label="Episode of care" error={errors.episodeId}>
            {(control) => (
              <select {...control} value={state.episodeId ?? ''} onChange={(e) => chooseEpisode(e.target.value === '' ? null : e.target.value)}>
                <option value="">{props.episodes.length === 0 ? 'No episode of care yet' : 'Choose…'}</option>
                {props.episodes
                  .filter((e) => isOpen(e) || e.episode === state.episodeId)
                  .map((e) => (
                    <option key={e.episode} value={e.episode}>
                      {BODY_REGION_NAMES[e.bodyRegion]} · {e.diagnoses[0]?.code ?? ''} · from {formatIsoDate(e.start)}
                      {e.end ? ` to ${formatIsoDate(e.end)}` : ' (open)'}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field className="field" id="note-visit" label="Visit">
            {(control) => (
              <select
                {...control}
                value={state.appointmentId ?? ''}
                onChange={(e) => {
                  change({ appointmentId: e.target.value === '' ? null : e.target.value });
                  setSecondNote(false);
                }}
              >
                <option value="">Not linked to a visit</option>
                {props.visits.map((v) => (
                  <option key={v.appointmentId} value={v.appointmentId}>
                    {visitTime.format(new Date(v.start))} · {v.typeName ?? 'Visit'} · {v.therapistName ?? ''}
                    {documented(v.appointmentId).length > 0 ? ' · has a signed note' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {mayOpenEpisode && !openingEpisode && (
          <p>
            {props.episodes.some((e) => isOpen(e)) ? null : <span className="hint">This patient has no open episode of care. </span>}
            <button type="button" className="secondary" onClick={() => setOpeningEpisode(true)}>
              Open a new episode of care
            </button>
          </p>
        )}
        {!mayOpenEpisode && props.episodes.length === 0 && (
          <p className="hint">This patient has no episode of care yet: the patient’s therapist opens one with the evaluation.</p>
        )}
        {episode && recertification(episode, props.today) && <RecertReminder episode={episode} today={props.today} />}
        {existing && (
          <div className="second-note-warning" role="alert" aria-labelledby="second-note-title">
            <p id="second-note-title">
              <strong>This visit already has a signed note:</strong> {existing.body ? NOTE_TYPE_NAMES[existing.body.type] : 'a note'}, signed{' '}
              {when.format(new Date(existing.at))} by {existing.authorName ?? 'an unknown staff member'}.
            </p>
            {existing.body && (
              <blockquote className="hint">
                {Object.entries(existing.body.sections)
                  .map(([key, text]) => `${SECTION_LABELS[key as keyof typeof SECTION_LABELS]}: ${text}`)
                  .join(' · ')
                  .slice(0, 240)}
              </blockquote>
            )}
            <p>To correct or add to it, add an addendum: the signed note stays as it is, with your addendum beneath it.</p>
            <div className="row">
              <button
                type="button"
                onClick={() => {
                  // What was typed goes to the addendum; the draft is no longer needed.
                  void draft.discard();
                  draft.settle();
                  props.onAddendumInstead(existing.hash, asAddendum(state));
                }}
              >
                Add an addendum instead
              </button>
              <button type="button" className="secondary" onClick={() => props.onShowNote(existing.hash)}>
                Show that note
              </button>
            </div>
            <label className="check">
              <input type="checkbox" checked={secondNote} onChange={(e) => setSecondNote(e.target.checked)} /> This visit needs a second note (not an
              addendum)
            </label>
          </div>
        )}
        {template.map((s) => (
          <Field className="field" key={s.key} id={`note-${s.key}`} label={s.label} hint={s.hint} error={sectionError(s.key)}>
            {(control) => (
              <textarea
                {...control}
                rows={3}
                value={state.sections[s.key] ?? ''}
                onChange={(e) => change({ sections: { ...state.sections, [s.key]: e.target.value } })}
              />
            )}
          </Field>
        ))}
        {carried && state.measures.length > 0 && (
          <p className="hint carried" data-testid="carried-forward">
            The measures of the previous note ({carried.body ? NOTE_TYPE_NAMES[carried.body.type].toLowerCase() : 'note'} of{' '}
            {carried.body ? formatIsoDate(carried.body.date) : when.format(carried.at)}) are carried forward: re-measure and change them; they are
            dated on this visit’s day.
          </p>
        )}
        <MeasureEditors
          measures={state.measures}
          errors={errors}
          onChange={(measures) => {
            change({ measures });
          }}
        />
        {setsGoals && episode && episode.goals.length > 0 && (
          <fieldset className="goal-statuses">
            <legend>Goal status</legend>
            {episode.goals.map((g) => {
              const current = state.goals.find((x) => x.goal === g.id)?.status ?? g.status;
              return (
                <Field
                  className="field"
                  key={g.id}
                  id={`note-goal-${g.id}`}
                  label={`${g.term === 'short' ? 'Short-term' : 'Long-term'}: ${g.text} (target: ${g.target})`}
                >
                  {(control) => (
                    <select
                      {...control}
                      value={current}
                      onChange={(e) =>
                        change({
                          goals: [...state.goals.filter((x) => x.goal !== g.id), { goal: g.id, status: e.target.value as GoalStatus }],
                        })
                      }
                    >
                      {(Object.keys(GOAL_STATUS_NAMES) as GoalStatus[]).map((s) => (
                        <option key={s} value={s}>
                          {GOAL_STATUS_NAMES[s]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              );
            })}
            {errors.goals && <p className="field-error">{errors.goals}</p>}
          </fieldset>
        )}
        <Interventions
          lines={state.interventions}
          rule={episode?.payer.rule ?? 'cms8'}
          ruleFrom={
            episode ? `the rule of the episode’s payer${episode.payer.name ? ` (${episode.payer.name})` : ''}` : 'used for notes without an episode'
          }
          errors={errors}
          onChange={(interventions) => change({ interventions })}
        />
        <SubmitBlock
          row
          error={errors.form}
          note={<p className="hint">Signing is final: a signed note cannot be changed. Corrections are added to it as signed addenda.</p>}
          label={existing ? 'Sign a second note' : 'Sign note'}
          busy={busy}
          busyLabel="Signing…"
        >
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const kept = hasContent(state) && (changed || draft.draftId !== null);
              void draft.flush().then(() => props.onCancel(kept));
            }}
          >
            Cancel
          </button>
          {draft.draftId !== null && !confirmDiscard && (
            <button type="button" className="secondary" onClick={() => setConfirmDiscard(true)}>
              Discard draft
            </button>
          )}
        </SubmitBlock>
        {confirmDiscard && (
          <div className="second-note-warning" role="alertdialog" aria-labelledby="discard-title" aria-describedby="discard-words">
            <p id="discard-title">
              <strong>Discard this draft?</strong>
            </p>
            <p id="discard-words">What it holds is deleted from this computer and cannot be recovered.</p>
            <div className="row">
              <button
                type="button"
                className="danger"
                onClick={() =>
                  void draft.discard().then((ok) => {
                    setConfirmDiscard(false);
                    if (ok) props.onDiscarded();
                  })
                }
              >
                Yes, discard the draft
              </button>
              <button type="button" className="secondary" autoFocus onClick={() => setConfirmDiscard(false)}>
                Keep it
              </button>
            </div>
          </div>
        )}
      </form>
    </div>
  );
}
