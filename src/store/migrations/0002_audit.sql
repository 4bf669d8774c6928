-- Version 2: the audit log (quality.md, "Privacy and security").
--
-- Every insert, update and delete of a record is written to `audit` by the triggers below, in the
-- same transaction as the change, so every writer is covered: import, the UI's forms, the demo
-- district, and any future code path. Each entry holds when (UTC, to the millisecond), which OS
-- user (the SQL function caseload_user(), which the program registers on every connection it
-- opens; a program without it, such as the sqlite3 shell, cannot write records at all), the table
-- and the record's key, the operation, and the old and new values as JSON objects. Columns that
-- refer to another record (child_id, case_id, ...) are written as that record's key under the
-- name without "_id" ("child": "C-104"), so an entry reads like the record in a records file.
-- An update that changes no column writes no entry.
--
-- The log is append-only: UPDATE and DELETE on it are refused by triggers. It holds children's
-- names and dates of birth like the records themselves; it stays in the database (it is never
-- written to log files or exports of figures).

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,   -- UTC, '2024-01-31T14:05:09.123Z'
    os_user    TEXT NOT NULL,   -- the OS user of the program that made the change
    table_name TEXT NOT NULL,   -- the table changed
    record_key TEXT NOT NULL,   -- the record's key (for a link table: the key of the meeting, clinic or course)
    op         TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
    old        TEXT,            -- JSON object of the row before (update, delete)
    new        TEXT             -- JSON object of the row after (insert, update)
) STRICT;
-- A record's history (the UI's chronology of a case); time order is id order.
CREATE INDEX audit_record ON audit (record_key, table_name);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;


CREATE TRIGGER district_audit_insert AFTER INSERT ON district
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'district', NEW.key, 'insert',
            json_object('key', NEW.key, 'name', NEW.name));
END;
CREATE TRIGGER district_audit_update AFTER UPDATE ON district
WHEN OLD.key IS NOT NEW.key OR OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'district', NEW.key, 'update',
            json_object('key', OLD.key, 'name', OLD.name),
            json_object('key', NEW.key, 'name', NEW.name));
END;
CREATE TRIGGER district_audit_delete AFTER DELETE ON district
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'district', OLD.key, 'delete',
            json_object('key', OLD.key, 'name', OLD.name));
END;

CREATE TRIGGER term_dates_audit_insert AFTER INSERT ON term_dates
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'term_dates', NEW.key, 'insert',
            json_object('key', NEW.key, 't2', NEW.t2, 't3', NEW.t3, 't4', NEW.t4, 't5', NEW.t5, 't6', NEW.t6));
END;
CREATE TRIGGER term_dates_audit_update AFTER UPDATE ON term_dates
WHEN OLD.key IS NOT NEW.key OR OLD.t2 IS NOT NEW.t2 OR OLD.t3 IS NOT NEW.t3 OR OLD.t4 IS NOT NEW.t4 OR OLD.t5 IS NOT NEW.t5 OR OLD.t6 IS NOT NEW.t6
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'term_dates', NEW.key, 'update',
            json_object('key', OLD.key, 't2', OLD.t2, 't3', OLD.t3, 't4', OLD.t4, 't5', OLD.t5, 't6', OLD.t6),
            json_object('key', NEW.key, 't2', NEW.t2, 't3', NEW.t3, 't4', NEW.t4, 't5', NEW.t5, 't6', NEW.t6));
END;
CREATE TRIGGER term_dates_audit_delete AFTER DELETE ON term_dates
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'term_dates', OLD.key, 'delete',
            json_object('key', OLD.key, 't2', OLD.t2, 't3', OLD.t3, 't4', OLD.t4, 't5', OLD.t5, 't6', OLD.t6));
END;

CREATE TRIGGER settings_audit_insert AFTER INSERT ON settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'settings', NEW.key, 'insert',
            json_object('key', NEW.key, 'name', NEW.name, 'phase', NEW.phase, 'in_district', NEW.in_district, 'urn', NEW.urn, 'closed', NEW.closed));
END;
CREATE TRIGGER settings_audit_update AFTER UPDATE ON settings
WHEN OLD.key IS NOT NEW.key OR OLD.name IS NOT NEW.name OR OLD.phase IS NOT NEW.phase OR OLD.in_district IS NOT NEW.in_district OR OLD.urn IS NOT NEW.urn OR OLD.closed IS NOT NEW.closed
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'settings', NEW.key, 'update',
            json_object('key', OLD.key, 'name', OLD.name, 'phase', OLD.phase, 'in_district', OLD.in_district, 'urn', OLD.urn, 'closed', OLD.closed),
            json_object('key', NEW.key, 'name', NEW.name, 'phase', NEW.phase, 'in_district', NEW.in_district, 'urn', NEW.urn, 'closed', NEW.closed));
END;
CREATE TRIGGER settings_audit_delete AFTER DELETE ON settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'settings', OLD.key, 'delete',
            json_object('key', OLD.key, 'name', OLD.name, 'phase', OLD.phase, 'in_district', OLD.in_district, 'urn', OLD.urn, 'closed', OLD.closed));
END;

CREATE TRIGGER staff_audit_insert AFTER INSERT ON staff
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'staff', NEW.key, 'insert',
            json_object('key', NEW.key, 'name', NEW.name, 'role', NEW.role, 'area', NEW.area, 'fte', NEW.fte, 'start_date', NEW.start_date, 'end_date', NEW.end_date, 'vacant', NEW.vacant));
END;
CREATE TRIGGER staff_audit_update AFTER UPDATE ON staff
WHEN OLD.key IS NOT NEW.key OR OLD.name IS NOT NEW.name OR OLD.role IS NOT NEW.role OR OLD.area IS NOT NEW.area OR OLD.fte IS NOT NEW.fte OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date OR OLD.vacant IS NOT NEW.vacant
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'staff', NEW.key, 'update',
            json_object('key', OLD.key, 'name', OLD.name, 'role', OLD.role, 'area', OLD.area, 'fte', OLD.fte, 'start_date', OLD.start_date, 'end_date', OLD.end_date, 'vacant', OLD.vacant),
            json_object('key', NEW.key, 'name', NEW.name, 'role', NEW.role, 'area', NEW.area, 'fte', NEW.fte, 'start_date', NEW.start_date, 'end_date', NEW.end_date, 'vacant', NEW.vacant));
END;
CREATE TRIGGER staff_audit_delete AFTER DELETE ON staff
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'staff', OLD.key, 'delete',
            json_object('key', OLD.key, 'name', OLD.name, 'role', OLD.role, 'area', OLD.area, 'fte', OLD.fte, 'start_date', OLD.start_date, 'end_date', OLD.end_date, 'vacant', OLD.vacant));
END;

CREATE TRIGGER children_audit_insert AFTER INSERT ON children
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'children', NEW.key, 'insert',
            json_object('key', NEW.key, 'first_name', NEW.first_name, 'last_name', NEW.last_name, 'dob', NEW.dob, 'upn', NEW.upn, 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;
CREATE TRIGGER children_audit_update AFTER UPDATE ON children
WHEN OLD.key IS NOT NEW.key OR OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name OR OLD.dob IS NOT NEW.dob OR OLD.upn IS NOT NEW.upn OR OLD.setting_id IS NOT NEW.setting_id
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'children', NEW.key, 'update',
            json_object('key', OLD.key, 'first_name', OLD.first_name, 'last_name', OLD.last_name, 'dob', OLD.dob, 'upn', OLD.upn, 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)),
            json_object('key', NEW.key, 'first_name', NEW.first_name, 'last_name', NEW.last_name, 'dob', NEW.dob, 'upn', NEW.upn, 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;
CREATE TRIGGER children_audit_delete AFTER DELETE ON children
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'children', OLD.key, 'delete',
            json_object('key', OLD.key, 'first_name', OLD.first_name, 'last_name', OLD.last_name, 'dob', OLD.dob, 'upn', OLD.upn, 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)));
END;

CREATE TRIGGER lift_meetings_audit_insert AFTER INSERT ON lift_meetings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meetings', NEW.key, 'insert',
            json_object('key', NEW.key, 'date', NEW.date, 'kind', NEW.kind, 'stls_lead', NEW.stls_lead, 'specialist_teacher', NEW.specialist_teacher, 'educational_psychologist', NEW.educational_psychologist, 'senif_practitioner', NEW.senif_practitioner, 'early_help', NEW.early_help, 'speech_language', NEW.speech_language, 'camhs', NEW.camhs, 'health', NEW.health, 'social_care', NEW.social_care, 'other', NEW.other));
END;
CREATE TRIGGER lift_meetings_audit_update AFTER UPDATE ON lift_meetings
WHEN OLD.key IS NOT NEW.key OR OLD.date IS NOT NEW.date OR OLD.kind IS NOT NEW.kind OR OLD.stls_lead IS NOT NEW.stls_lead OR OLD.specialist_teacher IS NOT NEW.specialist_teacher OR OLD.educational_psychologist IS NOT NEW.educational_psychologist OR OLD.senif_practitioner IS NOT NEW.senif_practitioner OR OLD.early_help IS NOT NEW.early_help OR OLD.speech_language IS NOT NEW.speech_language OR OLD.camhs IS NOT NEW.camhs OR OLD.health IS NOT NEW.health OR OLD.social_care IS NOT NEW.social_care OR OLD.other IS NOT NEW.other
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meetings', NEW.key, 'update',
            json_object('key', OLD.key, 'date', OLD.date, 'kind', OLD.kind, 'stls_lead', OLD.stls_lead, 'specialist_teacher', OLD.specialist_teacher, 'educational_psychologist', OLD.educational_psychologist, 'senif_practitioner', OLD.senif_practitioner, 'early_help', OLD.early_help, 'speech_language', OLD.speech_language, 'camhs', OLD.camhs, 'health', OLD.health, 'social_care', OLD.social_care, 'other', OLD.other),
            json_object('key', NEW.key, 'date', NEW.date, 'kind', NEW.kind, 'stls_lead', NEW.stls_lead, 'specialist_teacher', NEW.specialist_teacher, 'educational_psychologist', NEW.educational_psychologist, 'senif_practitioner', NEW.senif_practitioner, 'early_help', NEW.early_help, 'speech_language', NEW.speech_language, 'camhs', NEW.camhs, 'health', NEW.health, 'social_care', NEW.social_care, 'other', NEW.other));
END;
CREATE TRIGGER lift_meetings_audit_delete AFTER DELETE ON lift_meetings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meetings', OLD.key, 'delete',
            json_object('key', OLD.key, 'date', OLD.date, 'kind', OLD.kind, 'stls_lead', OLD.stls_lead, 'specialist_teacher', OLD.specialist_teacher, 'educational_psychologist', OLD.educational_psychologist, 'senif_practitioner', OLD.senif_practitioner, 'early_help', OLD.early_help, 'speech_language', OLD.speech_language, 'camhs', OLD.camhs, 'health', OLD.health, 'social_care', OLD.social_care, 'other', OLD.other));
END;

CREATE TRIGGER referrals_audit_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'referrals', NEW.key, 'insert',
            json_object('key', NEW.key, 'child', (SELECT key FROM children WHERE id = NEW.child_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'received', NEW.received, 'phase', NEW.phase, 'area', NEW.area, 'need', NEW.need, 'lift_meeting', (SELECT key FROM lift_meetings WHERE id = NEW.lift_meeting_id), 'outcome', NEW.outcome));
END;
CREATE TRIGGER referrals_audit_update AFTER UPDATE ON referrals
WHEN OLD.key IS NOT NEW.key OR OLD.child_id IS NOT NEW.child_id OR OLD.setting_id IS NOT NEW.setting_id OR OLD.received IS NOT NEW.received OR OLD.phase IS NOT NEW.phase OR OLD.area IS NOT NEW.area OR OLD.need IS NOT NEW.need OR OLD.lift_meeting_id IS NOT NEW.lift_meeting_id OR OLD.outcome IS NOT NEW.outcome
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'referrals', NEW.key, 'update',
            json_object('key', OLD.key, 'child', (SELECT key FROM children WHERE id = OLD.child_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'received', OLD.received, 'phase', OLD.phase, 'area', OLD.area, 'need', OLD.need, 'lift_meeting', (SELECT key FROM lift_meetings WHERE id = OLD.lift_meeting_id), 'outcome', OLD.outcome),
            json_object('key', NEW.key, 'child', (SELECT key FROM children WHERE id = NEW.child_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'received', NEW.received, 'phase', NEW.phase, 'area', NEW.area, 'need', NEW.need, 'lift_meeting', (SELECT key FROM lift_meetings WHERE id = NEW.lift_meeting_id), 'outcome', NEW.outcome));
END;
CREATE TRIGGER referrals_audit_delete AFTER DELETE ON referrals
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'referrals', OLD.key, 'delete',
            json_object('key', OLD.key, 'child', (SELECT key FROM children WHERE id = OLD.child_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'received', OLD.received, 'phase', OLD.phase, 'area', OLD.area, 'need', OLD.need, 'lift_meeting', (SELECT key FROM lift_meetings WHERE id = OLD.lift_meeting_id), 'outcome', OLD.outcome));
END;

CREATE TRIGGER cases_audit_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'cases', NEW.key, 'insert',
            json_object('key', NEW.key, 'child', (SELECT key FROM children WHERE id = NEW.child_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'phase', NEW.phase, 'area', NEW.area, 'need', NEW.need, 'opened', NEW.opened, 'closed', NEW.closed, 'closure_reason', NEW.closure_reason, 'referral', (SELECT key FROM referrals WHERE id = NEW.referral_id), 'outreach', NEW.outreach));
END;
CREATE TRIGGER cases_audit_update AFTER UPDATE ON cases
WHEN OLD.key IS NOT NEW.key OR OLD.child_id IS NOT NEW.child_id OR OLD.setting_id IS NOT NEW.setting_id OR OLD.phase IS NOT NEW.phase OR OLD.area IS NOT NEW.area OR OLD.need IS NOT NEW.need OR OLD.opened IS NOT NEW.opened OR OLD.closed IS NOT NEW.closed OR OLD.closure_reason IS NOT NEW.closure_reason OR OLD.referral_id IS NOT NEW.referral_id OR OLD.outreach IS NOT NEW.outreach
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'cases', NEW.key, 'update',
            json_object('key', OLD.key, 'child', (SELECT key FROM children WHERE id = OLD.child_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'phase', OLD.phase, 'area', OLD.area, 'need', OLD.need, 'opened', OLD.opened, 'closed', OLD.closed, 'closure_reason', OLD.closure_reason, 'referral', (SELECT key FROM referrals WHERE id = OLD.referral_id), 'outreach', OLD.outreach),
            json_object('key', NEW.key, 'child', (SELECT key FROM children WHERE id = NEW.child_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'phase', NEW.phase, 'area', NEW.area, 'need', NEW.need, 'opened', NEW.opened, 'closed', NEW.closed, 'closure_reason', NEW.closure_reason, 'referral', (SELECT key FROM referrals WHERE id = NEW.referral_id), 'outreach', NEW.outreach));
END;
CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'cases', OLD.key, 'delete',
            json_object('key', OLD.key, 'child', (SELECT key FROM children WHERE id = OLD.child_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'phase', OLD.phase, 'area', OLD.area, 'need', OLD.need, 'opened', OLD.opened, 'closed', OLD.closed, 'closure_reason', OLD.closure_reason, 'referral', (SELECT key FROM referrals WHERE id = OLD.referral_id), 'outreach', OLD.outreach));
END;

CREATE TRIGGER allocations_audit_insert AFTER INSERT ON allocations
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'allocations', NEW.key, 'insert',
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'staff', (SELECT key FROM staff WHERE id = NEW.staff_id), 'start_date', NEW.start_date, 'end_date', NEW.end_date));
END;
CREATE TRIGGER allocations_audit_update AFTER UPDATE ON allocations
WHEN OLD.key IS NOT NEW.key OR OLD.case_id IS NOT NEW.case_id OR OLD.staff_id IS NOT NEW.staff_id OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'allocations', NEW.key, 'update',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'staff', (SELECT key FROM staff WHERE id = OLD.staff_id), 'start_date', OLD.start_date, 'end_date', OLD.end_date),
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'staff', (SELECT key FROM staff WHERE id = NEW.staff_id), 'start_date', NEW.start_date, 'end_date', NEW.end_date));
END;
CREATE TRIGGER allocations_audit_delete AFTER DELETE ON allocations
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'allocations', OLD.key, 'delete',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'staff', (SELECT key FROM staff WHERE id = OLD.staff_id), 'start_date', OLD.start_date, 'end_date', OLD.end_date));
END;

CREATE TRIGGER targets_audit_insert AFTER INSERT ON targets
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'targets', NEW.key, 'insert',
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'text', NEW.text, 'set_on', NEW.set_on, 'ended', NEW.ended));
END;
CREATE TRIGGER targets_audit_update AFTER UPDATE ON targets
WHEN OLD.key IS NOT NEW.key OR OLD.case_id IS NOT NEW.case_id OR OLD.text IS NOT NEW.text OR OLD.set_on IS NOT NEW.set_on OR OLD.ended IS NOT NEW.ended
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'targets', NEW.key, 'update',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'text', OLD.text, 'set_on', OLD.set_on, 'ended', OLD.ended),
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'text', NEW.text, 'set_on', NEW.set_on, 'ended', NEW.ended));
END;
CREATE TRIGGER targets_audit_delete AFTER DELETE ON targets
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'targets', OLD.key, 'delete',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'text', OLD.text, 'set_on', OLD.set_on, 'ended', OLD.ended));
END;

CREATE TRIGGER reviews_audit_insert AFTER INSERT ON reviews
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'reviews', NEW.key, 'insert',
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'date', NEW.date, 'outcome', NEW.outcome, 'notes', NEW.notes));
END;
CREATE TRIGGER reviews_audit_update AFTER UPDATE ON reviews
WHEN OLD.key IS NOT NEW.key OR OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.outcome IS NOT NEW.outcome OR OLD.notes IS NOT NEW.notes
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'reviews', NEW.key, 'update',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'date', OLD.date, 'outcome', OLD.outcome, 'notes', OLD.notes),
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'date', NEW.date, 'outcome', NEW.outcome, 'notes', NEW.notes));
END;
CREATE TRIGGER reviews_audit_delete AFTER DELETE ON reviews
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'reviews', OLD.key, 'delete',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'date', OLD.date, 'outcome', OLD.outcome, 'notes', OLD.notes));
END;

CREATE TRIGGER visits_audit_insert AFTER INSERT ON visits
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'visits', NEW.key, 'insert',
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'date', NEW.date, 'staff', (SELECT key FROM staff WHERE id = NEW.staff_id)));
END;
CREATE TRIGGER visits_audit_update AFTER UPDATE ON visits
WHEN OLD.key IS NOT NEW.key OR OLD.case_id IS NOT NEW.case_id OR OLD.date IS NOT NEW.date OR OLD.staff_id IS NOT NEW.staff_id
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'visits', NEW.key, 'update',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'date', OLD.date, 'staff', (SELECT key FROM staff WHERE id = OLD.staff_id)),
            json_object('key', NEW.key, 'case', (SELECT key FROM cases WHERE id = NEW.case_id), 'date', NEW.date, 'staff', (SELECT key FROM staff WHERE id = NEW.staff_id)));
END;
CREATE TRIGGER visits_audit_delete AFTER DELETE ON visits
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'visits', OLD.key, 'delete',
            json_object('key', OLD.key, 'case', (SELECT key FROM cases WHERE id = OLD.case_id), 'date', OLD.date, 'staff', (SELECT key FROM staff WHERE id = OLD.staff_id)));
END;

CREATE TRIGGER clinics_audit_insert AFTER INSERT ON clinics
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinics', NEW.key, 'insert',
            json_object('key', NEW.key, 'date', NEW.date, 'phase', NEW.phase, 'format', NEW.format, 'communication_interaction', NEW.communication_interaction, 'cognition_learning', NEW.cognition_learning, 'semh', NEW.semh, 'sensory_physical', NEW.sensory_physical));
END;
CREATE TRIGGER clinics_audit_update AFTER UPDATE ON clinics
WHEN OLD.key IS NOT NEW.key OR OLD.date IS NOT NEW.date OR OLD.phase IS NOT NEW.phase OR OLD.format IS NOT NEW.format OR OLD.communication_interaction IS NOT NEW.communication_interaction OR OLD.cognition_learning IS NOT NEW.cognition_learning OR OLD.semh IS NOT NEW.semh OR OLD.sensory_physical IS NOT NEW.sensory_physical
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinics', NEW.key, 'update',
            json_object('key', OLD.key, 'date', OLD.date, 'phase', OLD.phase, 'format', OLD.format, 'communication_interaction', OLD.communication_interaction, 'cognition_learning', OLD.cognition_learning, 'semh', OLD.semh, 'sensory_physical', OLD.sensory_physical),
            json_object('key', NEW.key, 'date', NEW.date, 'phase', NEW.phase, 'format', NEW.format, 'communication_interaction', NEW.communication_interaction, 'cognition_learning', NEW.cognition_learning, 'semh', NEW.semh, 'sensory_physical', NEW.sensory_physical));
END;
CREATE TRIGGER clinics_audit_delete AFTER DELETE ON clinics
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinics', OLD.key, 'delete',
            json_object('key', OLD.key, 'date', OLD.date, 'phase', OLD.phase, 'format', OLD.format, 'communication_interaction', OLD.communication_interaction, 'cognition_learning', OLD.cognition_learning, 'semh', OLD.semh, 'sensory_physical', OLD.sensory_physical));
END;

CREATE TRIGGER trainings_audit_insert AFTER INSERT ON trainings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'trainings', NEW.key, 'insert',
            json_object('key', NEW.key, 'date', NEW.date, 'title', NEW.title, 'kind', NEW.kind, 'programme', NEW.programme, 'phase', NEW.phase, 'status', NEW.status, 'attendees', NEW.attendees));
END;
CREATE TRIGGER trainings_audit_update AFTER UPDATE ON trainings
WHEN OLD.key IS NOT NEW.key OR OLD.date IS NOT NEW.date OR OLD.title IS NOT NEW.title OR OLD.kind IS NOT NEW.kind OR OLD.programme IS NOT NEW.programme OR OLD.phase IS NOT NEW.phase OR OLD.status IS NOT NEW.status OR OLD.attendees IS NOT NEW.attendees
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'trainings', NEW.key, 'update',
            json_object('key', OLD.key, 'date', OLD.date, 'title', OLD.title, 'kind', OLD.kind, 'programme', OLD.programme, 'phase', OLD.phase, 'status', OLD.status, 'attendees', OLD.attendees),
            json_object('key', NEW.key, 'date', NEW.date, 'title', NEW.title, 'kind', NEW.kind, 'programme', NEW.programme, 'phase', NEW.phase, 'status', NEW.status, 'attendees', NEW.attendees));
END;
CREATE TRIGGER trainings_audit_delete AFTER DELETE ON trainings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'trainings', OLD.key, 'delete',
            json_object('key', OLD.key, 'date', OLD.date, 'title', OLD.title, 'kind', OLD.kind, 'programme', OLD.programme, 'phase', OLD.phase, 'status', OLD.status, 'attendees', OLD.attendees));
END;

CREATE TRIGGER transitions_audit_insert AFTER INSERT ON transitions
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'transitions', NEW.key, 'insert',
            json_object('key', NEW.key, 'date', NEW.date, 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'events', NEW.events));
END;
CREATE TRIGGER transitions_audit_update AFTER UPDATE ON transitions
WHEN OLD.key IS NOT NEW.key OR OLD.date IS NOT NEW.date OR OLD.setting_id IS NOT NEW.setting_id OR OLD.events IS NOT NEW.events
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'transitions', NEW.key, 'update',
            json_object('key', OLD.key, 'date', OLD.date, 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'events', OLD.events),
            json_object('key', NEW.key, 'date', NEW.date, 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id), 'events', NEW.events));
END;
CREATE TRIGGER transitions_audit_delete AFTER DELETE ON transitions
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'transitions', OLD.key, 'delete',
            json_object('key', OLD.key, 'date', OLD.date, 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id), 'events', OLD.events));
END;

CREATE TRIGGER manual_measures_audit_insert AFTER INSERT ON manual_measures
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'manual_measures', NEW.key, 'insert',
            json_object('key', NEW.key, 'year', NEW.year, 'term', NEW.term, 'measure', NEW.measure, 'value', NEW.value));
END;
CREATE TRIGGER manual_measures_audit_update AFTER UPDATE ON manual_measures
WHEN OLD.key IS NOT NEW.key OR OLD.year IS NOT NEW.year OR OLD.term IS NOT NEW.term OR OLD.measure IS NOT NEW.measure OR OLD.value IS NOT NEW.value
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'manual_measures', NEW.key, 'update',
            json_object('key', OLD.key, 'year', OLD.year, 'term', OLD.term, 'measure', OLD.measure, 'value', OLD.value),
            json_object('key', NEW.key, 'year', NEW.year, 'term', NEW.term, 'measure', NEW.measure, 'value', NEW.value));
END;
CREATE TRIGGER manual_measures_audit_delete AFTER DELETE ON manual_measures
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'manual_measures', OLD.key, 'delete',
            json_object('key', OLD.key, 'year', OLD.year, 'term', OLD.term, 'measure', OLD.measure, 'value', OLD.value));
END;

-- The settings linked to a meeting, clinic or course: entries under the parent's key. When the
-- parent is deleted, its links are deleted first (by the parent's BEFORE DELETE trigger, rather
-- than by ON DELETE CASCADE after the parent has gone), so that each entry can name the parent.

CREATE TRIGGER lift_meetings_audit_links BEFORE DELETE ON lift_meetings
BEGIN
    DELETE FROM lift_meeting_settings WHERE meeting_id = OLD.id;
END;

CREATE TRIGGER lift_meeting_settings_audit_insert AFTER INSERT ON lift_meeting_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meeting_settings', coalesce((SELECT key FROM lift_meetings WHERE id = NEW.meeting_id), '#' || NEW.meeting_id), 'insert',
            json_object('lift_meeting', (SELECT key FROM lift_meetings WHERE id = NEW.meeting_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

CREATE TRIGGER lift_meeting_settings_audit_delete AFTER DELETE ON lift_meeting_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meeting_settings', coalesce((SELECT key FROM lift_meetings WHERE id = OLD.meeting_id), '#' || OLD.meeting_id), 'delete',
            json_object('lift_meeting', (SELECT key FROM lift_meetings WHERE id = OLD.meeting_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)));
END;

CREATE TRIGGER clinics_audit_links BEFORE DELETE ON clinics
BEGIN
    DELETE FROM clinic_settings WHERE clinic_id = OLD.id;
END;

CREATE TRIGGER clinic_settings_audit_insert AFTER INSERT ON clinic_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinic_settings', coalesce((SELECT key FROM clinics WHERE id = NEW.clinic_id), '#' || NEW.clinic_id), 'insert',
            json_object('clinic', (SELECT key FROM clinics WHERE id = NEW.clinic_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

CREATE TRIGGER clinic_settings_audit_delete AFTER DELETE ON clinic_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinic_settings', coalesce((SELECT key FROM clinics WHERE id = OLD.clinic_id), '#' || OLD.clinic_id), 'delete',
            json_object('clinic', (SELECT key FROM clinics WHERE id = OLD.clinic_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)));
END;

CREATE TRIGGER trainings_audit_links BEFORE DELETE ON trainings
BEGIN
    DELETE FROM training_settings WHERE training_id = OLD.id;
END;

CREATE TRIGGER training_settings_audit_insert AFTER INSERT ON training_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'training_settings', coalesce((SELECT key FROM trainings WHERE id = NEW.training_id), '#' || NEW.training_id), 'insert',
            json_object('training', (SELECT key FROM trainings WHERE id = NEW.training_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

CREATE TRIGGER training_settings_audit_delete AFTER DELETE ON training_settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'training_settings', coalesce((SELECT key FROM trainings WHERE id = OLD.training_id), '#' || OLD.training_id), 'delete',
            json_object('training', (SELECT key FROM trainings WHERE id = OLD.training_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)));
END;

CREATE TRIGGER lift_meeting_settings_audit_update AFTER UPDATE ON lift_meeting_settings
WHEN OLD.meeting_id IS NOT NEW.meeting_id OR OLD.setting_id IS NOT NEW.setting_id
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'lift_meeting_settings', coalesce((SELECT key FROM lift_meetings WHERE id = NEW.meeting_id), '#' || NEW.meeting_id), 'update',
            json_object('lift_meeting', (SELECT key FROM lift_meetings WHERE id = OLD.meeting_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)),
            json_object('lift_meeting', (SELECT key FROM lift_meetings WHERE id = NEW.meeting_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

CREATE TRIGGER clinic_settings_audit_update AFTER UPDATE ON clinic_settings
WHEN OLD.clinic_id IS NOT NEW.clinic_id OR OLD.setting_id IS NOT NEW.setting_id
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'clinic_settings', coalesce((SELECT key FROM clinics WHERE id = NEW.clinic_id), '#' || NEW.clinic_id), 'update',
            json_object('clinic', (SELECT key FROM clinics WHERE id = OLD.clinic_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)),
            json_object('clinic', (SELECT key FROM clinics WHERE id = NEW.clinic_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

CREATE TRIGGER training_settings_audit_update AFTER UPDATE ON training_settings
WHEN OLD.training_id IS NOT NEW.training_id OR OLD.setting_id IS NOT NEW.setting_id
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'training_settings', coalesce((SELECT key FROM trainings WHERE id = NEW.training_id), '#' || NEW.training_id), 'update',
            json_object('training', (SELECT key FROM trainings WHERE id = OLD.training_id), 'setting', (SELECT key FROM settings WHERE id = OLD.setting_id)),
            json_object('training', (SELECT key FROM trainings WHERE id = NEW.training_id), 'setting', (SELECT key FROM settings WHERE id = NEW.setting_id)));
END;

