public enum CSVKitPlaceholder {}
