import { z } from 'zod';

/**
 * Words shared by every charting module (docs/architecture.md#charting). Pure data and functions:
 * no clock, no I/O, so the renderer shows what the services compute.
 */

/** A calendar day in the clinic's time zone, `YYYY-MM-DD`. */
export const DayString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Enter a date as YYYY-MM-DD.');

/** Which side a measure was taken on; `none` for midline (spine, neck) and whole-body measures. */
export const SIDES = ['left', 'right', 'bilateral', 'none'] as const;
export type Side = (typeof SIDES)[number];
export const SIDE_NAMES: Readonly<Record<Side, string>> = { left: 'Left', right: 'Right', bilateral: 'Both sides', none: '—' };

/** The body regions an episode of care is filed under. */
export const BODY_REGIONS = ['cervical', 'thoracic', 'lumbar', 'shoulder', 'elbow', 'wrist_hand', 'hip', 'knee', 'ankle_foot', 'multiple'] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];
export const BODY_REGION_NAMES: Readonly<Record<BodyRegion, string>> = {
  cervical: 'Neck (cervical spine)',
  thoracic: 'Mid back (thoracic spine)',
  lumbar: 'Low back (lumbar spine)',
  shoulder: 'Shoulder',
  elbow: 'Elbow and forearm',
  wrist_hand: 'Wrist and hand',
  hip: 'Hip',
  knee: 'Knee',
  ankle_foot: 'Ankle and foot',
  multiple: 'More than one region',
};
