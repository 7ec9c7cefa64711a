import Foundation
import Testing
import Clocks

@Suite("Virtual time")
struct VirtualTimeSourceTests {
    @Test func advanceWakesSleepersInDeadlineOrder() async throws {
        let clock = VirtualTimeSource()
        let start = clock.now()
        let order = OrderLog()
        async let a: Void = { try await clock.sleep(seconds: 2); order.append("a") }()
        async let b: Void = { try await clock.sleep(seconds: 1); order.append("b") }()
        while clock.sleeperCount < 2 { await Task.yield() }
        clock.advance(by: 1)
        try await b
        #expect(order.items == ["b"])
        clock.advance(by: 5)
        try await a
        #expect(order.items == ["b", "a"])
        #expect(clock.now() == start.addingTimeInterval(6))
    }

    @Test func pastDeadlineReturnsAtOnce() async throws {
        let clock = VirtualTimeSource()
        try await clock.sleep(until: clock.now().addingTimeInterval(-5))
        try await clock.sleep(seconds: 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellationWakesWithError() async {
        let clock = VirtualTimeSource()
        let task = Task { try await clock.sleep(seconds: 100) }
        while clock.sleeperCount < 1 { await Task.yield() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func runJumpsThroughHoursInstantly() async throws {
        let clock = VirtualTimeSource()
        let start = clock.now()
        let total = try await clock.run {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 1...20 {
                    group.addTask {
                        for _ in 0..<10 { try await clock.sleep(seconds: Double(i) * 60) }
                        return i
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(total == 210)
        #expect(clock.now() == start.addingTimeInterval(20 * 60 * 10))
    }
}

final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ s: String) { lock.withLock { storage.append(s) } }
    var items: [String] { lock.withLock { storage } }
}
