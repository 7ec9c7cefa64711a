/// The AWS Marketplace Catalog API operations BulkRunner uses, implemented by the HTTP
/// client (`CatalogClient`) and the in-process emulator (`CatalogEmulator`).
///
/// Every method throws ``CatalogError`` and nothing else.
public protocol CatalogAPI: Sendable {
    /// `StartChangeSet`: submits up to 20 changes; returns the change set's id and ARN.
    func startChangeSet(_ request: StartChangeSetRequest) async throws -> StartChangeSetResponse
    /// `DescribeChangeSet`: status, failure and every change (with errors) of one change set.
    func describeChangeSet(_ request: DescribeChangeSetRequest) async throws -> DescribeChangeSetResponse
    /// `ListChangeSets`: summaries of change sets matching filters, one page at a time.
    func listChangeSets(_ request: ListChangeSetsRequest) async throws -> ListChangeSetsResponse
    /// `CancelChangeSet`: cancels a change set that is still PREPARING.
    func cancelChangeSet(_ request: CancelChangeSetRequest) async throws -> CancelChangeSetResponse
    /// `DescribeEntity`: one entity's details.
    func describeEntity(_ request: DescribeEntityRequest) async throws -> DescribeEntityResponse
    /// `ListEntities`: summaries of entities of one type matching filters, one page at a time.
    func listEntities(_ request: ListEntitiesRequest) async throws -> ListEntitiesResponse
    /// `BatchDescribeEntities`: details of up to 20 entities, with per-entity errors.
    func batchDescribeEntities(_ request: BatchDescribeEntitiesRequest) async throws -> BatchDescribeEntitiesResponse
}
