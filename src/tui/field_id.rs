//! The ids of form fields, as constants: a field is looked up by one of these, so a misspelt id
//! does not compile (a string looked up returned an empty value without a word).
//! An id is also the name the store's rules give a field, so a refusal lands beside it.

/// A form field's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldId(&'static str);

impl FieldId {
    /// Only for ids taken from a code list (a profession's code, a figure's id), whose spelling
    /// the code list owns; every other id is one of the constants below.
    pub const fn of_code(code: &'static str) -> FieldId {
        FieldId(code)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl PartialEq<&str> for FieldId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

pub const AREA: FieldId = FieldId("area");
pub const ATTENDEES: FieldId = FieldId("attendees");
pub const CHILD: FieldId = FieldId("child");
pub const CLOSED: FieldId = FieldId("closed");
pub const CLOSURE_REASON: FieldId = FieldId("closure_reason");
pub const DATE: FieldId = FieldId("date");
pub const DOB: FieldId = FieldId("dob");
pub const END: FieldId = FieldId("end");
pub const ENDED: FieldId = FieldId("ended");
pub const EVENTS: FieldId = FieldId("events");
pub const FIRST_NAME: FieldId = FieldId("first_name");
pub const FOCUS: FieldId = FieldId("focus");
pub const FOLDER: FieldId = FieldId("folder");
pub const FORMAT: FieldId = FieldId("format");
pub const FTE: FieldId = FieldId("fte");
pub const IN_DISTRICT: FieldId = FieldId("in_district");
pub const KIND: FieldId = FieldId("kind");
pub const LAST_NAME: FieldId = FieldId("last_name");
pub const NAME: FieldId = FieldId("name");
pub const NEED: FieldId = FieldId("need");
pub const NOTE: FieldId = FieldId("note");
pub const NOTES: FieldId = FieldId("notes");
pub const NOT_COLLECTED: FieldId = FieldId("not_collected");
pub const OPENED: FieldId = FieldId("opened");
pub const OUTCOME: FieldId = FieldId("outcome");
pub const OUTREACH: FieldId = FieldId("outreach");
pub const PHASE: FieldId = FieldId("phase");
pub const PROGRAMME: FieldId = FieldId("programme");
pub const PURPOSE: FieldId = FieldId("purpose");
pub const RECEIVED: FieldId = FieldId("received");
pub const REOPENED: FieldId = FieldId("reopened");
pub const RETENTION: FieldId = FieldId("retention");
pub const ROLE: FieldId = FieldId("role");
pub const SET: FieldId = FieldId("set");
pub const SETTING: FieldId = FieldId("setting");
pub const SETTINGS: FieldId = FieldId("settings");
pub const STAFF: FieldId = FieldId("staff");
pub const START: FieldId = FieldId("start");
pub const STATUS: FieldId = FieldId("status");
pub const SUPPRESS_BELOW: FieldId = FieldId("suppress_below");
pub const TARGET: FieldId = FieldId("target");
pub const TEXT: FieldId = FieldId("text");
pub const TITLE: FieldId = FieldId("title");
pub const UPN: FieldId = FieldId("upn");
pub const URN: FieldId = FieldId("urn");
pub const VACANT: FieldId = FieldId("vacant");
pub const LINK_TEACHER: FieldId = FieldId("link_teacher");
pub const OPEN_REASON: FieldId = FieldId("open_reason");
pub const SENIF: FieldId = FieldId("senif");
pub const REVIEW_BY: FieldId = FieldId("review_by");
pub const DEADLINE: FieldId = FieldId("deadline");
pub const CHILDREN: FieldId = FieldId("children");
pub const YEAR: FieldId = FieldId("year");
pub const TERMS: FieldId = FieldId("terms");
pub const TL_COMMUNICATION_INTERACTION: FieldId = FieldId("tl_communication_interaction");
pub const TL_COGNITION_LEARNING: FieldId = FieldId("tl_cognition_learning");
pub const TL_SEMH: FieldId = FieldId("tl_semh");
pub const TL_SENSORY_PHYSICAL: FieldId = FieldId("tl_sensory_physical");
/// A monitoring meeting's questions, one field each.
pub const QUESTIONS: [FieldId; 8] = [
    FieldId("question_1"),
    FieldId("question_2"),
    FieldId("question_3"),
    FieldId("question_4"),
    FieldId("question_5"),
    FieldId("question_6"),
    FieldId("question_7"),
    FieldId("question_8"),
];
/// A monitoring meeting's actions, a row of fields each: its key (hidden, kept from meeting to
/// meeting), what, who, by when, where it stands.
pub const ACTIONS: [[FieldId; 5]; 12] = [
    [
        FieldId("action_1_key"),
        FieldId("action_1"),
        FieldId("action_1_owner"),
        FieldId("action_1_due"),
        FieldId("action_1_status"),
    ],
    [
        FieldId("action_2_key"),
        FieldId("action_2"),
        FieldId("action_2_owner"),
        FieldId("action_2_due"),
        FieldId("action_2_status"),
    ],
    [
        FieldId("action_3_key"),
        FieldId("action_3"),
        FieldId("action_3_owner"),
        FieldId("action_3_due"),
        FieldId("action_3_status"),
    ],
    [
        FieldId("action_4_key"),
        FieldId("action_4"),
        FieldId("action_4_owner"),
        FieldId("action_4_due"),
        FieldId("action_4_status"),
    ],
    [
        FieldId("action_5_key"),
        FieldId("action_5"),
        FieldId("action_5_owner"),
        FieldId("action_5_due"),
        FieldId("action_5_status"),
    ],
    [
        FieldId("action_6_key"),
        FieldId("action_6"),
        FieldId("action_6_owner"),
        FieldId("action_6_due"),
        FieldId("action_6_status"),
    ],
    [
        FieldId("action_7_key"),
        FieldId("action_7"),
        FieldId("action_7_owner"),
        FieldId("action_7_due"),
        FieldId("action_7_status"),
    ],
    [
        FieldId("action_8_key"),
        FieldId("action_8"),
        FieldId("action_8_owner"),
        FieldId("action_8_due"),
        FieldId("action_8_status"),
    ],
    [
        FieldId("action_9_key"),
        FieldId("action_9"),
        FieldId("action_9_owner"),
        FieldId("action_9_due"),
        FieldId("action_9_status"),
    ],
    [
        FieldId("action_10_key"),
        FieldId("action_10"),
        FieldId("action_10_owner"),
        FieldId("action_10_due"),
        FieldId("action_10_status"),
    ],
    [
        FieldId("action_11_key"),
        FieldId("action_11"),
        FieldId("action_11_owner"),
        FieldId("action_11_due"),
        FieldId("action_11_status"),
    ],
    [
        FieldId("action_12_key"),
        FieldId("action_12"),
        FieldId("action_12_owner"),
        FieldId("action_12_due"),
        FieldId("action_12_status"),
    ],
];
pub const CD_COMMUNICATION_INTERACTION: FieldId = FieldId("cd_communication_interaction");
pub const CD_COGNITION_LEARNING: FieldId = FieldId("cd_cognition_learning");
pub const CD_SEMH: FieldId = FieldId("cd_semh");
pub const CD_SENSORY_PHYSICAL: FieldId = FieldId("cd_sensory_physical");
pub const M0: FieldId = FieldId("m0");
pub const M1: FieldId = FieldId("m1");
pub const M2: FieldId = FieldId("m2");
pub const M3: FieldId = FieldId("m3");
pub const M4: FieldId = FieldId("m4");
pub const M5: FieldId = FieldId("m5");
pub const M6: FieldId = FieldId("m6");
pub const M7: FieldId = FieldId("m7");
pub const M8: FieldId = FieldId("m8");
pub const M9: FieldId = FieldId("m9");
pub const M10: FieldId = FieldId("m10");
pub const M11: FieldId = FieldId("m11");
pub const M12: FieldId = FieldId("m12");
pub const M13: FieldId = FieldId("m13");
pub const M14: FieldId = FieldId("m14");
pub const M15: FieldId = FieldId("m15");
pub const M16: FieldId = FieldId("m16");
pub const M17: FieldId = FieldId("m17");
pub const M18: FieldId = FieldId("m18");
pub const M19: FieldId = FieldId("m19");
pub const T2: FieldId = FieldId("t2");
pub const T3: FieldId = FieldId("t3");
pub const T4: FieldId = FieldId("t4");
pub const T5: FieldId = FieldId("t5");
pub const T6: FieldId = FieldId("t6");
