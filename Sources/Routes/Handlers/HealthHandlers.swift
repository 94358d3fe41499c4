/// `/api/healthz`: the worker answers and the database answers.
enum HealthHandlers {
    static func health(_ context: RequestContext) throws -> Response {
        struct Health: Encodable {
            let status: String
            let database: String
        }
        guard context.store.db.ping() else {
            return try .json(Health(status: "degraded", database: "unreachable"), status: 503)
        }
        return try .json(Health(status: "ok", database: "ok"))
    }
}
