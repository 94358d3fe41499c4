import Foundation

/// The answer to `POST /api/leases/{leaseId}/train?next=true`: the stored train, and the
/// tasker's next lease in the same job or, when there is none, why not (the code and
/// message `POST /api/jobs/{jobId}/leases` would have answered, e.g. `no_work`).
struct TrainAndNextView: Encodable {
    struct Refusal: Encodable {
        let code: String
        let message: String
    }

    let train: TrainView
    let next: LeaseView?
    let nextError: Refusal?

    enum CodingKeys: String, CodingKey { case train, next, nextError }

    /// `next` and `nextError` are always present, one of them null.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(train, forKey: .train)
        try container.encode(next, forKey: .next)
        try container.encode(nextError, forKey: .nextError)
    }
}
