import type { ReportAccess, ReportDisclosure } from './calls/patientReport.js';

/**
 * The patient's accounting in words, the same on the printed report and on screen
 * (docs/architecture.md#the-patients-accounting). `day` writes an instant as the clinic's date.
 */

/** "12 Mar 2025 to 4 Nov 2026", or "From 12 Mar 2025, continuing": when sharing ran. */
export function disclosureDates(d: ReportDisclosure, day: (ms: number) => string): string {
  const end = d.ended ?? d.until;
  return end === null ? `From ${day(d.from)}, continuing` : `${day(d.from)} to ${day(end - 1)}`;
}

/** Each withdrawal with what it ended and why, and how sharing stands now. */
export function disclosureEnd(d: ReportDisclosure, day: (ms: number) => string): string {
  const lines = d.revocations.map((r) => `Withdrawn ${day(r.at)} (${r.what})${r.reason ? `: ${r.reason}` : ''}`);
  if (d.status === 'expired' && d.until !== null) lines.push(`Period ended ${day(d.until - 1)}`);
  if (d.status === 'active') lines.push(d.until === null ? 'Still shared, until withdrawn' : `Still shared, until ${day(d.until - 1)}`);
  if (d.status === 'scheduled') lines.push('Not started yet');
  return lines.join('. ');
}

/** Groups of 16 hex digits, so a 64-digit entry hash wraps and can be read out. */
export const groupedHash = (hash: string): string => hash.match(/.{1,16}/g)?.join(' ') ?? hash;

/** The consent a disclosure rests on: when and by whom it was recorded, how it was given, its entry. */
export function disclosureConsent(d: ReportDisclosure, time: (ms: number) => string): string {
  return `Recorded ${time(d.recordedAt)}${d.recordedBy ? ` by ${d.recordedBy}` : ''}. ${d.capture ?? 'How it was given is not readable on this computer'}. Entry ${groupedHash(d.hash)}`;
}

/** The emergency column: "Yes: <reason>", "No", or "not known here" without the key. */
export function accessEmergency(a: ReportAccess): string {
  if (a.mode === 'emergency') return `Yes: ${a.reason ?? 'no reason given'}`;
  return a.mode === null ? 'not known here' : 'No';
}
