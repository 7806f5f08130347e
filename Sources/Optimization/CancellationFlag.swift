import Foundation

/// A one-way, thread-safe flag that carries a task's cancellation to optimisations running on threads
/// outside the task (``MultiStart``'s workers), where `Task.isCancelled` cannot see it.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    var isSet: Bool { lock.withLock { flag } }

    func set() { lock.withLock { flag = true } }
}
