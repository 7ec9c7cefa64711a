/// The exit statuses of `bulkrunner`, as documented in `--help` and the README.
///
/// 65 and 66 follow BSD `sysexits.h` (EX_DATAERR, EX_NOINPUT), as tools in this field do.
public enum ExitStatus {
    /// Every row succeeded or was skipped; or the command did what it was asked.
    public static let success: Int32 = 0
    /// The run finished, but some row did not succeed (failed, invalid, pending, cancelled, not sent).
    public static let someRowsNotDone: Int32 = 1
    /// The command line was wrong (unknown option, missing argument).
    public static let usage: Int32 = 2
    /// Malformed input found before anything was sent (CSV, template, JSON).
    public static let dataError: Int32 = 65
    /// An input file could not be opened or read.
    public static let noInput: Int32 = 66
    /// An API call failed (service, network or credentials error) for `bulkrunner api`.
    public static let serviceError: Int32 = 69
    /// An output file could not be written.
    public static let cannotCreate: Int32 = 73
    /// Another bulkrunner is running a job with the same results file: try again when it ends.
    public static let busy: Int32 = 75
    /// Interrupted (Ctrl-C): the run is resumable by running the same command again.
    public static let interrupted: Int32 = 130

    /// Exit statuses with their meaning, for help texts.
    public static let documented: [(Int32, String)] = [
        (success, "success: every row SUCCEEDED or was SKIPPED (or the command did what it was asked)"),
        (someRowsNotDone, "finished, but some rows are FAILED, INVALID, PENDING, CANCELLED or NOT_SENT: see the results file"),
        (usage, "usage error: the command line was wrong"),
        (dataError, "malformed input (CSV, template or JSON) found before anything was sent"),
        (noInput, "an input file could not be read"),
        (serviceError, "an API call failed (service, network or credentials)"),
        (cannotCreate, "an output file could not be written"),
        (busy, "another bulkrunner is running a job with the same results file: nothing was done; try again when it ends"),
        (interrupted, "interrupted: run the same command again to resume"),
    ]
}
