-- Version 5: daily work on a case (docs/records-file.md). A visit's purpose and notes, the target
-- a review was of, and dated notes or contacts on a case.

ALTER TABLE visits ADD COLUMN purpose TEXT
    CHECK (purpose IS NULL OR purpose IN ('observation', 'assessment', 'advice', 'review', 'training', 'other'));
ALTER TABLE visits ADD COLUMN notes TEXT;
ALTER TABLE reviews ADD COLUMN target_id INTEGER REFERENCES targets (id);
CREATE INDEX reviews_target ON reviews (target_id);

CREATE TABLE case_notes (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE CHECK (key <> ''),
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    date     TEXT NOT NULL CHECK (date(date) IS date),
    text     TEXT NOT NULL CHECK (trim(text) <> ''),
    staff_id INTEGER REFERENCES staff (id)
) STRICT;
CREATE INDEX case_notes_case ON case_notes (case_id, date);
