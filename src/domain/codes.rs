//! The fixed enumerations of the domain (phases, areas, need codes, outcomes, ...).
//!
//! Each enum has a stable code (what files and other programs read) and a label (what people read).
//! The codes are fixed (docs/data-rules.md): files and other programs read them; never rename one.

use std::fmt;

/// The reason a code was not accepted: names the kind of value and the codes that would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub what: &'static str,
    pub given: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a known {}; expected one of: {}",
            self.given,
            self.what,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownCode {}

/// Defines a closed set of codes: the enum, `ALL`, `code()`, `label()`, parsing and serde.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub const CODES: &'static [&'static str] = &[$($code,)+];
            /// What the value is called in messages ("phase", "area of need", ...).
            pub const WHAT: &'static str = $what;

            /// The stable code used in files and exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The full name people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, $crate::domain::codes::UnknownCode> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::domain::codes::UnknownCode { what: $what, given: s.to_string(), expected: Self::CODES }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

codes! {
    /// The phase of a setting, referral or case.
    Phase, "phase" {
        EarlyYears => "early_years", "Early years";
        Primary => "primary", "Primary";
        Secondary => "secondary", "Secondary";
        Post16 => "post16", "Post-16";
    }
}

codes! {
    /// Early years versus school age (primary, secondary and post-16).
    PhaseGroup, "phase group" {
        School => "school", "School";
        EarlyYears => "early_years", "Early years";
    }
}

impl Phase {
    pub fn group(self) -> PhaseGroup {
        match self {
            Phase::EarlyYears => PhaseGroup::EarlyYears,
            _ => PhaseGroup::School,
        }
    }
}

codes! {
    /// The four broad areas of need of the SEND Code of Practice.
    Area, "area of need" {
        CommunicationInteraction => "communication_interaction", "Communication and interaction";
        CognitionLearning => "cognition_learning", "Cognition and learning";
        Semh => "semh", "Social, emotional and mental health";
        SensoryPhysical => "sensory_physical", "Sensory and/or physical";
    }
}

codes! {
    /// The DfE school-census type-of-need codes (the priority need type).
    Need, "need type" {
        Slcn => "SLCN", "Speech, language and communication needs";
        Asd => "ASD", "Autistic spectrum disorder";
        Spld => "SPLD", "Specific learning difficulty";
        Mld => "MLD", "Moderate learning difficulty";
        Sld => "SLD", "Severe learning difficulty";
        Pmld => "PMLD", "Profound and multiple learning difficulty";
        Semh => "SEMH", "Social, emotional and mental health";
        Hi => "HI", "Hearing impairment";
        Vi => "VI", "Vision impairment";
        Msi => "MSI", "Multi-sensory impairment";
        Pd => "PD", "Physical disability";
        Oth => "OTH", "Other difficulty or disability";
        Nsa => "NSA", "SEN support but no specialist assessment of type of need";
    }
}

impl Need {
    /// The area this need type belongs to; `None` for the codes allowed with any area.
    pub fn area(self) -> Option<Area> {
        match self {
            Need::Slcn | Need::Asd => Some(Area::CommunicationInteraction),
            Need::Spld | Need::Mld | Need::Sld | Need::Pmld => Some(Area::CognitionLearning),
            Need::Semh => Some(Area::Semh),
            Need::Hi | Need::Vi | Need::Msi | Need::Pd => Some(Area::SensoryPhysical),
            Need::Oth | Need::Nsa => None,
        }
    }

    /// Whether this need type may be recorded with the given area.
    pub fn belongs_to(self, area: Area) -> bool {
        self.area().is_none_or(|a| a == area)
    }

    /// The need types that may be recorded with an area, in catalogue order.
    pub fn for_area(area: Area) -> impl Iterator<Item = Need> {
        Need::ALL.iter().copied().filter(move |n| n.belongs_to(area))
    }
}

codes! {
    /// What a LIFT meeting decided for a referral.
    ReferralOutcome, "referral outcome" {
        Allocated => "allocated", "Specialist teacher allocated";
        Advice => "advice", "Advice and guidance";
        Signposted => "signposted", "Signposted to another agency";
        Deferred => "deferred", "Deferred";
        Withdrawn => "withdrawn", "Withdrawn";
    }
}

codes! {
    /// Why a case was closed.
    ClosureReason, "closure reason" {
        TargetsAchieved => "targets_achieved", "Targets achieved";
        SettingMeetingNeed => "setting_meeting_need", "Setting can now meet the need";
        Transitioned => "transitioned", "Transitioned";
        MovedAway => "moved_away", "Moved away";
        SpecialistProvision => "specialist_provision", "Specialist provision";
        Other => "other", "Other";
    }
}

codes! {
    /// A staff member's role in the team.
    Role, "staff role" {
        Lead => "lead", "Lead specialist teacher";
        SpecialistTeacher => "specialist_teacher", "Specialist teacher";
        EarlyYearsSpecialist => "early_years_specialist", "Early years specialist";
        Admin => "admin", "Admin";
        Other => "other", "Other";
    }
}

impl Role {
    /// Roles that answer the data protection requests in the application (a subject access
    /// file, an erasure): the lead, who is accountable for the records, and the admin staff who
    /// keep them. Teachers ask them.
    pub fn answers_requests(self) -> bool {
        matches!(self, Role::Lead | Role::Admin)
    }

    /// Roles that carry cases and count as teachers in the staffing measures.
    pub fn is_teacher(self) -> bool {
        matches!(self, Role::Lead | Role::SpecialistTeacher | Role::EarlyYearsSpecialist)
    }
}

codes! {
    /// Professions counted at LIFT meetings.
    Profession, "profession" {
        StlsLead => "stls_lead", "STLS lead";
        SpecialistTeacher => "specialist_teacher", "Specialist teacher";
        EducationalPsychologist => "educational_psychologist", "Educational psychologist";
        SenifPractitioner => "senif_practitioner", "SENIF practitioner";
        EarlyHelp => "early_help", "Early help";
        SpeechLanguage => "speech_language", "Speech and language therapy";
        Camhs => "camhs", "CAMHS";
        Health => "health", "Health";
        SocialCare => "social_care", "Social care";
        Other => "other", "Other";
    }
}

codes! {
    /// The outcome of a target review.
    ReviewOutcome, "review outcome" {
        Amended => "amended", "Targets amended";
        Unchanged => "unchanged", "Targets unchanged";
        Achieved => "achieved", "Targets achieved";
    }
}

codes! {
    /// What a visit was for.
    VisitPurpose, "visit purpose" {
        Observation => "observation", "Observation";
        Assessment => "assessment", "Assessment";
        Advice => "advice", "Advice to staff";
        Review => "review", "Review of targets";
        Training => "training", "Training for staff";
        Other => "other", "Other";
    }
}

codes! {
    /// Which schools a school LIFT meeting was for.
    LiftFocus, "LIFT meeting focus" {
        Primary => "primary", "Primary schools";
        Secondary => "secondary", "Secondary schools";
        Mixed => "mixed", "Mixed (primary and secondary)";
    }
}

codes! {
    /// How a clinic was held.
    ClinicFormat, "clinic format" {
        Clinic => "clinic", "Clinic";
        Surgery => "surgery", "Surgery";
        InSettingReview => "in_setting_review", "In-setting review";
    }
}

codes! {
    /// Kinds of training course.
    TrainingKind, "training kind" {
        Core => "core", "Core";
        Bespoke => "bespoke", "Bespoke";
        Parental => "parental", "Parental";
    }
}

codes! {
    /// Training programmes with their own KPIs.
    Programme, "training programme" {
        Aet => "aet", "Autism Education Trust";
    }
}

codes! {
    /// Where a training course stands.
    TrainingStatus, "training status" {
        Delivered => "delivered", "Delivered";
        Booked => "booked", "Booked";
        Cancelled => "cancelled", "Cancelled";
    }
}

codes! {
    /// Why a case is kept open though it is not actively supported (the gap between caseload and
    /// actively supported that the county's report explains).
    OpenReason, "reason a case is open" {
        Senif => "senif", "SENIF support (needs the child open to STLS)";
        SpecialistNursery => "specialist_nursery", "A specialist nursery place";
        EhcpEvidence => "ehcp_evidence", "Evidence for an EHCP or High Needs Funding";
        Medical => "medical", "An ongoing medical condition";
        SchoolRequest => "school_request", "At the school's request, as a safety net";
        Transition => "transition", "Transition (a term or two after moving into Reception)";
        Other => "other", "Other";
    }
}

codes! {
    /// Where a LIFT meeting stands: held, planned ahead, or cancelled.
    LiftStatus, "LIFT meeting status" {
        Held => "held", "Held";
        Planned => "planned", "Planned";
        Cancelled => "cancelled", "Cancelled";
    }
}

codes! {
    /// Whom a group support session was for.
    GroupWorkKind, "kind of group work" {
        Group => "group", "A group of children";
        WholeSetting => "whole_setting", "The whole setting";
        Cluster => "cluster", "A cluster of settings";
    }
}

codes! {
    /// The two terms a county monitoring meeting covers.
    MonitoringTerms, "monitoring period" {
        T1To2 => "1-2", "Terms 1 and 2";
        T3To4 => "3-4", "Terms 3 and 4";
        T5To6 => "5-6", "Terms 5 and 6";
    }
}

codes! {
    /// Where an action agreed at a monitoring meeting stands.
    ActionStatus, "action status" {
        Open => "open", "Open";
        Done => "done", "Done";
        Dropped => "dropped", "Dropped";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_parsing() {
        for p in Phase::ALL {
            assert_eq!(p.code().parse::<Phase>().unwrap(), *p);
        }
        for n in Need::ALL {
            assert_eq!(n.code().parse::<Need>().unwrap(), *n);
        }
        for p in Profession::ALL {
            assert_eq!(p.code().parse::<Profession>().unwrap(), *p);
        }
    }

    #[test]
    fn unknown_code_names_the_kind_and_the_choices() {
        let err = "primry".parse::<Phase>().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("\"primry\""), "{text}");
        assert!(text.contains("phase"), "{text}");
        assert!(text.contains("early_years, primary, secondary, post16"), "{text}");
    }

    #[test]
    fn codes_are_case_sensitive_as_in_the_spec() {
        assert!("semh".parse::<Need>().is_err());
        assert!("SEMH".parse::<Area>().is_err());
    }

    #[test]
    fn need_types_belong_to_their_area() {
        assert!(Need::Asd.belongs_to(Area::CommunicationInteraction));
        assert!(!Need::Asd.belongs_to(Area::Semh));
        assert!(Need::Oth.belongs_to(Area::Semh));
        assert!(Need::Nsa.belongs_to(Area::SensoryPhysical));
        let cl: Vec<_> = Need::for_area(Area::CognitionLearning).collect();
        assert_eq!(cl, [Need::Spld, Need::Mld, Need::Sld, Need::Pmld, Need::Oth, Need::Nsa]);
    }

    #[test]
    fn phase_groups() {
        assert_eq!(Phase::EarlyYears.group(), PhaseGroup::EarlyYears);
        assert_eq!(Phase::Post16.group(), PhaseGroup::School);
        assert_eq!(Phase::Primary.group(), PhaseGroup::School);
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&Need::Pmld).unwrap(), "\"PMLD\"");
        let a: Area = serde_json::from_str("\"sensory_physical\"").unwrap();
        assert_eq!(a, Area::SensoryPhysical);
        let e = serde_json::from_str::<Area>("\"sensory\"").unwrap_err();
        assert!(e.to_string().contains("not a known area of need"), "{e}");
    }
}
