import { careRules } from './care.js';
import { clinicRules } from './clinic.js';
import { consentRules } from './consent.js';
import { erasureRules } from './erasure.js';
import { noteRules } from './notes.js';
import { patientRules } from './patients.js';
import { scheduleRules } from './schedule.js';
import type { KindRules } from './types.js';

/** Every kind's rule, merged from one table per domain; a kind without a rule does not compile. */
export const KIND_RULES: KindRules = {
  ...clinicRules,
  ...patientRules,
  ...scheduleRules,
  ...noteRules,
  ...consentRules,
  ...careRules,
  ...erasureRules,
};
