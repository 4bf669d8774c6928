//! caseload: the caseload and termly KPI return of an STLS district team.

pub mod cli;
pub mod clock;
pub mod county;
pub mod demo;
pub mod domain;
pub mod export;
pub mod files;
mod handoff;
pub mod import;
pub mod json;
pub mod kpi;
pub mod platform;
pub mod signals;
pub mod store;
pub mod tui;
