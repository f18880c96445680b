import type { z } from 'zod';
import { auditCalls } from './calls/audit.js';
import { careCalls } from './calls/care.js';
import { chartingCalls } from './calls/charting.js';
import { clinicCalls } from './calls/clinic.js';
import { consentCalls } from './calls/consent.js';
import { jobCalls } from './calls/jobs.js';
import { erasureCalls } from './calls/erasure.js';
import { networkCalls } from './calls/network.js';
import { noteCalls } from './calls/notes.js';
import { patientCalls } from './calls/patients.js';
import { patientReportCalls } from './calls/patientReport.js';
import { scheduleCalls } from './calls/schedule.js';
import { staffCalls } from './calls/staff.js';

export type { CallSpec } from './calls/define.js';

/**
 * Every call the UI can make, merged from one table per domain (shared/api/calls/*). The services
 * in main/ are typed against this table (a missing or mistyped service does not compile), and
 * both bridges (Electron IPC, browser host WebSocket) validate against it in main before any work.
 */
export const api = {
  ...clinicCalls,
  ...staffCalls,
  ...patientCalls,
  ...scheduleCalls,
  ...noteCalls,
  ...chartingCalls,
  ...networkCalls,
  ...consentCalls,
  ...auditCalls,
  ...careCalls,
  ...jobCalls,
  ...erasureCalls,
  ...patientReportCalls,
} as const;

export type Api = typeof api;
export type CallName = keyof Api;
export type CallInput<K extends CallName> = z.input<Api[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<Api[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Api[K]['output']>;

export const CALL_NAMES = Object.keys(api) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(api, name);
}
