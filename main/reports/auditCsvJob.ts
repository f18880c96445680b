export { runCsv as run } from './auditJobs.js';
