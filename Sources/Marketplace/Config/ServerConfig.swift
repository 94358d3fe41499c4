import Foundation
import MariaStore

/// The worker's settings, read from the JSON file given by `--config`.
public struct ServerConfig: Codable, Sendable {
    public var database: ConnectionOptions
    /// Where images are stored (`<dataDirectory>/images/ab/abcdef...`).
    public var dataDirectory: String
    /// Worker threads, each with its own FastCGI request and database connection.
    public var threads: Int = 8
    /// How long a lease lasts.
    public var leaseSeconds: Int = 600
    /// How often the worker's housekeeper ends expired leases (giving their slots back) and
    /// approves the results whose review window ran out.
    public var reclaimEverySeconds: Int = 5
    /// How long a session lasts.
    public var sessionHours: Int = 168
    /// The largest request body the worker accepts (nginx enforces its own limit first).
    public var maxUploadBytes: Int = 20 * 1024 * 1024
    /// `interactive` (libsodium's interactive argon2id limits) or `moderate`.
    public var passwordHashing: String = "interactive"
    public var logLevel: String = "info"
    /// A socket for the worker to open itself (`/path/to.sock` or `:9000`); empty means
    /// the socket spawn-fcgi hands over on file descriptor 0.
    public var listen: String = ""
    /// Whether the session cookie is marked Secure (set when served over HTTPS).
    public var secureCookies: Bool = false
    /// How the front end sends image files: `x-accel-redirect` (nginx, the default) or
    /// `x-sendfile` (Apache with mod_xsendfile). It must match the front end's
    /// configuration (deploy/nginx.conf or deploy/apache.conf).
    public var fileSending: FileSending = .accelRedirect

    public static func load(path: String) throws -> ServerConfig {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ServerConfig.self, from: data)
    }

    public init(database: ConnectionOptions, dataDirectory: String) {
        self.database = database
        self.dataDirectory = dataDirectory
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        database = try container.decode(ConnectionOptions.self, forKey: .database)
        dataDirectory = try container.decode(String.self, forKey: .dataDirectory)
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? 8
        leaseSeconds = try container.decodeIfPresent(Int.self, forKey: .leaseSeconds) ?? 600
        reclaimEverySeconds = try container.decodeIfPresent(Int.self, forKey: .reclaimEverySeconds) ?? 5
        sessionHours = try container.decodeIfPresent(Int.self, forKey: .sessionHours) ?? 168
        maxUploadBytes = try container.decodeIfPresent(Int.self, forKey: .maxUploadBytes) ?? 20 * 1024 * 1024
        passwordHashing = try container.decodeIfPresent(String.self, forKey: .passwordHashing) ?? "interactive"
        logLevel = try container.decodeIfPresent(String.self, forKey: .logLevel) ?? "info"
        listen = try container.decodeIfPresent(String.self, forKey: .listen) ?? ""
        secureCookies = try container.decodeIfPresent(Bool.self, forKey: .secureCookies) ?? false
        fileSending = try container.decodeIfPresent(FileSending.self, forKey: .fileSending) ?? .accelRedirect
    }
}
