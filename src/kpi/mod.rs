//! The termly KPI return (docs/returns.md): the term calendar, the measure catalogue, frameworks, and
//! returns for a term or a whole year.

pub mod calendar;
pub mod catalogue;
pub mod framework;
pub mod report;
