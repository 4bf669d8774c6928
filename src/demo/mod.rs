//! `demo`: a generated district that looks real, for newcomers and for benchmarks.
//!
//! The same seed and the same "today" give the same district. Proportions follow the county's
//! annual report (docs/performance.md). Every record goes through the store's one write path
//! ([`crate::store::Writer::put`]), so the demonstration obeys every rule the program enforces.

mod activities;
mod children;
mod names;
mod practices;
mod register;

use crate::domain::{AcademicYear, Date, District, Record, RecordKind, TermStarts};
use crate::handoff::{self, HungUp, Maker};
use crate::kpi::calendar::default_term_starts;
use crate::store::{Batch, PutError, Store, StoreError, Writer};
use std::collections::BTreeMap;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub children: u32,
    pub years: u32,
    pub seed: u64,
    pub district: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already holds records; the demonstration district goes only into an empty database (use another --db)"
    )]
    NotEmpty,
    #[error("{0}")]
    BadOption(String),
    #[error("the generator made a record the store refused ({0}); this is a bug in the demonstration")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What was generated, by record type.
#[derive(Debug, Default, Clone)]
pub struct DemoSummary {
    pub by_kind: BTreeMap<RecordKind, usize>,
}

impl DemoSummary {
    pub fn records(&self) -> usize {
        self.by_kind.values().sum()
    }
}

/// Writes records through the store's one write path, counting them and reporting progress.
struct Sink<'w, 'c, 'p> {
    writer: &'w Writer<'c>,
    batch: Batch,
    summary: DemoSummary,
    progress: &'p mut dyn FnMut(usize),
}

impl Sink<'_, '_, '_> {
    fn put(&mut self, record: Record) -> Result<(), DemoError> {
        match self.writer.put(&mut self.batch, &record) {
            Ok(_) => {}
            Err(PutError::Store(e)) => return Err(e.into()),
            Err(e) => return Err(DemoError::Refused(format!("{} {}: {e:?}", record.kind(), record.key()))),
        }
        let n = self.summary.by_kind.entry(record.kind()).or_default();
        *n += 1;
        let total = self.batch.inserted;
        if total.is_multiple_of(20_000) {
            (self.progress)(total);
        }
        Ok(())
    }
}

/// The generating side's end: each record is checked against its own rules before it goes.
struct Out<'m> {
    maker: &'m mut Maker<Record, DemoError>,
    today: Date,
}

impl Out<'_> {
    fn push(&mut self, record: Record) -> Result<(), HungUp> {
        if let Some(v) = crate::domain::rules::violations(&record, self.today).first() {
            let refused = DemoError::Refused(format!("{} {}: {}", record.kind(), record.key(), v.message));
            return Err(self.maker.fail(refused));
        }
        self.maker.push(record)
    }

    fn extend(&mut self, records: impl IntoIterator<Item = Record>) -> Result<(), HungUp> {
        records.into_iter().try_for_each(|r| self.push(r))
    }
}

/// The academic years of the demonstration (ending with the one `today` falls in), with terms.
pub(crate) struct Window {
    pub today: Date,
    pub start: Date,
    pub years: Vec<TermStarts>,
}

impl Window {
    fn new(today: Date, years: u32) -> Window {
        let current = AcademicYear::containing(today);
        let first = AcademicYear::starting(current.start_year() - years as i32 + 1);
        let years: Vec<TermStarts> = (first.start_year()..=current.start_year())
            .map(|y| default_term_starts(AcademicYear::starting(y)))
            .collect();
        Window { today, start: first.first_day(), years }
    }

    /// Days from the window's start to today (at least 1).
    pub fn days(&self) -> u64 {
        self.today.days_since(self.start).max(1) as u64
    }
}

/// A random date in `[from, to]` (both included; `from` when the range is empty).
pub(crate) fn date_between(rng: &mut fastrand::Rng, from: Date, to: Date) -> Date {
    let span = to.days_since(from);
    if span <= 0 { from } else { from.plus_days(rng.u64(0..=span as u64)) }
}

/// The generator of one child's journey, derived from the seed and the child's number.
fn child_rng(seed: u64, index: usize) -> fastrand::Rng {
    let mixed =
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (index as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
    fastrand::Rng::with_seed(mixed)
}

/// Picks by weight: `weights` pairs a choice with its relative weight.
pub(crate) fn weighted<T: Copy>(rng: &mut fastrand::Rng, weights: &[(T, u32)]) -> T {
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    let mut pick = rng.u32(0..total.max(1));
    for (choice, w) in weights {
        if pick < *w {
            return *choice;
        }
        pick -= w;
    }
    weights[weights.len() - 1].0
}

/// Fills an empty database with a generated district, in one transaction. `progress` is told
/// how many records have been written so far.
impl DemoOptions {
    /// The options make a district: checked before anything is created.
    pub fn check(&self) -> Result<(), DemoError> {
        if self.children == 0 || self.children > 2_000_000 {
            return Err(DemoError::BadOption("--children must be from 1 to 2000000".into()));
        }
        if self.years == 0 || self.years > 20 {
            return Err(DemoError::BadOption("--years must be from 1 to 20".into()));
        }
        if self.district.trim().is_empty() {
            return Err(DemoError::BadOption("--district must not be empty".into()));
        }
        // The name a records file's district may have, by the same rules.
        let district = Record::District(District { name: self.district.clone(), retention: None });
        if let Some(v) = crate::domain::rules::violations(&district, crate::domain::rules::earliest_date())
            .into_iter()
            .next()
        {
            return Err(DemoError::BadOption(format!("--district: {}", v.message)));
        }
        Ok(())
    }
}

pub fn generate(
    store: &mut Store,
    options: &DemoOptions,
    today: Date,
    progress: &mut dyn FnMut(usize),
) -> Result<DemoSummary, DemoError> {
    options.check()?;
    let writer = store.write()?;
    if !writer.reader().is_empty()? {
        return Err(DemoError::NotEmpty);
    }
    let batch = writer.bulk_batch(false)?;
    let mut sink = Sink { writer: &writer, batch, summary: DemoSummary::default(), progress };
    // Making the records is about a tenth of the work: done on a second thread meanwhile.
    handoff::run(
        |maker| make_district(options, today, Out { maker, today }),
        |record| sink.put(record),
        |e| e,
    )?;
    writer.finish_bulk(&mut sink.batch)?;
    // The district must import again from its own dump: the records file's rules too.
    let mut broken = writer.batch_violations(&sink.batch)?;
    broken.extend(writer.duplicate_children(&sink.batch)?);
    if let Some(v) = broken.first() {
        return Err(DemoError::Refused(format!("{} {}: {}", v.kind, v.key, v.message)));
    }
    let summary = sink.summary;
    writer.commit()?;
    Ok(summary)
}

/// Makes the district's records, in an order the store accepts (each refers only to earlier
/// ones), and sends them to the writer.
fn make_district(options: &DemoOptions, today: Date, mut out: Out<'_>) -> Result<(), HungUp> {
    let window = Window::new(today, options.years);
    let mut rng = fastrand::Rng::with_seed(options.seed);
    out.push(Record::District(District { name: options.district.trim().to_string(), retention: None }))?;
    let register = register::generate(&mut rng, &window, options.children);
    let mut practice = practices::rng(options.seed);
    // Staff first: a setting names its link teacher.
    out.extend(register.staff.iter().map(|s| Record::Staff(s.record.clone())))?;
    out.extend(practices::link_teachers(&mut practice, &register, today).into_iter().map(Record::Setting))?;
    let meetings = activities::meetings(&mut rng, &window, options.children);
    // Each child has a generator of its own, so a child's journey can be planned once to learn
    // who attends which meeting and when the child first came, then planned again, identically,
    // when its records are written: nothing is held for all children at once.
    let children = options.children as usize;
    let plan_children = |range: std::ops::Range<usize>| {
        let mut attending = activities::Attendance::new(&meetings);
        let mut order: Vec<(Option<Date>, usize)> = Vec::with_capacity(range.len());
        for i in range {
            let plan =
                children::plan_child(&mut child_rng(options.seed, i), &window, &register, &meetings, i == 0);
            attending.note(&plan);
            order.push((plan.first_received(), i));
        }
        (attending, order)
    };
    // The writer has nothing to write until the plans are made: they are made on two threads.
    let half = children / 2;
    let ((mut attending, mut order), (theirs, their_order)) = std::thread::scope(|scope| {
        let second = scope.spawn(|| plan_children(half..children));
        let first = plan_children(0..half);
        (first, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    attending.merge(theirs);
    order.extend(their_order);
    // Children are numbered in the order they first came to the service, as a team's records
    // would be; writing in date order also keeps the date indexes growing at one end.
    order.sort_unstable();
    out.extend(activities::meeting_records(&mut rng, &meetings, attending, &register))?;
    out.extend(practices::lift_calendar(&window))?;
    // No two children share a name and date of birth (a records file may not add a child twice):
    // the rare second one gets a double-barrelled surname.
    let mut names = rustc_hash::FxHashSet::default();
    for (number, (_, i)) in order.into_iter().enumerate() {
        let mut child = child_rng(options.seed, i);
        let plan = children::plan_child(&mut child, &window, &register, &meetings, i == 0);
        let mut records = children::records(&mut child, &window, &register, &meetings, number, &plan);
        if let Some(Record::Child(c)) = records.first_mut() {
            children::make_unique(c, &mut names);
        }
        practices::child_practices(&mut practice, &mut records, today);
        out.extend(records)?;
    }
    let mut work = activities::other_work(&mut rng, &window, &register, options.children);
    for record in &mut work {
        if let Record::Clinic(c) = record {
            practices::cases_to_lift(&mut practice, c);
        }
    }
    out.extend(work)?;
    out.extend(practices::group_work(&mut practice, &window, &register))?;
    out.extend(practices::monitoring(&mut practice, &window))
}
