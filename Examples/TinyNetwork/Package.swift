// swift-tools-version:6.0
import PackageDescription

// A package outside mnist-report that uses its engine as a library. Inside this repository it
// points at the checkout two folders up; elsewhere, replace the path with the repository and a
// version tag:
//     .package(url: "https://github.com/OWNER/mnist-report", from: "3.0.0")
let package = Package(
    name: "TinyNetwork",
    dependencies: [
        .package(name: "mnist-report", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "TinyNetwork", dependencies: [
            .product(name: "NeuralEngine", package: "mnist-report"),
        ]),
    ]
)
