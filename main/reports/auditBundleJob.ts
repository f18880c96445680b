export { runBundle as run } from './auditJobs.js';
