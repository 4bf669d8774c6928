//! caseload: the caseload and termly KPI return of an STLS district team.

pub mod cli;
pub mod clock;
pub mod demo;
pub mod domain;
pub mod export;
mod handoff;
pub mod import;
pub mod kpi;
pub mod store;
pub mod tui;
