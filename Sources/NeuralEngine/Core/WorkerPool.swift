#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A few persistent threads that run one closure in parallel, each with its worker index.
///
/// The engine calls it thousands of times per epoch with jobs of a few hundred microseconds,
/// so waking a thread must cost far less than that: idle workers spin briefly on a generation
/// counter and only then sleep on a condition variable. The caller's thread is worker 0.
package final class WorkerPool: @unchecked Sendable {
    /// The number of workers, the caller's thread included.
    package let count: Int

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let callerMutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var job: ((Int) -> Void)?
    private var threads: [Thread] = []

    /// Polls before a worker sleeps: a few milliseconds, longer than the serial stretch between
    /// two products of a training step (loss, optimiser, softmax), so that a worker is still
    /// awake for the next product. Sleeping sooner cost mlp500 an eighth of its epoch in futex
    /// wake-ups (`scripts/bench-compare`, 200 thousand polls against 5 million). Like OpenBLAS's
    /// threads, an idle worker therefore keeps its core busy for that long.
    private static let spinLimit = 5_000_000

    /// One pool per size for the whole process: pools are never torn down, since their threads
    /// live as long as the process, so asking again for a size returns the same pool.
    package static func shared(count: Int) -> WorkerPool {
        registry.withLock { pools in
            if let pool = pools[count] { return pool }
            let pool = WorkerPool(count: count)
            pools[count] = pool
            return pool
        }
    }

    private static let registry = Mutex<[Int: WorkerPool]>([:])

    private init(count: Int) {
        self.count = max(1, count)
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(callerMutex, nil)
        pthread_cond_init(condition, nil)
        for index in 1..<self.count {
            let thread = Thread { [unowned self] in self.work(index: index) }
            thread.stackSize = 1 << 20
            thread.start()
            threads.append(thread)
        }
    }

    /// Runs `body(worker)` for every worker index in 0..<count, in parallel, and returns when all are done.
    /// Callers on different threads take turns: one job at a time.
    package func run(_ body: (Int) -> Void) {
        if count == 1 { body(0); return }
        pthread_mutex_lock(callerMutex)
        defer { pthread_mutex_unlock(callerMutex) }
        withoutActuallyEscaping(body) { body in
            job = body
            finished.store(0, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
            body(0)
            while finished.load(ordering: .acquiring) < count - 1 { spinHint() }
            job = nil
        }
    }

    /// Cuts 0..<items into one contiguous slice per worker and runs `body(worker, slice)` for
    /// each non-empty slice, in parallel. The cut depends only on `items` and `count`.
    package func slices(_ items: Int, _ body: (Int, Range<Int>) -> Void) {
        let workers = min(count, max(items, 1))
        if workers <= 1 { body(0, 0..<items); return }
        let chunk = (items + workers - 1) / workers
        run { worker in
            let range = min(worker * chunk, items)..<min((worker + 1) * chunk, items)
            if !range.isEmpty { body(worker, range) }
        }
    }

    private func work(index: Int) {
        _ = Denormals.flush()  // for the thread's whole life
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit {
                    spinHint()
                } else {
                    pthread_mutex_lock(mutex)
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                    pthread_mutex_unlock(mutex)
                }
            }
            seen = generation.load(ordering: .acquiring)
            job!(index)
            finished.add(1, ordering: .releasing)
        }
    }

    /// The spin loop's body: the atomic load itself keeps the loop honest, nothing else is needed.
    @inline(__always) private func spinHint() {}
}
