/**
 * The derived views, one schema per domain. Each domain's tables are created by that domain's
 * migration and, all together, in a scratch database when `movelog verify` rebuilds the views to
 * compare them. VIEW_TABLES lists every table with its primary key, so a digest reads rows in one
 * fixed order.
 *
 * Rows written by last-writer-wins reducers keep the (height, hash) of the entry that wrote them:
 * an entry replaces a row only when its (height, hash) is greater, so concurrent entries give the
 * same result in any delivery order.
 */
export interface ViewSet {
  readonly sql: string;
  readonly tables: readonly { readonly name: string; readonly key: string }[];
}

export const CLINIC_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_clinic (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    founder       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    genesis_hash  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_devices (
    key           TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    label         TEXT NOT NULL,
    enrolled_at   INTEGER NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0,
    revoked_at_height INTEGER
  ) STRICT;
  CREATE TABLE view_staff (
    id            TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    licence       TEXT,
    created_at    INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    a_height      INTEGER NOT NULL DEFAULT 0,
    a_hash        TEXT NOT NULL DEFAULT ''
  ) STRICT;
  CREATE TABLE view_settings (
    clinic_id     TEXT PRIMARY KEY,
    auto_lock_minutes INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_refusals (
    hash          TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    staff_id      TEXT,
    call          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    at            INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_refusals_by_time ON view_refusals (at);
  CREATE TABLE view_credentials (
    staff_id      TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    verifier      TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [
    { name: 'view_clinic', key: 'id' },
    { name: 'view_devices', key: 'key' },
    { name: 'view_staff', key: 'id' },
    { name: 'view_credentials', key: 'staff_id' },
    { name: 'view_settings', key: 'clinic_id' },
    { name: 'view_refusals', key: 'hash' },
  ],
};

export const PATIENT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patients (
    patient_id     TEXT PRIMARY KEY,
    readable       INTEGER NOT NULL,
    given          TEXT,
    family         TEXT,
    preferred      TEXT,
    dob            TEXT,
    phone          TEXT,
    phone_digits   TEXT,
    phone_rev      TEXT,
    details        TEXT,
    sort_name      TEXT NOT NULL,
    registered_at  INTEGER NOT NULL,
    v_height       INTEGER NOT NULL,
    v_hash         TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_patients_dob ON view_patients (dob);
  CREATE INDEX view_patients_phone ON view_patients (phone_digits);
  CREATE INDEX view_patients_phone_rev ON view_patients (phone_rev);
  CREATE INDEX view_patients_sort ON view_patients (sort_name, patient_id);
  CREATE TABLE view_patient_tokens (
    token       TEXT NOT NULL,
    patient_id  TEXT NOT NULL,
    PRIMARY KEY (token, patient_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX view_patient_tokens_patient ON view_patient_tokens (patient_id);
`,
  tables: [
    { name: 'view_patients', key: 'patient_id' },
    { name: 'view_patient_tokens', key: 'token, patient_id' },
  ],
};

export const SCHEDULE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_rooms (
    room_id   TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    active    INTEGER NOT NULL,
    v_height  INTEGER NOT NULL,
    v_hash    TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_appointment_types (
    type_id   TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    minutes   INTEGER NOT NULL,
    category  TEXT NOT NULL,
    active    INTEGER NOT NULL,
    v_height  INTEGER NOT NULL,
    v_hash    TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_availability (
    therapist_id  TEXT PRIMARY KEY,
    weekly        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE view_timeoff (
    timeoff_id    TEXT PRIMARY KEY,
    therapist_id  TEXT NOT NULL,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    removed       INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX view_timeoff_therapist ON view_timeoff (therapist_id, start);
  CREATE TABLE view_appointments (
    appointment_id  TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL,
    therapist_id    TEXT NOT NULL,
    room_id         TEXT,
    type_id         TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    series_id       TEXT,
    status          TEXT NOT NULL,
    status_reason   TEXT,
    p_height        INTEGER NOT NULL,
    p_hash          TEXT NOT NULL,
    s_height        INTEGER NOT NULL,
    s_hash          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX view_appointments_start ON view_appointments (start);
  CREATE INDEX view_appointments_therapist ON view_appointments (therapist_id, start);
  CREATE INDEX view_appointments_room ON view_appointments (room_id, start);
  CREATE INDEX view_appointments_patient ON view_appointments (patient_id, start);
  CREATE INDEX view_appointments_series ON view_appointments (series_id, start);
`,
  tables: [
    { name: 'view_rooms', key: 'room_id' },
    { name: 'view_appointment_types', key: 'type_id' },
    { name: 'view_availability', key: 'therapist_id' },
    { name: 'view_timeoff', key: 'timeoff_id' },
    { name: 'view_appointments', key: 'appointment_id' },
  ],
};

/** Devices' signed checkpoints of their local chains, and who witnessed them. */
export const CHECKPOINT_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_checkpoints (
    hash          TEXT PRIMARY KEY,
    clinic_id     TEXT NOT NULL,
    device        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    at            INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_checkpoints_by_device ON view_checkpoints (device, size);
  CREATE TABLE view_witnesses (
    checkpoint    TEXT NOT NULL,
    witness       TEXT NOT NULL,
    device        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    chain         TEXT NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (checkpoint, witness)
  ) STRICT;
`,
  tables: [
    { name: 'view_checkpoints', key: 'hash' },
    { name: 'view_witnesses', key: 'checkpoint, witness' },
  ],
};

/** Who opened which patient's record, when and on which device (the access audit). */
export const ACCESS_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_patient_access (
    hash          TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    device        TEXT NOT NULL,
    at            INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_patient_access_by_patient ON view_patient_access (patient_id, at);
`,
  tables: [{ name: 'view_patient_access', key: 'hash' }],
};

/**
 * Trust between clinics: one row per (trusting clinic, trusted clinic), last writer wins between
 * `clinic.trusted` and `clinic.untrusted`. A row is never deleted: a clinic trusted at some point
 * keeps its entries acceptable whatever order entries arrive in. The pair room's secret, sealed,
 * latest per pair.
 */
export const TRUST_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_trust (
    clinic_id     TEXT NOT NULL,
    peer          TEXT NOT NULL,
    name          TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('trusted', 'withdrawn')),
    since         INTEGER NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    PRIMARY KEY (clinic_id, peer)
  ) STRICT;
  CREATE TABLE view_trust_secrets (
    clinic_id     TEXT NOT NULL,
    peer          TEXT NOT NULL,
    sealed        TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL,
    PRIMARY KEY (clinic_id, peer)
  ) STRICT;
`,
  tables: [
    { name: 'view_trust', key: 'clinic_id, peer' },
    { name: 'view_trust_secrets', key: 'clinic_id, peer' },
  ],
};

/**
 * Clinical notes (docs/architecture.md#clinical-notes). A signed note is one row and never changes, except that its
 * first co-signature in (height, hash) order is recorded on it. Body and addendum text are the
 * opened plaintexts (null when this computer has no key for the patient).
 */
export const NOTE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_notes (
    hash            TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL,
    author_staff    TEXT,
    at              INTEGER NOT NULL,
    body            TEXT,
    appointment_id  TEXT,
    cosign_hash     TEXT,
    cosigned_by     TEXT,
    cosigned_at     INTEGER,
    c_height        INTEGER,
    v_height        INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_notes_by_patient ON view_notes (patient_id, v_height);
  CREATE TABLE view_note_addenda (
    hash        TEXT PRIMARY KEY,
    note_hash   TEXT NOT NULL,
    staff_id    TEXT,
    at          INTEGER NOT NULL,
    text        TEXT NOT NULL,
    v_height    INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX view_note_addenda_by_note ON view_note_addenda (note_hash, v_height);
`,
  tables: [
    { name: 'view_notes', key: 'hash' },
    { name: 'view_note_addenda', key: 'hash' },
  ],
};

/** The clinic's time zone (last writer wins; a clinic without one keeps UTC). */
export const TIME_ZONE_VIEWS: ViewSet = {
  sql: `
  CREATE TABLE view_time_zone (
    clinic_id     TEXT PRIMARY KEY,
    time_zone     TEXT NOT NULL,
    v_height      INTEGER NOT NULL,
    v_hash        TEXT NOT NULL
  ) STRICT;
`,
  tables: [{ name: 'view_time_zone', key: 'clinic_id' }],
};

/** Every domain's views, in migration order. */
export const ALL_VIEWS: readonly ViewSet[] = [
  CLINIC_VIEWS,
  PATIENT_VIEWS,
  SCHEDULE_VIEWS,
  CHECKPOINT_VIEWS,
  ACCESS_VIEWS,
  TRUST_VIEWS,
  NOTE_VIEWS,
  TIME_ZONE_VIEWS,
];

export const VIEW_SCHEMA = ALL_VIEWS.map((v) => v.sql).join('\n');
export const VIEW_TABLES = ALL_VIEWS.flatMap((v) => v.tables);
