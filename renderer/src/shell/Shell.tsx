import { useState } from 'react';
import type { Clinic, Session } from '../../../shared/api/index.js';
import { ROLE_NAMES } from '../roles.js';
import type { Bridge } from '../bridge.js';
import { Home } from '../screens/Home.js';
import { NetworkScreen } from '../screens/network/NetworkScreen.js';
import { PatientsScreen } from '../screens/patients/PatientsScreen.js';
import { ScheduleScreen } from '../screens/schedule/ScheduleScreen.js';
import { TodayScreen } from '../screens/schedule/TodayScreen.js';
import { StaffScreen } from '../screens/staff/StaffScreen.js';
import { useIdleLock } from './useIdleLock.js';
import { zoneName } from '../../../shared/time.js';

interface ScreenProps {
  readonly bridge: Bridge;
  readonly clinic: Clinic;
  readonly session: Session;
}

interface ScreenDef {
  readonly id: string;
  readonly label: string;
  /** Roles that see this screen in the menu (main checks every call regardless). */
  readonly roles: readonly Session['role'][];
  readonly render: (props: ScreenProps) => React.ReactNode;
}

const ALL: readonly Session['role'][] = ['manager', 'therapist', 'assistant', 'front_desk'];

export const SCREENS: readonly ScreenDef[] = [
  { id: 'today', label: 'Today', roles: ALL, render: (p) => <TodayScreen bridge={p.bridge} session={p.session} /> },
  { id: 'schedule', label: 'Schedule', roles: ALL, render: (p) => <ScheduleScreen bridge={p.bridge} session={p.session} /> },
  { id: 'patients', label: 'Patients', roles: ALL, render: (p) => <PatientsScreen bridge={p.bridge} session={p.session} /> },
  { id: 'staff', label: 'Staff', roles: ['manager'], render: (p) => <StaffScreen bridge={p.bridge} session={p.session} /> },
  { id: 'network', label: 'Network', roles: ['manager'], render: (p) => <NetworkScreen bridge={p.bridge} /> },
  { id: 'home', label: 'Clinic', roles: ALL, render: (p) => <Home clinic={p.clinic} bridge={p.bridge} /> },
];

/** The signed-in app: top bar with navigation and the user menu, auto-lock when idle. */
/** The time zone this computer shows times in. */
const here = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function Shell(props: {
  readonly bridge: Bridge;
  readonly clinic: Clinic;
  readonly session: Session;
  readonly onSignedOut: (notice: string | null) => void;
}) {
  const { bridge, clinic, session, onSignedOut } = props;
  const screens = SCREENS.filter((s) => s.roles.includes(session.role));
  const [current, setCurrent] = useState(screens[0]?.id ?? 'home');
  const screen = screens.find((s) => s.id === current) ?? screens[0];

  const signOut = (notice: string | null) => {
    void bridge.invoke('session.signOut', {}).then(() => onSignedOut(notice));
  };
  useIdleLock(session.autoLockMinutes, () => signOut(`Locked after ${session.autoLockMinutes} minutes without activity.`));

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
              onClick={() => setCurrent(s.id)}
            >
              {s.label}
            </button>
          ))}
        </nav>
        <span className="user" data-testid="signed-in-as">
          {session.name} · {ROLE_NAMES[session.role]}
        </span>
        <button type="button" className="nav-item" onClick={() => signOut(null)}>
          Switch user
        </button>
        <button type="button" className="nav-item" onClick={() => signOut('Locked.')}>
          Lock
        </button>
      </header>
      {here !== session.timeZone && (
        <p className="clock-notice" role="note">
          This computer shows times in {zoneName(here)}; the clinic's time zone is {zoneName(session.timeZone)}. Weekly hours and repeating visits
          follow the clinic's clocks.
        </p>
      )}
      <main className="page">{screen?.render({ bridge, clinic, session })}</main>
    </div>
  );
}
