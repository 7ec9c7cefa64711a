import CatalogEmulator
import CatalogModels
import Clocks
import Foundation
import Testing

@Suite("Named products")
struct NamedProductSeedingTests {
    @Test func demoPlanHasTheSampleProductIds() async throws {
        var configuration = EmulatorConfiguration()
        configuration.seeding = .demo
        let emulator = CatalogEmulator(configuration: configuration, clock: VirtualTimeSource())
        let saas = try await emulator.describeEntity(DescribeEntityRequest(entityId: "prod-1111111111111"))
        #expect(saas.entityType?.hasPrefix("SaaSProduct") == true)
        let ami = try await emulator.describeEntity(DescribeEntityRequest(entityId: "prod-2222222222222"))
        #expect(ami.entityType?.hasPrefix("AmiProduct") == true)
    }

    @Test func defaultPlanHasNoNamedProducts() async {
        let emulator = CatalogEmulator(configuration: EmulatorConfiguration(), clock: VirtualTimeSource())
        await #expect(throws: CatalogError.self) {
            _ = try await emulator.describeEntity(DescribeEntityRequest(entityId: "prod-1111111111111"))
        }
    }
}
