import Foundation
import Testing
@testable import Pipeline

@Suite("Probe processes", .serialized)
struct ProbeDescendantsTests {
    /// What a probe started in a session of its own (as `swift build` starts its compilers in
    /// groups of their own) stops with the probe: `stop` signals the group, then every other
    /// descendant, which the subreaper keeps even when its parent ended first.
    @Test func stopReachesDescendantsOutsideTheGroup() throws {
        ProcessGroup.becomeSubreaper()
        let log = open("/dev/null", O_WRONLY)
        defer { close(log) }
        let child = try ProcessGroup(["sh", "-c", "setsid sleep 300 & sleep 300"], in: "/", output: log)
        var escaped: [pid_t] = []
        for _ in 0..<50 where escaped.count < 2 {
            Thread.sleep(forTimeInterval: 0.1)
            escaped = ProcessGroup.descendants(of: getpid()).filter { $0 != child.pid }
        }
        #expect(escaped.count >= 2, "the shell's two sleeps: \(escaped)")
        child.stop()
        #expect(child.wait(until: Date().addingTimeInterval(10)) == false)
        var alive = escaped
        for _ in 0..<50 where !alive.isEmpty {
            Thread.sleep(forTimeInterval: 0.1)
            for pid in alive { var status: Int32 = 0; _ = waitpid(pid, &status, WNOHANG) }  // reap what came back to us
            alive = alive.filter { kill($0, 0) == 0 }
        }
        #expect(alive.isEmpty, "still running: \(alive)")
    }
}
