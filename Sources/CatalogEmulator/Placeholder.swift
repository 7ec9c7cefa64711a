public enum CatalogEmulatorPlaceholder {}
