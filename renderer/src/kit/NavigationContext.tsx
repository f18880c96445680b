// Moving between screens from inside one (Shell provides it): a patient shown on the schedule
// opens their record in one click (docs/architecture.md#patient-identifiers).
import { requiredContext } from './requiredContext.js';

export interface Navigation {
  /** Shows this patient's record on the Patients screen. */
  readonly openPatient: (patientId: string) => void;
}

/** `<NavigationProvider value={…}>` and `useNavigation()`; only the signed-in app (below Shell) may ask. */
export const [NavigationProvider, useNavigation] = requiredContext<Navigation>('useNavigation', 'NavigationProvider');
