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

/**
 * The muscle groups tested most in PT, named by the motion they produce (the way a note records
 * "hip abductors 4−/5"). Keys are the table keys of StoredMeasure (lowercase snake case); every
 * group except the neck's and the trunk's is tested on a side.
 */
export const MUSCLE_GROUPS: readonly MuscleGroup[] = [
  { key: 'neck_flexors', name: 'Neck flexors' },
  { key: 'neck_extensors', name: 'Neck extensors' },
  { key: 'shoulder_flexors', name: 'Shoulder flexors' },
  { key: 'shoulder_extensors', name: 'Shoulder extensors' },
  { key: 'shoulder_abductors', name: 'Shoulder abductors' },
  { key: 'shoulder_external_rotators', name: 'Shoulder external rotators' },
  { key: 'shoulder_internal_rotators', name: 'Shoulder internal rotators' },
  { key: 'scapular_retractors', name: 'Scapular retractors (middle trapezius, rhomboids)' },
  { key: 'elbow_flexors', name: 'Elbow flexors' },
  { key: 'elbow_extensors', name: 'Elbow extensors' },
  { key: 'wrist_flexors', name: 'Wrist flexors' },
  { key: 'wrist_extensors', name: 'Wrist extensors' },
  { key: 'grip', name: 'Grip (finger flexors)' },
  { key: 'trunk_flexors', name: 'Trunk flexors' },
  { key: 'trunk_extensors', name: 'Trunk extensors' },
  { key: 'hip_flexors', name: 'Hip flexors' },
  { key: 'hip_extensors', name: 'Hip extensors' },
  { key: 'hip_abductors', name: 'Hip abductors' },
  { key: 'hip_adductors', name: 'Hip adductors' },
  { key: 'hip_external_rotators', name: 'Hip external rotators' },
  { key: 'hip_internal_rotators', name: 'Hip internal rotators' },
  { key: 'knee_extensors', name: 'Knee extensors (quadriceps)' },
  { key: 'knee_flexors', name: 'Knee flexors (hamstrings)' },
  { key: 'ankle_dorsiflexors', name: 'Ankle dorsiflexors' },
  { key: 'ankle_plantarflexors', name: 'Ankle plantarflexors' },
  { key: 'ankle_invertors', name: 'Ankle invertors' },
  { key: 'ankle_evertors', name: 'Ankle evertors' },
  { key: 'great_toe_extensors', name: 'Great toe extensors' },
];
