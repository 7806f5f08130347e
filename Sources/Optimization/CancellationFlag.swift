import Synchronization

/// A one-way, thread-safe flag that carries a task's cancellation to optimisations running on threads
/// outside the task (``MultiStart``'s workers), where `Task.isCancelled` cannot see it.
///
/// Read at every objective evaluation, so it is an atomic load, not a lock.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() { flag.store(true, ordering: .releasing) }
}
