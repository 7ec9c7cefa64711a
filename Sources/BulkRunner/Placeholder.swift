public enum BulkRunnerPlaceholder {}
