// swift-tools-version:6.1
import PackageDescription

/// TrainTasker: a FastCGI worker (libfcgi) behind nginx, storing the marketplace in
/// MariaDB through the MariaDB C client.
let package = Package(
    name: "TrainTasker",
    products: [
        .executable(name: "tasker-fcgi", targets: ["TaskerFCGI"]),
        .executable(name: "tasker-admin", targets: ["TaskerAdmin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // multipart/form-data parsing for image uploads.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // CSV output of results.
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        // Results export: deflate and CRC-32 for the streamed zip archives, XML for Pascal VOC.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.2"),
    ],
    targets: [
        // C libraries from Debian, reached through pkg-config.
        .systemLibrary(name: "CFastCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // PNG conversion of stored JPEG/WebP images for the legacy protocol (GetTaskImage).
        .systemLibrary(name: "CGD", pkgConfig: "gdlib", providers: [.apt(["libgd-dev"])]),

        .target(
            name: "MariaStore",
            dependencies: ["CMariaDB", .product(name: "Logging", package: "swift-log")]
        ),
        // The marketplace's rules and services (accounts, configuration, what the worker's
        // threads share), over the store; the HTTP layer and the admin tool both use it.
        .target(
            name: "Marketplace",
            dependencies: ["MariaStore", "CSodium"]
        ),
        .target(
            name: "Routes",
            dependencies: [
                "Marketplace", "MariaStore", "CGD",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ]
        ),
        .executableTarget(
            name: "TaskerFCGI",
            dependencies: ["Routes", "Marketplace", "CFastCGI", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "TaskerAdmin",
            dependencies: [
                "Marketplace", "MariaStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(
            name: "RoutesTests",
            dependencies: [
                "Routes", "Marketplace", "TestSupport",
                // Reads back the export's zip archives.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // A fresh, migrated database on the server `make test` starts, for the tests below.
        .target(name: "TestSupport", dependencies: ["MariaStore", "Marketplace"], path: "Tests/Support"),
        .testTarget(name: "MarketplaceTests", dependencies: ["Marketplace", "MariaStore", "TestSupport"]),
        // The handlers driven in process through Application.respond, against the test database.
        .testTarget(name: "HandlerTests", dependencies: ["Routes", "Marketplace", "MariaStore", "TestSupport"]),
        // The store's tests share the worker's memories of leases and sessions (Marketplace).
        .testTarget(name: "MariaStoreTests", dependencies: ["MariaStore", "Marketplace", "TestSupport"]),
        .testTarget(name: "TaskerFCGITests", dependencies: ["TaskerFCGI", "Routes", "Marketplace"]),
    ],
    swiftLanguageModes: [.v6]
)
