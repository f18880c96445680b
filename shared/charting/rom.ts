/**
 * Range of motion (docs/architecture.md#measures): joints, their motions and the normal range of
 * each, from a bundled table whose source is named in ROM_SOURCE.
 */
export interface RomNormal {
  readonly joint: string;
  readonly motion: string;
  /** Joint name and motion as shown. */
  readonly jointName: string;
  readonly motionName: string;
  /** Normal range in degrees, from 0 (or the start position) to `normal`. */
  readonly normal: number;
  /** Midline motions (spine) are measured without a side. */
  readonly midline: boolean;
}

export interface RomAssessment {
  readonly normal: number;
  /** Below the normal range by more than the tolerance (docs/architecture.md#measures). */
  readonly limited: boolean;
  /** Degrees short of normal (0 when within it). */
  readonly deficit: number;
}

/** Where the normal values come from. */
export const ROM_SOURCE =
  'American Academy of Orthopaedic Surgeons (AAOS) values as tabulated in Norkin CC, White DJ. Measurement of Joint Motion: A Guide to Goniometry. 5th ed. Philadelphia: F.A. Davis; 2016.';

type Row = readonly [motion: string, motionName: string, normal: number, midline?: true];

const joint = (key: string, name: string, rows: readonly Row[]): RomNormal[] =>
  rows.map(([motion, motionName, normal, midline]) => ({ joint: key, motion, jointName: name, motionName, normal, midline: midline === true }));

/**
 * Normal ranges (ROM_SOURCE). Flexion and extension of the spine are midline (no side); lateral
 * flexion and rotation of the spine are measured to the left and to the right, so they take a side.
 * Extension of the elbow and knee ends at 0° (see assessRom for the sign convention).
 */
export const ROM_NORMALS: readonly RomNormal[] = [
  ...joint('cervical', 'Cervical spine', [
    ['flexion', 'Flexion', 45, true],
    ['extension', 'Extension', 45, true],
    ['lateral_flexion', 'Lateral flexion', 45],
    ['rotation', 'Rotation', 60],
  ]),
  ...joint('thoracolumbar', 'Thoracolumbar spine', [
    ['flexion', 'Flexion', 80, true],
    ['extension', 'Extension', 25, true],
    ['lateral_flexion', 'Lateral flexion', 35],
    ['rotation', 'Rotation', 45],
  ]),
  ...joint('shoulder', 'Shoulder', [
    ['flexion', 'Flexion', 180],
    ['extension', 'Extension', 60],
    ['abduction', 'Abduction', 180],
    ['internal_rotation', 'Internal (medial) rotation', 70],
    ['external_rotation', 'External (lateral) rotation', 90],
    ['horizontal_adduction', 'Horizontal adduction', 135],
  ]),
  ...joint('elbow', 'Elbow', [
    ['flexion', 'Flexion', 150],
    ['extension', 'Extension', 0],
  ]),
  ...joint('forearm', 'Forearm', [
    ['pronation', 'Pronation', 80],
    ['supination', 'Supination', 80],
  ]),
  ...joint('wrist', 'Wrist', [
    ['flexion', 'Flexion', 80],
    ['extension', 'Extension', 70],
    ['radial_deviation', 'Radial deviation', 20],
    ['ulnar_deviation', 'Ulnar deviation', 30],
  ]),
  ...joint('hip', 'Hip', [
    ['flexion', 'Flexion', 120],
    ['extension', 'Extension', 30],
    ['abduction', 'Abduction', 45],
    ['adduction', 'Adduction', 30],
    ['internal_rotation', 'Internal (medial) rotation', 45],
    ['external_rotation', 'External (lateral) rotation', 45],
  ]),
  ...joint('knee', 'Knee', [
    ['flexion', 'Flexion', 135],
    ['extension', 'Extension', 0],
  ]),
  ...joint('ankle', 'Ankle and foot', [
    ['dorsiflexion', 'Dorsiflexion', 20],
    ['plantarflexion', 'Plantarflexion', 50],
    ['inversion', 'Inversion', 35],
    ['eversion', 'Eversion', 15],
  ]),
  ...joint('great_toe_mtp', 'Great toe (MTP)', [
    ['flexion', 'Flexion', 45],
    ['extension', 'Extension', 70],
  ]),
];

export function romNormal(joint: string, motion: string): RomNormal | undefined {
  return ROM_NORMALS.find((r) => r.joint === joint && r.motion === motion);
}

/** A range is limited when it is short of normal by more than this share of normal… */
export const ROM_TOLERANCE_SHARE = 0.1;
/** …and by at least this many degrees (so small normals such as 15° eversion or 0° extension are not flagged for 1–4°). */
export const ROM_TOLERANCE_MIN_DEGREES = 5;

/**
 * How a measured range compares with the normal one (docs/architecture.md#measures).
 *
 * `degrees` is the motion reached in the motion's own direction from the neutral (0°) position,
 * the usual goniometric record. For the motions whose normal end is 0° (elbow and knee extension)
 * a negative reading means the joint stops short of straight — the "−10°" of a knee recorded
 * "−10 to 120", a flexion contracture or extension lag — and a positive one is hyperextension.
 * So for every motion the deficit is `normal − degrees` when positive, else 0, and the range is
 * limited when the deficit is more than 10% of normal and at least 5°.
 */
export function assessRom(joint: string, motion: string, degrees: number): RomAssessment | null {
  const row = romNormal(joint, motion);
  if (row === undefined) return null;
  const deficit = Math.max(0, row.normal - degrees);
  const limited = deficit > row.normal * ROM_TOLERANCE_SHARE && deficit >= ROM_TOLERANCE_MIN_DEGREES;
  return { normal: row.normal, limited, deficit };
}
