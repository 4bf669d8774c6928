//! How domain values are stored: codes and dates as TEXT.

use crate::domain::*;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

fn text_of(value: ValueRef<'_>) -> FromSqlResult<&str> {
    value.as_str()
}

macro_rules! text_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                text_of(value)?.parse().map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

macro_rules! code_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }
    )+};
}

text_column!(
    Date,
    AcademicYear,
    Phase,
    PhaseGroup,
    Area,
    Need,
    ReferralOutcome,
    ClosureReason,
    Role,
    Profession,
    ReviewOutcome,
    ClinicFormat,
    LiftFocus,
    VisitPurpose,
    TrainingKind,
    Programme,
    TrainingStatus,
    OpenReason,
    LiftStatus,
    GroupWorkKind,
    MonitoringTerms,
);
code_column!(
    Phase,
    PhaseGroup,
    Area,
    Need,
    ReferralOutcome,
    ClosureReason,
    Role,
    Profession,
    ReviewOutcome,
    ClinicFormat,
    LiftFocus,
    VisitPurpose,
    TrainingKind,
    Programme,
    TrainingStatus,
    OpenReason,
    LiftStatus,
    GroupWorkKind,
    MonitoringTerms,
);

impl ToSql for Date {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl ToSql for AcademicYear {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}
