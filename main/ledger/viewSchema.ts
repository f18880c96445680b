/**
 * Kept only so the released migrations (main/store/migrations/*) still build on this branch: the
 * views' DDL lives in main/views (docs/architecture.md#views). Delete this file once those
 * migrations inline their own SQL.
 */
export { CLINIC_VIEWS, TIME_ZONE_VIEWS } from '../views/clinic.js';
export { CHECKPOINT_VIEWS } from '../views/checkpoints.js';
export { NOTE_VIEWS } from '../views/notes.js';
export { ACCESS_VIEWS, PATIENT_VIEWS } from '../views/patients.js';
export { SCHEDULE_VIEWS } from '../views/schedule.js';
export { TRUST_VIEWS } from '../views/trust.js';
