public enum CatalogModelsPlaceholder {}
