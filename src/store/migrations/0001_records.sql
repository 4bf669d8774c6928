-- Version 1: every record type of the records file (interchange.md).
--
-- Every table has an integer id (what other tables refer to) and the record's `key` (what files refer
-- to). Dates are TEXT 'YYYY-MM-DD'; `date(x) IS x` refuses anything that is not a real calendar date.
-- CHECK constraints repeat the rules of domain.md that one row can state; the rules that relate rows
-- (overlapping cases, work outside a case's open period) are checked by the program in the same
-- transaction as the write. Allowed codes are written `(x = 'a' OR x = 'b')`, not `x IN ('a', 'b')`:
-- SQLite builds a temporary table for each IN list of a CHECK on every row written, which made
-- large imports three times slower.

CREATE TABLE district (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  TEXT NOT NULL UNIQUE CHECK (key = 'district'),
    name TEXT NOT NULL CHECK (trim(name) <> '')
) STRICT;

CREATE TABLE term_dates (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL UNIQUE,   -- the academic year, '2023-24'
    t2   TEXT NOT NULL CHECK (date(t2) IS t2),
    t3   TEXT NOT NULL CHECK (date(t3) IS t3),
    t4   TEXT NOT NULL CHECK (date(t4) IS t4),
    t5   TEXT NOT NULL CHECK (date(t5) IS t5),
    t6   TEXT NOT NULL CHECK (date(t6) IS t6),
    CHECK (key GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    CHECK (substr(key, 1, 4) || '-09-01' < t2 AND t2 < t3 AND t3 < t4 AND t4 < t5 AND t5 < t6),
    CHECK (t6 <= (CAST(substr(key, 1, 4) AS INTEGER) + 1) || '-08-31')
) STRICT;

CREATE TABLE settings (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    phase       TEXT NOT NULL CHECK ((phase = 'early_years' OR phase = 'primary' OR phase = 'secondary' OR phase = 'post16')),
    in_district INTEGER NOT NULL CHECK ((in_district = 0 OR in_district = 1)),
    urn         TEXT,
    closed      TEXT CHECK (closed IS NULL OR date(closed) IS closed)
) STRICT;

CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name       TEXT NOT NULL CHECK (trim(name) <> ''),
    role       TEXT NOT NULL
               CHECK ((role = 'lead' OR role = 'specialist_teacher' OR role = 'early_years_specialist' OR role = 'admin' OR role = 'other')),
    area       TEXT CHECK (area IS NULL OR (area = 'communication_interaction' OR area = 'cognition_learning' OR area = 'semh' OR area = 'sensory_physical')),
    fte        REAL NOT NULL CHECK (fte > 0 AND fte <= 1),
    start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
    end_date   TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= start_date)),
    vacant     INTEGER NOT NULL DEFAULT 0 CHECK ((vacant = 0 OR vacant = 1))
) STRICT;

CREATE TABLE children (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    first_name TEXT NOT NULL CHECK (trim(first_name) <> ''),
    last_name  TEXT NOT NULL CHECK (trim(last_name) <> ''),
    dob        TEXT NOT NULL CHECK (date(dob) IS dob),
    upn        TEXT,
    setting_id INTEGER REFERENCES settings (id)
) STRICT;

CREATE TABLE lift_meetings (
    id                         INTEGER PRIMARY KEY,
    key                        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date                       TEXT NOT NULL CHECK (date(date) IS date),
    kind                       TEXT NOT NULL CHECK ((kind = 'school' OR kind = 'early_years')),
    stls_lead                  INTEGER NOT NULL DEFAULT 0 CHECK (stls_lead >= 0),
    specialist_teacher         INTEGER NOT NULL DEFAULT 0 CHECK (specialist_teacher >= 0),
    educational_psychologist   INTEGER NOT NULL DEFAULT 0 CHECK (educational_psychologist >= 0),
    senif_practitioner         INTEGER NOT NULL DEFAULT 0 CHECK (senif_practitioner >= 0),
    early_help                 INTEGER NOT NULL DEFAULT 0 CHECK (early_help >= 0),
    speech_language            INTEGER NOT NULL DEFAULT 0 CHECK (speech_language >= 0),
    camhs                      INTEGER NOT NULL DEFAULT 0 CHECK (camhs >= 0),
    health                     INTEGER NOT NULL DEFAULT 0 CHECK (health >= 0),
    social_care                INTEGER NOT NULL DEFAULT 0 CHECK (social_care >= 0),
    other                      INTEGER NOT NULL DEFAULT 0 CHECK (other >= 0)
) STRICT;
CREATE INDEX lift_meetings_date ON lift_meetings (date);

CREATE TABLE lift_meeting_settings (
    meeting_id INTEGER NOT NULL REFERENCES lift_meetings (id) ON DELETE CASCADE,
    setting_id INTEGER NOT NULL REFERENCES settings (id),
    PRIMARY KEY (meeting_id, setting_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX lift_meeting_settings_setting ON lift_meeting_settings (setting_id);

-- The need codes allowed with each area (domain.md); OTH and NSA go with any area.
CREATE TABLE referrals (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE CHECK (key <> ''),
    child_id        INTEGER NOT NULL REFERENCES children (id),
    setting_id      INTEGER NOT NULL REFERENCES settings (id),
    received        TEXT NOT NULL CHECK (date(received) IS received),
    phase           TEXT NOT NULL CHECK ((phase = 'early_years' OR phase = 'primary' OR phase = 'secondary' OR phase = 'post16')),
    area            TEXT NOT NULL CHECK ((area = 'communication_interaction' OR area = 'cognition_learning' OR area = 'semh' OR area = 'sensory_physical')),
    need            TEXT CHECK (need IS NULL OR (need = 'OTH' OR need = 'NSA')
                        OR (area = 'communication_interaction' AND (need = 'SLCN' OR need = 'ASD'))
                        OR (area = 'cognition_learning' AND (need = 'SPLD' OR need = 'MLD' OR need = 'SLD' OR need = 'PMLD'))
                        OR (area = 'semh' AND need = 'SEMH')
                        OR (area = 'sensory_physical' AND (need = 'HI' OR need = 'VI' OR need = 'MSI' OR need = 'PD'))),
    lift_meeting_id INTEGER REFERENCES lift_meetings (id),
    outcome         TEXT CHECK (outcome IS NULL OR (outcome = 'allocated' OR outcome = 'advice' OR outcome = 'signposted' OR outcome = 'deferred' OR outcome = 'withdrawn'))
) STRICT;
CREATE INDEX referrals_received ON referrals (received, phase, area, need, outcome, setting_id);
CREATE INDEX referrals_child ON referrals (child_id);
CREATE INDEX referrals_meeting ON referrals (lift_meeting_id);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE CHECK (key <> ''),
    child_id       INTEGER NOT NULL REFERENCES children (id),
    setting_id     INTEGER NOT NULL REFERENCES settings (id),
    phase          TEXT NOT NULL CHECK ((phase = 'early_years' OR phase = 'primary' OR phase = 'secondary' OR phase = 'post16')),
    area           TEXT NOT NULL CHECK ((area = 'communication_interaction' OR area = 'cognition_learning' OR area = 'semh' OR area = 'sensory_physical')),
    need           TEXT CHECK (need IS NULL OR (need = 'OTH' OR need = 'NSA')
                       OR (area = 'communication_interaction' AND (need = 'SLCN' OR need = 'ASD'))
                       OR (area = 'cognition_learning' AND (need = 'SPLD' OR need = 'MLD' OR need = 'SLD' OR need = 'PMLD'))
                       OR (area = 'semh' AND need = 'SEMH')
                       OR (area = 'sensory_physical' AND (need = 'HI' OR need = 'VI' OR need = 'MSI' OR need = 'PD'))),
    opened         TEXT NOT NULL CHECK (date(opened) IS opened),
    closed         TEXT CHECK (closed IS NULL OR (date(closed) IS closed AND closed >= opened)),
    closure_reason TEXT CHECK (closure_reason IS NULL OR (closure_reason = 'targets_achieved' OR closure_reason = 'setting_meeting_need' OR closure_reason = 'transitioned' OR closure_reason = 'moved_away' OR closure_reason = 'specialist_provision' OR closure_reason = 'other')),
    referral_id    INTEGER REFERENCES referrals (id),
    outreach       INTEGER NOT NULL DEFAULT 0 CHECK ((outreach = 0 OR outreach = 1)),
    CHECK ((closed IS NULL) = (closure_reason IS NULL))
) STRICT;
CREATE INDEX cases_child ON cases (child_id);
-- Covering indexes for the return's date-range queries (kpis.md): each answers from the index alone.
CREATE INDEX cases_period ON cases (opened, closed, phase, area, child_id, setting_id, outreach);
CREATE INDEX cases_closing ON cases (closed, closure_reason);
CREATE INDEX cases_referral ON cases (referral_id);

CREATE TABLE allocations (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
    end_date   TEXT CHECK (end_date IS NULL OR (date(end_date) IS end_date AND end_date >= start_date))
) STRICT;
CREATE INDEX allocations_case ON allocations (case_id, start_date, end_date);
CREATE INDEX allocations_staff ON allocations (staff_id);

CREATE TABLE targets (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE CHECK (key <> ''),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    text    TEXT NOT NULL CHECK (trim(text) <> ''),
    set_on  TEXT NOT NULL CHECK (date(set_on) IS set_on),
    ended   TEXT CHECK (ended IS NULL OR (date(ended) IS ended AND ended >= set_on))
) STRICT;
CREATE INDEX targets_case ON targets (case_id, set_on, ended);

CREATE TABLE reviews (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE CHECK (key <> ''),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    date    TEXT NOT NULL CHECK (date(date) IS date),
    outcome TEXT NOT NULL CHECK ((outcome = 'amended' OR outcome = 'unchanged' OR outcome = 'achieved')),
    notes   TEXT
) STRICT;
CREATE INDEX reviews_case ON reviews (case_id);
CREATE INDEX reviews_date ON reviews (date, case_id, outcome);

CREATE TABLE visits (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE CHECK (key <> ''),
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    date     TEXT NOT NULL CHECK (date(date) IS date),
    staff_id INTEGER REFERENCES staff (id)
) STRICT;
CREATE INDEX visits_case ON visits (case_id);
CREATE INDEX visits_date ON visits (date, case_id);

CREATE TABLE clinics (
    id                        INTEGER PRIMARY KEY,
    key                       TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date                      TEXT NOT NULL CHECK (date(date) IS date),
    phase                     TEXT NOT NULL CHECK ((phase = 'school' OR phase = 'early_years')),
    format                    TEXT NOT NULL CHECK ((format = 'clinic' OR format = 'surgery' OR format = 'in_setting_review')),
    communication_interaction INTEGER NOT NULL DEFAULT 0 CHECK (communication_interaction >= 0),
    cognition_learning        INTEGER NOT NULL DEFAULT 0 CHECK (cognition_learning >= 0),
    semh                      INTEGER NOT NULL DEFAULT 0 CHECK (semh >= 0),
    sensory_physical          INTEGER NOT NULL DEFAULT 0 CHECK (sensory_physical >= 0)
) STRICT;
CREATE INDEX clinics_date ON clinics (date);

CREATE TABLE clinic_settings (
    clinic_id  INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    setting_id INTEGER NOT NULL REFERENCES settings (id),
    PRIMARY KEY (clinic_id, setting_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX clinic_settings_setting ON clinic_settings (setting_id);

CREATE TABLE trainings (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date      TEXT NOT NULL CHECK (date(date) IS date),
    title     TEXT NOT NULL CHECK (trim(title) <> ''),
    kind      TEXT NOT NULL CHECK ((kind = 'core' OR kind = 'bespoke' OR kind = 'parental')),
    programme TEXT CHECK (programme IS NULL OR programme = 'aet'),
    phase     TEXT NOT NULL CHECK ((phase = 'early_years' OR phase = 'primary' OR phase = 'secondary' OR phase = 'post16')),
    status    TEXT NOT NULL CHECK ((status = 'delivered' OR status = 'booked' OR status = 'cancelled')),
    attendees INTEGER CHECK (attendees IS NULL OR attendees >= 0)
) STRICT;
CREATE INDEX trainings_date ON trainings (date);

CREATE TABLE training_settings (
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    setting_id  INTEGER NOT NULL REFERENCES settings (id),
    PRIMARY KEY (training_id, setting_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX training_settings_setting ON training_settings (setting_id);

CREATE TABLE transitions (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date       TEXT NOT NULL CHECK (date(date) IS date),
    setting_id INTEGER NOT NULL REFERENCES settings (id),
    events     INTEGER NOT NULL DEFAULT 1 CHECK (events >= 0)
) STRICT;
CREATE INDEX transitions_date ON transitions (date);

-- A figure of the return typed by the team: a number or a short text.
CREATE TABLE manual_measures (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,   -- '2023-24 T3 measure.id'
    year    TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    term    INTEGER NOT NULL CHECK (term BETWEEN 1 AND 6),
    measure TEXT NOT NULL CHECK (measure <> ''),
    value   ANY NOT NULL CHECK (typeof(value) = 'integer' OR typeof(value) = 'real' OR typeof(value) = 'text'),
    CHECK (key = year || ' T' || term || ' ' || measure)
) STRICT;
