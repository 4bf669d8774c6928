-- Version 4: the monitoring cycle (docs/returns.md).
--
-- A school LIFT meeting's focus (which schools it was for; none given counts as mixed), and a
-- note or "not collected" mark on a computed figure of a return, per term.

ALTER TABLE lift_meetings ADD COLUMN focus TEXT
    CHECK (focus IS NULL OR (kind = 'school' AND (focus = 'primary' OR focus = 'secondary' OR focus = 'mixed')));

CREATE TABLE measure_notes (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,   -- '2023-24 T3 measure.id'
    year          TEXT NOT NULL CHECK (year GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    term          INTEGER NOT NULL CHECK (term BETWEEN 1 AND 6),
    measure       TEXT NOT NULL CHECK (measure <> ''),
    note          TEXT CHECK (note IS NULL OR (trim(note) <> '' AND length(note) <= 500)),
    not_collected INTEGER NOT NULL DEFAULT 0 CHECK (not_collected = 0 OR not_collected = 1),
    CHECK (note IS NOT NULL OR not_collected = 1),
    CHECK (key = year || ' T' || term || ' ' || measure)
) STRICT;
