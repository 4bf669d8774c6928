-- Version 8: the seed's practices as records (docs/records-file.md): a setting's link teacher, why
-- an open case is not active and SENIF, a target's review-by date, LIFT meetings planned ahead or
-- cancelled with a referral deadline, the cases a clinic later brought to LIFT, group work, and
-- the county's monitoring meetings.
--
-- The program logs the arrival of the new columns for every record logged before (chain.rs), so
-- each record still agrees with its last entry in the audit log.

-- The setting's link teacher; no dates: a link teacher is in force while set.
ALTER TABLE settings ADD COLUMN link_teacher_id INTEGER REFERENCES staff (id);
CREATE INDEX settings_link_teacher ON settings (link_teacher_id);

ALTER TABLE cases ADD COLUMN open_reason TEXT
    CHECK (open_reason IS NULL OR (open_reason = 'senif' OR open_reason = 'specialist_nursery'
        OR open_reason = 'ehcp_evidence' OR open_reason = 'medical' OR open_reason = 'school_request'
        OR open_reason = 'transition' OR open_reason = 'other'));
-- SENIF support needs the child open to STLS: a case with SENIF recorded is not closed.
ALTER TABLE cases ADD COLUMN senif INTEGER NOT NULL DEFAULT 0
    CHECK ((senif = 0 OR senif = 1) AND (senif = 0 OR closed IS NULL));

ALTER TABLE targets ADD COLUMN review_by TEXT
    CHECK (review_by IS NULL OR (date(review_by) IS review_by AND review_by >= set_on));

ALTER TABLE lift_meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'held'
    CHECK ((status = 'held' OR status = 'planned' OR status = 'cancelled'));
ALTER TABLE lift_meetings ADD COLUMN deadline TEXT
    CHECK (deadline IS NULL OR (date(deadline) IS deadline AND deadline <= date));

-- Of the cases a clinic discussed, by area, those later brought to LIFT.
ALTER TABLE clinics ADD COLUMN to_lift_communication_interaction INTEGER NOT NULL DEFAULT 0
    CHECK (to_lift_communication_interaction BETWEEN 0 AND communication_interaction);
ALTER TABLE clinics ADD COLUMN to_lift_cognition_learning INTEGER NOT NULL DEFAULT 0
    CHECK (to_lift_cognition_learning BETWEEN 0 AND cognition_learning);
ALTER TABLE clinics ADD COLUMN to_lift_semh INTEGER NOT NULL DEFAULT 0
    CHECK (to_lift_semh BETWEEN 0 AND semh);
ALTER TABLE clinics ADD COLUMN to_lift_sensory_physical INTEGER NOT NULL DEFAULT 0
    CHECK (to_lift_sensory_physical BETWEEN 0 AND sensory_physical);

-- Support for a group, a whole setting or a cluster: children counted, never named.
CREATE TABLE group_work (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date       TEXT NOT NULL CHECK (date(date) IS date),
    setting_id INTEGER NOT NULL REFERENCES settings (id),
    staff_id   INTEGER REFERENCES staff (id),
    kind       TEXT NOT NULL CHECK ((kind = 'group' OR kind = 'whole_setting' OR kind = 'cluster')),
    children   INTEGER CHECK (children IS NULL OR children >= 0),
    area       TEXT CHECK (area IS NULL OR (area = 'communication_interaction' OR area = 'cognition_learning' OR area = 'semh' OR area = 'sensory_physical')),
    notes      TEXT
) STRICT;
CREATE INDEX group_work_date ON group_work (date, setting_id);
CREATE INDEX group_work_setting ON group_work (setting_id);
CREATE INDEX group_work_staff ON group_work (staff_id);

-- The county's monitoring meeting of two terms. Its questions and actions are part of the
-- meeting's record and are written and read with it whole, as JSON arrays (an action's key
-- stays the same from meeting to meeting, so it is unique within a meeting only).
CREATE TABLE monitoring_meetings (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE CHECK (key <> ''),
    date      TEXT NOT NULL CHECK (date(date) IS date),
    year      TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    terms     TEXT NOT NULL CHECK ((terms = '1-2' OR terms = '3-4' OR terms = '5-6')),
    questions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(questions) AND json_type(questions) = 'array'),
    actions   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(actions) AND json_type(actions) = 'array')
) STRICT;
CREATE INDEX monitoring_meetings_date ON monitoring_meetings (year, terms, date);
