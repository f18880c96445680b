export { runPdf as run } from './auditJobs.js';
