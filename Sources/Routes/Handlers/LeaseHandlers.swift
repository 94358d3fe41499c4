import Foundation
import MariaStore

/// Taskers take work (a lease on the next image), give it back, and hand in results.
enum LeaseHandlers {
    static func take(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireCycleTasker()
        let taken = try context.store.leases.take(jobID: try context.id("jobId"), taskerID: tasker.id,
                                                  seconds: context.services.config.leaseSeconds, session: tasker.session)
        switch taken {
        case .new(let lease): return try .json(LeaseView(lease), status: 201)
        case .existing(let lease): return try .json(LeaseView(lease), status: 200)
        }
    }

    static func show(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireUser()
        return try .json(LeaseView(try context.store.leases.owned(id: try context.id("leaseId"), by: tasker.id)))
    }

    static func release(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireUser()
        try context.store.leases.release(id: try context.id("leaseId"), taskerID: tasker.id)
        return .noContent
    }

    struct TrainInput: Decodable {
        let boxes: [BoxInput]?
        let nothingToMark: Bool?
    }

    /// A box as sent: numbers or numeric strings.
    struct BoxInput: Decodable {
        let x: FlexibleNumber
        let y: FlexibleNumber
        let w: FlexibleNumber
        let h: FlexibleNumber
        let label: String?
    }

    /// `POST /api/leases/{leaseId}/train`. With `?next=true` the answer also holds the
    /// tasker's next lease in the job (`TrainAndNextView`): one round trip per image
    /// instead of two, which a phone on a slow network feels.
    static func submit(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireCycleTasker()
        let takesNext = try context.flag("next")
        let input = try context.decode(TrainInput.self)
        let leaseID = try context.id("leaseId")
        let lease = try context.store.leases.toSubmit(id: leaseID, by: tasker.id)
        let boxes = (input.boxes ?? []).map {
            Box(x: $0.x.value, y: $0.y.value, w: $0.w.value, h: $0.h.value,
                label: $0.label ?? (lease.labels.count == 1 ? lease.labels[0] : ""))
        }
        let submission = TrainSubmission(boxes: boxes, nothingToMark: input.nothingToMark ?? false)
        guard takesNext else {
            let (train, status) = stored(try context.store.trains.submit(to: lease, by: tasker.id, submission,
                                                                         session: tasker.session))
            return try .json(TrainView(train), status: status)
        }
        let (submitted, next) = try context.store.trains.submitAndTakeNext(
            to: lease, by: tasker.id, submission, seconds: context.services.config.leaseSeconds, session: tasker.session)
        let (train, status) = stored(submitted)
        guard let next else {
            return try .json(trainAndNext(train, jobID: lease.jobID, tasker: tasker, context: context), status: status)
        }
        return try .json(TrainAndNextView(train: TrainView(train), next: LeaseView(next), nextError: nil), status: status)
    }

    /// The train a submission stored, and its status: 201 when stored now, 200 for a repeat.
    private static func stored(_ submitted: Trains.Submitted) -> (Train, Int) {
        switch submitted {
        case .new(let train): return (train, 201)
        case .repeated(let train): return (train, 200)
        }
    }

    /// The stored train and the next lease, taken as `POST /api/jobs/{jobId}/leases` would
    /// (a retried submission gets the lease it got the first time, still live), when the
    /// submission itself brought none. When there is no next lease, `nextError` says why,
    /// as that route's error would; that includes a failure of the database (`busy`,
    /// `database_unavailable`), since the train is stored by then and the answer
    /// must say so.
    static func trainAndNext(_ train: Train, jobID: Int64, tasker: RequestContext.CycleTasker,
                             context: RequestContext) -> TrainAndNextView {
        do {
            let next: Lease
            switch try context.store.leases.take(jobID: jobID, taskerID: tasker.id,
                                                 seconds: context.services.config.leaseSeconds, session: tasker.session) {
            case .new(let lease), .existing(let lease): next = lease
            }
            return TrainAndNextView(train: TrainView(train), next: LeaseView(next), nextError: nil)
        } catch {
            let refusal = APIError.from(error, logger: context.logger)
            return TrainAndNextView(train: TrainView(train), next: nil,
                                    nextError: .init(code: refusal.code, message: refusal.message))
        }
    }
}

/// A JSON number, or a string holding one (the original clients sent both).
struct FlexibleNumber: Decodable {
    let value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a number")
            }
            value = number
        } else {
            throw DecodingError.typeMismatch(Double.self, .init(codingPath: decoder.codingPath, debugDescription: "a number"))
        }
    }
}
