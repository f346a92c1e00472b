import Foundation
import ArgumentParser

@main
enum Main {
    static func main() {
        // A reader that leaves (`| head`) makes the next write fail with EPIPE instead of killing
        // the process: every command then ends with one line and exit 1 (`Console.write`).
        signal(SIGPIPE, SIG_IGN)
        KernelSelection.refuseUnusableRequest()
        KernelSelection.restartIfOpenBLASMisdetectedTheCPU()
        ErrorMessage.run(MNISTReport.self)
    }
}

struct MNISTReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-report",
        abstract: "Reproduces the MNIST-with-Keras assignment with the project's own neural engine.",
        discussion: """
            Trains the assignment's networks on MNIST (the copy embedded in the package unless \
            --data-dir or $MNIST_DATA_DIR says otherwise) and measures the engine.

            Examples:
              mnist-report train mlp64                 # section 2.3, 10 epochs
              mnist-report train mlp500 --l2 1e-4      # section 2.4 with another L2 factor
              mnist-report train lenet5 --save lenet5.safetensors
              mnist-report digits --out digits --count 20
              mnist-report predict --model lenet5.safetensors digits/*.png
              mnist-report bench                       # sgemm ceiling and seconds per epoch
            """,
        subcommands: [Build.self, Render.self, Compare.self, History.self, Bisect.self, Train.self, Predict.self, Digits.self, Bench.self, Cache.self, KerasListings.self, TrainOne.self])
}
