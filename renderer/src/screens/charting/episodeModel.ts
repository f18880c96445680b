// The episode form's pure logic (docs/architecture.md#episodes-of-care): the fields as typed (dates
// in the clinic's pattern), an episode as those fields, and the fields as the input of
// episodes.save. The plan's certification period follows the start and the weeks until it is
// changed by hand.
import type { EpisodeInput } from '../../../../shared/api/index.js';
import type { BillingRule } from '../../../../shared/charting/billing.js';
import type { BodyRegion } from '../../../../shared/charting/common.js';
import type { GoalStatus, StoredEpisode } from '../../../../shared/ledger/kinds/notes.js';
import { formatIsoDate, isoFromDateInput } from '../../format.js';
import { certToDefault, typedNumber } from './model.js';

export interface GoalFields {
  readonly id?: string;
  readonly term: 'short' | 'long';
  readonly text: string;
  readonly target: string;
  readonly targetDate: string;
  readonly status: GoalStatus;
}

export interface EpisodeFields {
  readonly episode?: string;
  readonly provider: string;
  readonly referralDate: string;
  readonly diagnoses: readonly { readonly code: string; readonly text: string }[];
  readonly bodyRegion: BodyRegion | '';
  readonly start: string;
  readonly end: string;
  readonly visitsPerWeek: string;
  readonly weeks: string;
  readonly certFrom: string;
  readonly certTo: string;
  /** The certification period was typed by hand: it no longer follows the start and weeks. */
  readonly certByHand: boolean;
  readonly payerName: string;
  readonly rule: BillingRule;
  readonly goals: readonly GoalFields[];
}

/** A new episode starting `today` (YYYY-MM-DD): two visits a week for six weeks, certified for those six weeks. */
export function newEpisodeFields(today: string): EpisodeFields {
  return withPlanDefaults({
    provider: '',
    referralDate: '',
    diagnoses: [],
    bodyRegion: '',
    start: formatIsoDate(today),
    end: '',
    visitsPerWeek: '2',
    weeks: '6',
    certFrom: '',
    certTo: '',
    certByHand: false,
    payerName: '',
    rule: 'cms8',
    goals: [],
  });
}

/** A saved episode as the form's fields (to change it). */
export function episodeFields(e: StoredEpisode): EpisodeFields {
  return {
    episode: e.episode,
    provider: e.referral?.provider ?? '',
    referralDate: e.referral?.date ? formatIsoDate(e.referral.date) : '',
    diagnoses: e.diagnoses,
    bodyRegion: e.bodyRegion,
    start: formatIsoDate(e.start),
    end: e.end ? formatIsoDate(e.end) : '',
    visitsPerWeek: String(e.plan.visitsPerWeek),
    weeks: String(e.plan.weeks),
    certFrom: formatIsoDate(e.plan.certFrom),
    certTo: formatIsoDate(e.plan.certTo),
    certByHand: true,
    payerName: e.payer.name,
    rule: e.payer.rule,
    goals: e.goals.map((g) => ({ ...g, targetDate: formatIsoDate(g.targetDate) })),
  };
}

/** The certification period from the start and the weeks, unless it was typed by hand. */
export function withPlanDefaults(f: EpisodeFields): EpisodeFields {
  if (f.certByHand) return f;
  const start = isoFromDateInput(f.start);
  const to = certToDefault(start, Number(f.weeks));
  return to === null ? f : { ...f, certFrom: f.start, certTo: formatIsoDate(to) };
}

const optionalDay = (typed: string) => (typed.trim() === '' ? null : isoFromDateInput(typed));

/** The fields as episodes.save's `episode`; the schema (EpisodeInput) says what is wrong. */
export function toEpisodeInput(f: EpisodeFields): EpisodeInput {
  const provider = f.provider.trim();
  return {
    ...(f.episode ? { episode: f.episode } : {}),
    referral: provider === '' && f.referralDate.trim() === '' ? null : { provider, date: optionalDay(f.referralDate) },
    diagnoses: f.diagnoses.map((d) => ({ code: d.code, text: d.text })),
    bodyRegion: f.bodyRegion as BodyRegion,
    start: isoFromDateInput(f.start),
    end: optionalDay(f.end),
    plan: {
      visitsPerWeek: typedNumber(f.visitsPerWeek) as number,
      weeks: typedNumber(f.weeks) as number,
      certFrom: isoFromDateInput(f.certFrom),
      certTo: isoFromDateInput(f.certTo),
    },
    payer: { name: f.payerName, rule: f.rule },
    goals: f.goals.map((g) => ({
      ...(g.id ? { id: g.id } : {}),
      term: g.term,
      text: g.text,
      target: g.target,
      targetDate: isoFromDateInput(g.targetDate),
      status: g.status,
    })),
  };
}
