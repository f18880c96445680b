// Tells the signed-in shell that a manager changed the clinic settings, so the new date and time
// format applies on this screen at once instead of at the next sign-in
// (docs/architecture.md#dates-times-and-the-clinic-locale).
import type { CallOutput } from '../../../shared/api/index.js';
import { requiredContext } from './requiredContext.js';

export type ClinicSettings = CallOutput<'settings.get'>;

/** `<SettingsChangedProvider value={apply}>` and `useSettingsChanged()`: call it with what `settings.update` answered. */
export const [SettingsChangedProvider, useSettingsChanged] = requiredContext<(settings: ClinicSettings) => void>(
  'useSettingsChanged',
  'SettingsChangedProvider',
);
