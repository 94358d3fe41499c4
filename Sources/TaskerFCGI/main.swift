import CFastCGI
import Foundation
import Logging
import MariaStore
import Marketplace
import Routes

/// tasker-fcgi: the TrainTasker FastCGI worker.
///
///     tasker-fcgi --config var/config.json
///     tasker-fcgi --routes
///
/// Serves on the socket spawn-fcgi hands over on file descriptor 0, or on the socket
/// named by `listen` in the configuration (`/path/to.sock` or `:9000`). SIGTERM or SIGINT
/// stop accepting, let the requests in flight finish, then exit. `--routes` prints the
/// route table instead, one "METHOD /path/{param}" a line (tests/openapi compares it
/// with openapi.yaml), and reads no configuration.

func configPath() -> String {
    let arguments = CommandLine.arguments
    if let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count { return arguments[index + 1] }
    return ProcessInfo.processInfo.environment["TASKER_CONFIG"] ?? "var/config.json"
}

if CommandLine.arguments.contains("--routes") {
    for route in RouteTable.router().routes { print("\(route.method) \(route.pattern)") }
    exit(0)
}

let config: ServerConfig
do {
    config = try ServerConfig.load(path: configPath())
} catch {
    FileHandle.standardError.write(Data("tasker-fcgi: cannot read the configuration \(configPath()): \(error)\n".utf8))
    exit(2)
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
    return handler
}
let logger = Logger(label: "tasker-fcgi")

// Block the stop signals in every thread; the main thread waits for them below.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
signal(SIGPIPE, SIG_IGN)

guard FCGX_Init() == 0 else {
    logger.critical("FCGX_Init failed")
    exit(1)
}
let socket: Int32 = config.listen.isEmpty ? 0 : FCGX_OpenSocket(config.listen, 128)
guard socket >= 0 else {
    logger.critical("cannot open the socket \(config.listen)")
    exit(1)
}

Connection.libraryStart()
let application = Application(config: config)
let threadCount = max(1, config.threads)
let inFlight = InFlight()
for number in 1...threadCount {
    let thread = Thread {
        Worker(number: number, socket: socket, application: application, inFlight: inFlight, logger: logger).run()
    }
    thread.stackSize = 4 << 20
    thread.start()
}
let housekeeper = Thread { Housekeeper(config: config, inFlight: inFlight, logger: logger).run() }
housekeeper.start()
let quality = Thread { QualityThread(services: application.services, inFlight: inFlight, logger: logger).run() }
quality.start()
logger.info("serving", metadata: ["threads": "\(threadCount)", "socket": "\(config.listen.isEmpty ? "fd 0" : config.listen)"])

var received: Int32 = 0
sigwait(&stopSignals, &received)
logger.info("stopping: finishing the requests in flight")
inFlight.stop()
FCGX_ShutdownPending()
// No new connections; threads waiting in accept() are left behind, those serving finish.
shutdown(socket, Int32(SHUT_RDWR))
usleep(50_000)
if !inFlight.waitUntilIdle(seconds: 30) {
    logger.warning("requests still running after 30 seconds; exiting anyway")
}
logger.info("stopped")
exit(0)
