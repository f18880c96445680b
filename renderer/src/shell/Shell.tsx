import { useMemo, useState } from 'react';
import type { CallName, Clinic, Session } from '../../../shared/api/index.js';
import { mayCall, ROLE_NAMES } from '../roles.js';
import { BeforeSignOutProvider, beforeSignOutRegistry } from '../kit/BeforeSignOut.js';
import { useBridge } from '../kit/BridgeContext.js';
import { NavigationProvider } from '../kit/NavigationContext.js';
import type { Navigation } from '../kit/NavigationContext.js';
import { SessionProvider } from '../kit/SessionContext.js';
import { SettingsChangedProvider } from '../kit/SettingsContext.js';
import type { ClinicSettings } from '../kit/SettingsContext.js';
import { minutes, setClinicLocale } from '../format.js';
import { AuditScreen } from '../screens/audit/AuditScreen.js';
import { BillingDayScreen } from '../screens/billing/BillingDayScreen.js';
import { CosignCount } from '../screens/cosign/CosignCount.js';
import { CosignScreen } from '../screens/cosign/CosignScreen.js';
import { Home } from '../screens/Home.js';
import { EmergencyReviews } from '../screens/access/EmergencyReviews.js';
import { NetworkScreen } from '../screens/network/NetworkScreen.js';
import { PatientsScreen } from '../screens/patients/PatientsScreen.js';
import { ScheduleScreen } from '../screens/schedule/ScheduleScreen.js';
import { TodayScreen } from '../screens/schedule/TodayScreen.js';
import { StaffScreen } from '../screens/staff/StaffScreen.js';
import { useIdleLock } from './useIdleLock.js';
import { zoneName } from '../../../shared/time.js';

interface ScreenDef {
  readonly id: string;
  readonly label: string;
  /** The call the screen opens with: the menu shows it to the roles that may make it (main checks every call regardless). */
  readonly needs: CallName;
  readonly render: (clinic: Clinic, opening: Opening | null) => React.ReactNode;
  /** A count beside the label (how many items wait), when the screen has one. */
  readonly badge?: () => React.ReactNode;
}

/** A patient's record asked for from another screen (`n` tells two requests for the same record apart). */
interface Opening {
  readonly patientId: string;
  readonly n: number;
}

export const SCREENS: readonly ScreenDef[] = [
  { id: 'today', label: 'Today', needs: 'schedule.range', render: () => <TodayScreen /> },
  { id: 'schedule', label: 'Schedule', needs: 'schedule.range', render: () => <ScheduleScreen /> },
  {
    id: 'patients',
    label: 'Patients',
    needs: 'patient.search',
    // A new request remounts the screen on that record; the menu shows the list again.
    render: (clinic, opening) => <PatientsScreen key={opening?.n ?? 0} clinicName={clinic.name} openPatientId={opening?.patientId ?? null} />,
  },
  // Therapists co-sign assistants' notes (docs/architecture.md#co-signature-queue).
  { id: 'cosign', label: 'Co-signature', needs: 'notes.cosignQueue', badge: () => <CosignCount />, render: () => <CosignScreen /> },
  // The front desk's billing day (docs/architecture.md#billing-day).
  { id: 'billing', label: 'Billing', needs: 'billing.day', render: () => <BillingDayScreen /> },
  { id: 'staff', label: 'Staff', needs: 'staff.list', render: () => <StaffScreen /> },
  { id: 'audit', label: 'Audit', needs: 'audit.rows', render: () => <AuditScreen /> },
  { id: 'network', label: 'Network', needs: 'network.status', render: () => <NetworkScreen /> },
  // Managers review emergency accesses (docs/architecture.md#break-the-glass).
  { id: 'emergency', label: 'Emergency access', needs: 'access.emergencies', render: () => <EmergencyReviews /> },
  { id: 'home', label: 'Clinic', needs: 'ledger.status', render: (clinic) => <Home clinic={clinic} /> },
];

/** The time zone this computer shows times in. */
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The signed-in app: top bar with navigation and the user menu, auto-lock when idle. */
export function Shell(props: { readonly clinic: Clinic; readonly session: Session; readonly onSignedOut: (notice: string | null) => void }) {
  const { clinic, onSignedOut } = props;
  const bridge = useBridge();
  // Settings a manager changes here apply at once (the session holds them as of sign-in).
  const [settings, setSettings] = useState<ClinicSettings | null>(null);
  const session = useMemo(() => (settings ? { ...props.session, ...settings } : props.session), [props.session, settings]);
  // Before any screen renders (idempotent): every date and time below is written in the clinic's locale,
  // and a change re-renders the screens with it.
  setClinicLocale(session.locale);
  const screens = SCREENS.filter((s) => mayCall(session.role, s.needs));
  const [current, setCurrent] = useState(screens[0]?.id ?? 'home');
  const [opening, setOpening] = useState<Opening | null>(null);
  const screen = screens.find((s) => s.id === current) ?? screens[0];
  const navigation = useMemo<Navigation>(
    () => ({
      openPatient: (patientId) => {
        setOpening((o) => ({ patientId, n: (o?.n ?? 0) + 1 }));
        setCurrent('patients');
      },
    }),
    [],
  );

  // A draft being written is saved first (docs/architecture.md#drafts): after sign-out main refuses it.
  const [beforeSignOut] = useState(beforeSignOutRegistry);
  const signOut = (notice: string | null) => {
    void beforeSignOut
      .run()
      .then(() => bridge.invoke('session.signOut', {}))
      .then(() => onSignedOut(notice));
  };
  useIdleLock(session.autoLockMinutes, () => signOut(`Locked after ${minutes(session.autoLockMinutes)} without activity.`));

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Movelog</span>
        <span className="clinic-name" data-testid="clinic-name">
          {clinic.name}
        </span>
        <nav aria-label="Main">
          {screens.map((s) => (
            <button
              key={s.id}
              type="button"
              className="nav-item"
              aria-current={s.id === screen?.id ? 'page' : undefined}
              onClick={() => {
                setOpening(null);
                setCurrent(s.id);
              }}
            >
              {s.label}
              {s.badge?.()}
            </button>
          ))}
        </nav>
        {/* Wraps onto its own line in a narrow window instead of running off the bar (docs/architecture.md#accessibility). */}
        <div className="topbar-end">
          <span className="user" data-testid="signed-in-as">
            {session.name} · {ROLE_NAMES[session.role]}
          </span>
          <button type="button" className="nav-item" onClick={() => signOut(null)}>
            Switch user
          </button>
          <button type="button" className="nav-item" onClick={() => signOut('Locked.')}>
            Lock
          </button>
        </div>
      </header>
      {here !== session.timeZone && (
        <p className="clock-notice" role="note">
          This computer shows times in {zoneName(here)}; the clinic's time zone is {zoneName(session.timeZone)}. Weekly hours and repeating visits
          follow the clinic's clocks.
        </p>
      )}
      <main className="page">
        <SessionProvider value={session}>
          <SettingsChangedProvider value={setSettings}>
            <NavigationProvider value={navigation}>
              <BeforeSignOutProvider value={beforeSignOut}>{screen?.render(clinic, opening)}</BeforeSignOutProvider>
            </NavigationProvider>
          </SettingsChangedProvider>
        </SessionProvider>
      </main>
    </div>
  );
}
