//! Types and rules of the STLS district, with no I/O. "Today" is always passed in.

#[macro_use]
pub mod codes;
pub mod calendar;
pub mod date;
pub mod initials;
pub mod manual;
pub mod names;
pub mod normal;
pub mod number;
pub mod practices;
pub mod records;
pub mod retention;
pub mod rules;
pub mod status;
pub mod text;

pub use calendar::{AcademicYear, Period, Scope, Term, TermStarts};
pub use codes::*;
pub use date::Date;
pub use records::*;
pub use status::CaseStatus;
