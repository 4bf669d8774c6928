// mimalloc: SQLite and the record pipeline allocate and free millions of small blocks in a large
// import, often freeing on one thread what another allocated; glibc's allocator spent an eighth
// of the writing thread's time on that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    caseload::cli::main()
}
