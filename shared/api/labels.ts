import { api, isCallName } from './contract.js';
import type { CallName } from './contract.js';

/**
 * What each request asks for, in words a manager reads in the list of refused requests ("tried
 * to …"). The one place that turns call names into words (docs/architecture.md#access-audit); a
 * call without an entry here is described by its summary, never by its name.
 */
export const CALL_WORDS: { readonly [K in CallName]?: string } = {
  'clinic.status': 'see whether this computer holds a clinic',
  'clinic.setup': 'set up a clinic',
  'ledger.status': "see the record's integrity",
  'clinic.overview': "see the clinic's computers and checkpoints",
  'ledger.verify': "verify this computer's record",
  'session.choices': 'see who can sign in',
  'session.signIn': 'sign in',
  'session.current': 'see who is signed in',
  'session.signOut': 'sign out',
  'staff.list': 'list the staff',
  'staff.refusals': 'list refused requests',
  'staff.add': 'add a staff member',
  'staff.deactivate': 'deactivate a staff member',
  'staff.reactivate': 'reactivate a staff member',
  'staff.setPassphrase': "change a staff member's passphrase",
  'settings.get': 'see the clinic settings',
  'settings.update': 'change the clinic settings',
  'patient.register': 'register a patient',
  'patient.update': "change a patient's details",
  'patient.get': "open a patient's record",
  'patient.accessLog': "see who opened a patient's record",
  'patient.search': 'search for patients',
  'patient.findDuplicates': 'check for an already registered patient',
  'patient.link': "link this clinic's record of a patient with another clinic's",
  'patient.unlink': "undo the link between two clinics' records of a patient",
  'patient.erasureStatus': "see whether a patient's record may be erased",
  'patient.erase': "erase a patient's record",
  'clinic.retention': "see the clinic's retention period",
  'clinic.setRetention': "change the clinic's retention period",
  'notes.list': "read a patient's clinical notes",
  'notes.sign': 'sign a clinical note',
  'notes.addendum': 'add to a clinical note',
  'notes.cosign': 'co-sign a clinical note',
  'chart.get': "open a patient's chart",
  'episodes.save': 'open or change an episode of care',
  'notes.cosignQueue': 'list the notes awaiting co-signature',
  'billing.day': "see the day's billing",
  'schedule.rooms': 'list the rooms',
  'schedule.defineRoom': 'add or change a room',
  'schedule.types': 'list the appointment types',
  'schedule.defineType': 'add or change an appointment type',
  'schedule.availability': "see therapists' hours",
  'schedule.setAvailability': "set a therapist's weekly hours",
  'schedule.addTimeOff': 'add time off',
  'schedule.removeTimeOff': 'remove time off',
  'schedule.book': 'book a visit',
  'schedule.move': 'move a visit',
  'schedule.setStatus': "change a visit's status",
  'schedule.history': "see a visit's history",
  'schedule.nextFree': 'find the next free time',
  'schedule.range': 'see the schedule',
  'schedule.conflicts': 'see double bookings',
  'network.status': "see the clinic's network",
  'network.setSignaling': 'change the connection server',
  'network.pairDevice': 'add a computer to the clinic',
  'network.revokeDevice': 'remove a computer from the clinic',
  'network.join': "join another computer's clinic",
  'network.invite': 'invite another clinic',
  'network.acceptInvite': "accept another clinic's invitation",
  'network.confirmTrust': 'trust another clinic',
  'network.withdrawTrust': 'stop trusting another clinic',
  'network.trustedClinics': 'list the trusted clinics',
  'consent.get': "see who may see a patient's record",
  'consent.grant': "record a patient's consent to share their record",
  'consent.revoke': 'record that a patient withdrew consent',
  'consent.summary': 'count the patients shared with other clinics',
  'audit.rows': 'read the audit report',
  'audit.summary': "see the audit report's totals",
  'audit.choices': "see the audit report's filters",
  'patient.breakGlass': "open a patient's record outside their care (emergency access)",
  'access.emergencies': 'see the emergency accesses awaiting review',
  'access.review': 'review an emergency access',
  'job.start': 'start a long job (a verification or an export)',
  'job.state': 'see how far a long job has got',
  'job.cancel': 'cancel a long job',
  'patient.accessReport': "print a patient's access report",
};

/** What a request asked for, in words ("sign in"); an unknown name is "an unknown request". */
export function describeRequest(call: string): string {
  if (!isCallName(call)) return 'make a request Movelog does not know';
  return CALL_WORDS[call] ?? lowerFirst(api[call].summary.replace(/\.$/, ''));
}

/** What an `access.read` says was read (docs/architecture.md#access-audit), as a line of the access log says it. */
export const ACCESS_WORDS = {
  profile: "opened the patient's details",
  clinical: 'read the clinical notes',
} as const;

/**
 * A reading in words: an `access.read` (`what` null when it is sealed with a key this computer
 * does not hold), or a list that showed the patient ('listed', with the call that listed them).
 */
export function describeAccess(what: string | null, call: string | null = null): string {
  if (what === 'profile' || what === 'clinical') return ACCESS_WORDS[what];
  if (what === 'listed') return `saw the patient in a list (${call === null ? 'a request' : describeRequest(call)})`;
  return 'opened the record (this computer cannot tell what was read)';
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
