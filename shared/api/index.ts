export * from './contract.js';
export * from './result.js';
export * from './roles.js';
export * from './schemas.js';
export * from './errors.js';
export * from './calls/staff.js';
export * from './calls/patients.js';
export * from './calls/schedule.js';
