import Foundation

/// What every request shares, whatever the thread: the settings and the services built
/// from them, among them what the process remembers of leases and sessions for all its
/// threads (`WorkCycle(store:sharing:)`).
public struct Services: Sendable {
    public let config: ServerConfig
    public let passwords: PasswordHasher
    public let images: ImageStore
    /// A hash to check unknown emails against, so that they take as long as known ones.
    public let decoyPasswordHash: String
    /// The leases this process handed out lately, for all its threads.
    public let handedOutLeases = HandedOutLeases()
    /// The sessions this process found live lately, for all its threads.
    public let sessionHints = SessionHints()
    /// The jobs' gold plans and the taskers' counts in them, for all its threads.
    public let goldPlans = GoldPlans()
    /// Images with a new result, for the quality thread.
    public let qualityQueue = QualityQueue()

    public init(config: ServerConfig) {
        self.config = config
        passwords = PasswordHasher(strength: config.passwordHashing == "moderate" ? .moderate : .interactive)
        decoyPasswordHash = (try? passwords.hash(SessionToken.generate())) ?? ""
        images = ImageStore(root: URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("images"))
    }
}
