/**
 * Manual muscle testing grades 0–5 with + and − (docs/architecture.md#measures), Kendall's ordinal
 * scale as used in the Daniels and Worthingham convention.
 */
export const MMT_GRADES = ['0', '1', '2-', '2', '2+', '3-', '3', '3+', '4-', '4', '4+', '5'] as const;
export type MmtGrade = (typeof MMT_GRADES)[number];

export interface MuscleGroup {
  readonly key: string;
  readonly name: string;
}
/** The muscle groups tested most in PT (filled in). */
export const MUSCLE_GROUPS: readonly MuscleGroup[] = [];
