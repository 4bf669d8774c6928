//! Records made on a second thread while this one writes them: `demo` generates, and `import`
//! reads and parses, while the writer (always the slower side) writes what came before.
//!
//! Items travel in chunks of [`CHUNK`] through a bounded channel, at most [`CHUNKS_AHEAD`]
//! chunks waiting (a few MB), in the order they were made.

use std::sync::mpsc::{SyncSender, sync_channel};

const CHUNK: usize = 1024;
const CHUNKS_AHEAD: usize = 8;

/// The taking side stopped (it met an error of its own): making more is pointless.
pub struct HungUp;

/// The making side's end: items go on in chunks; an error ends the run.
pub struct Maker<T, E> {
    out: SyncSender<Result<Vec<T>, E>>,
    chunk: Vec<T>,
}

impl<T, E> Maker<T, E> {
    pub fn push(&mut self, item: T) -> Result<(), HungUp> {
        self.chunk.push(item);
        if self.chunk.len() == CHUNK { self.flush() } else { Ok(()) }
    }

    /// Ends the run with `error`, which reaches the caller of [`run`].
    pub fn fail(&mut self, error: E) -> HungUp {
        let _ = self.out.send(Err(error));
        HungUp
    }

    fn flush(&mut self) -> Result<(), HungUp> {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.out.send(Ok(chunk)).map_err(|_| HungUp)
    }
}

/// Runs `make` on a second thread and hands each item it makes to `take` on this one, in order.
/// Stops at the first error of either side; the maker's reaches the caller through `from_maker`.
pub fn run<T: Send, E: Send, F>(
    make: impl FnOnce(&mut Maker<T, E>) -> Result<(), HungUp> + Send,
    mut take: impl FnMut(T) -> Result<(), F>,
    from_maker: impl Fn(E) -> F,
) -> Result<(), F> {
    let (out, received) = sync_channel(CHUNKS_AHEAD);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut maker = Maker { out, chunk: Vec::with_capacity(CHUNK) };
            if make(&mut maker).is_ok() {
                let _ = maker.flush();
            }
        });
        // `received` is consumed here, so an error ends the loop and hangs up on the maker.
        for chunk in received {
            for item in chunk.map_err(&from_maker)? {
                take(item)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_in_order_and_either_sides_error_stops_the_run() {
        let mut got = Vec::new();
        let made = run(
            |m: &mut Maker<usize, String>| (0..5000).try_for_each(|i| m.push(i)),
            |i| {
                got.push(i);
                Ok::<_, String>(())
            },
            |e| e,
        );
        assert!(made.is_ok());
        assert_eq!(got, (0..5000).collect::<Vec<_>>());
        let failed = run(
            |m: &mut Maker<usize, String>| {
                m.push(1)?;
                Err(m.fail("bad".into()))
            },
            |_| Ok::<_, String>(()),
            |e| format!("maker: {e}"),
        );
        assert_eq!(failed, Err("maker: bad".to_string()));
        // The taker stopping early hangs up on a maker that would make far more than fits.
        let mut taken = 0;
        let stopped = run(
            |m: &mut Maker<usize, String>| (0..10_000_000).try_for_each(|i| m.push(i)),
            |_| {
                taken += 1;
                if taken == 3 { Err("enough".to_string()) } else { Ok(()) }
            },
            |e| e,
        );
        assert_eq!(stopped, Err("enough".to_string()));
    }
}
