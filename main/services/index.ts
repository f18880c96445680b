import { auditChoices, auditRows, auditTotals } from './audit.js';
import { consentSummary, getConsent, grantConsent, revokeConsent } from './consent.js';
import type { SessionStore } from '../auth/sessions.js';
import { clinicSettings, listRefusals, listStaff } from '../clinic/staffQueries.js';
import type { Keystore } from '../ledger/keystore.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerVerifier } from '../ledger/lastVerify.js';
import type { JobRunner } from '../jobs/runner.js';
import type { NetworkRuntime } from '../sync/runtime.js';
import {
  acceptInvitation,
  confirmTrust,
  inviteClinic,
  joinClinic,
  networkStatus,
  pairDevice,
  revokeDevice,
  setSignaling,
  trustedClinicNames,
  withdrawClinicTrust,
} from './network.js';
import { ledgerStatus } from '../ledger/status.js';
import { clinicOverview, clinicStatus, setupClinic } from './clinic.js';
import { erasePatient, erasureStatus, retentionOf, setRetention } from './erasure.js';
import { addAddendum, cosignNote, listNotes, signNote } from './notes.js';
import { billingDay, cosignQueue, getChart, saveEpisode } from './charting.js';
import { breakGlass, emergencies, reviewEmergency } from './emergency.js';
import { linkPatients, unlinkPatients } from './links.js';
import { patientAccessReport } from './patientReport.js';
import { findDuplicates, getPatient, patientAccessLog, registerPatient, searchPatients, updatePatient } from './patients.js';
import {
  addTimeOff,
  appointmentsInRange,
  availability,
  book,
  conflicts,
  defineRoom,
  defineType,
  history,
  move,
  nextFree,
  removeTimeOff,
  rooms,
  setAvailability,
  setStatus,
  types,
} from './schedule.js';
import { addStaff, currentSession, sessionChoices, setActive, setPassphrase, signIn, signOut, updateSettings } from './staff.js';
import type { RefusalLog } from './refusals.js';
import { recordingReads } from './reads.js';
import type { ReadLog } from './reads.js';
import type { ServiceTable } from './table.js';

export interface ServiceDeps {
  readonly ledger: Ledger;
  readonly sessions: SessionStore;
  readonly keystore: Keystore;
  readonly now: () => number;
  readonly network: NetworkRuntime;
  readonly verifier: LedgerVerifier;
  readonly refusals: RefusalLog;
  /** The access audit of lists (docs/architecture.md#access-audit). */
  readonly reads: ReadLog;
  /** Long work off the main thread (docs/architecture.md#long-work-off-the-main-thread). */
  readonly jobs: JobRunner;
}

/**
 * The implementation of every call in shared/api, bound to one open data directory; every call
 * whose reply shows patients records it (`recordingReads`, docs/architecture.md#access-audit).
 */
export function createServices(deps: ServiceDeps): ServiceTable {
  return recordingReads(serviceTable(deps), deps.reads);
}

function serviceTable(deps: ServiceDeps): ServiceTable {
  const db = deps.ledger.db;
  return {
    'clinic.status': () => clinicStatus(deps),
    'clinic.setup': (input, ctx) => setupClinic(deps, input, ctx),
    'ledger.status': () => ledgerStatus(db),
    'clinic.overview': () => clinicOverview(deps),
    'ledger.verify': () => deps.verifier.run(),
    'session.choices': () => sessionChoices(deps),
    'session.signIn': (input, ctx) => signIn(deps, input, ctx),
    'session.current': (_input, ctx) => currentSession(deps, ctx),
    'session.signOut': (_input, ctx) => signOut(deps, ctx),
    'staff.list': () => listStaff(db),
    'staff.refusals': (input) => {
      deps.refusals.flush(); // the counts of a minute that is over, before a manager reads them
      return listRefusals(db, input.limit ?? 200);
    },
    'staff.add': (input, ctx) => addStaff(deps, input, ctx),
    'staff.deactivate': (input, ctx) => setActive(deps, input.staffId, false, ctx),
    'staff.reactivate': (input, ctx) => setActive(deps, input.staffId, true, ctx),
    'staff.setPassphrase': (input, ctx) => setPassphrase(deps, input, ctx),
    'settings.get': () => clinicSettings(db),
    'settings.update': (input, ctx) => updateSettings(deps, input, ctx),
    'patient.register': (input, ctx) => registerPatient(deps, input, ctx),
    'patient.update': (input, ctx) => updatePatient(deps, input, ctx),
    'patient.get': (input, ctx) => getPatient(deps, input, ctx),
    'patient.accessLog': (input) => patientAccessLog(db, input),
    'patient.search': (input) => searchPatients(db, input.query, input.limit, deps.now()),
    'patient.findDuplicates': (input) => findDuplicates(db, input),
    'patient.link': (input, ctx) => linkPatients(deps, input, ctx),
    'patient.unlink': (input, ctx) => unlinkPatients(deps, input, ctx),
    'notes.list': (input, ctx) => listNotes(deps, input, ctx),
    'notes.sign': (input, ctx) => signNote(deps, input, ctx),
    'notes.addendum': (input, ctx) => addAddendum(deps, input, ctx),
    'notes.cosign': (input, ctx) => cosignNote(deps, input, ctx),
    'chart.get': (input, ctx) => getChart(deps, input, ctx),
    'episodes.save': (input, ctx) => saveEpisode(deps, input, ctx),
    'notes.cosignQueue': () => cosignQueue(deps),
    'billing.day': (input) => billingDay(db, input),
    'schedule.rooms': () => rooms(db),
    'schedule.defineRoom': (input, ctx) => defineRoom(deps, input, ctx),
    'schedule.types': () => types(db),
    'schedule.defineType': (input, ctx) => defineType(deps, input, ctx),
    'schedule.availability': () => availability(db),
    'schedule.setAvailability': (input, ctx) => setAvailability(deps, input, ctx),
    'schedule.addTimeOff': (input, ctx) => addTimeOff(deps, input, ctx),
    'schedule.removeTimeOff': (input, ctx) => removeTimeOff(deps, input, ctx),
    'schedule.book': (input, ctx) => book(deps, input, ctx),
    'schedule.move': (input, ctx) => move(deps, input, ctx),
    'schedule.setStatus': (input, ctx) => setStatus(deps, input, ctx),
    'schedule.range': (input) => appointmentsInRange(db, input),
    'schedule.conflicts': (input) => conflicts(db, input.from),
    'schedule.history': (input, ctx) => history(deps, input, ctx),
    'schedule.nextFree': (input) => nextFree(deps, input),
    'network.status': () => networkStatus(deps),
    'network.setSignaling': (input) => setSignaling(deps, input),
    'network.pairDevice': (_input, ctx) => pairDevice(deps, ctx),
    'network.revokeDevice': (input, ctx) => revokeDevice(deps, input, ctx),
    'network.join': (input) => joinClinic(deps, input),
    'network.invite': (_input, ctx) => inviteClinic(deps, ctx),
    'network.acceptInvite': (input, ctx) => acceptInvitation(deps, input, ctx),
    'network.confirmTrust': (input, ctx) => confirmTrust(deps, input, ctx),
    'network.withdrawTrust': (input, ctx) => withdrawClinicTrust(deps, input, ctx),
    'network.trustedClinics': () => trustedClinicNames(deps),
    'consent.get': (input, ctx) => getConsent(deps, input, ctx),
    'consent.grant': (input, ctx) => grantConsent(deps, input, ctx),
    'consent.revoke': (input, ctx) => revokeConsent(deps, input, ctx),
    'consent.summary': () => consentSummary(deps),
    'audit.rows': (input) => auditRows(deps, input),
    'audit.summary': (input) => auditTotals(deps, input),
    'audit.choices': () => auditChoices(deps),
    'patient.breakGlass': (input, ctx) => breakGlass(deps, input, ctx),
    'access.emergencies': () => emergencies(deps),
    'access.review': (input, ctx) => reviewEmergency(deps, input, ctx),
    'job.start': (input, ctx) => deps.jobs.start(input.kind, input.input, ctx),
    'job.state': (input, ctx) => deps.jobs.state(input.id, ctx),
    'job.cancel': (input, ctx) => deps.jobs.cancel(input.id, ctx),
    'patient.erasureStatus': (input) => erasureStatus(deps, input),
    'patient.erase': (input, ctx) => erasePatient(deps, input, ctx),
    'clinic.retention': () => retentionOf(db),
    'clinic.setRetention': (input, ctx) => setRetention(deps, input, ctx),
    'patient.accessReport': (input) => patientAccessReport(db, input, deps.now()),
  } satisfies ServiceTable;
}

export type { ServiceTable } from './table.js';
export type { CallContext } from './context.js';
