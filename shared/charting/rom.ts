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
export const ROM_SOURCE = '';
export const ROM_NORMALS: readonly RomNormal[] = [];

export function romNormal(joint: string, motion: string): RomNormal | undefined {
  return ROM_NORMALS.find((r) => r.joint === joint && r.motion === motion);
}

/** How a measured range compares with the normal one. */
export function assessRom(joint: string, motion: string, degrees: number): RomAssessment | null {
  throw new Error(`assessing ${joint} ${motion} ${String(degrees)} is being written`);
}
