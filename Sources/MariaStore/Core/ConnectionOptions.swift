/// Where and how to reach MariaDB. Decoded from the `database` object of the worker's
/// configuration file.
public struct ConnectionOptions: Codable, Sendable {
    /// A unix socket path; when empty, `host` and `port` are used.
    public var socket: String
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    /// The database (schema) name.
    public var name: String

    public init(
        socket: String = "", host: String = "127.0.0.1", port: Int = 3306,
        user: String, password: String, name: String
    ) {
        self.socket = socket
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.name = name
    }

    /// Missing or empty `host`/`port`/`socket`/`password` take their defaults.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let host = try container.decodeIfPresent(String.self, forKey: .host) ?? ""
        let port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        self.init(
            socket: try container.decodeIfPresent(String.self, forKey: .socket) ?? "",
            host: host.isEmpty ? "127.0.0.1" : host,
            port: port == 0 ? 3306 : port,
            user: try container.decode(String.self, forKey: .user),
            password: try container.decodeIfPresent(String.self, forKey: .password) ?? "",
            name: try container.decode(String.self, forKey: .name))
    }
}
