fn main() -> std::process::ExitCode {
    caseload::cli::main()
}
