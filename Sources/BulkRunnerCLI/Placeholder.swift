public enum BulkRunnerCLIPlaceholder {}
