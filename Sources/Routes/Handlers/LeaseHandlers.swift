import Foundation
import MariaStore
import Marketplace

/// Taskers take work (a lease on the next image), give it back, and hand in results.
enum LeaseHandlers {
    static func take(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireCycleTasker()
        let taken = try context.work.take(
            jobID: try context.id("jobId"), taskerID: tasker.id,
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
        try context.work.release(id: try context.id("leaseId"), taskerID: tasker.id)
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
    /// tasker's next lease in the job (`TrainAndNextView`), or why there is none: one round
    /// trip per image instead of two, which a phone on a slow network feels.
    static func submit(_ context: RequestContext) throws -> Response {
        let tasker = try context.requireCycleTasker()
        let takesNext = try context.flag("next")
        let input = try context.decode(TrainInput.self)
        let boxes = (input.boxes ?? []).map {
            Box(x: $0.x.value, y: $0.y.value, w: $0.w.value, h: $0.h.value, label: $0.label ?? "")
        }
        let handedIn = try context.work.handIn(
            leaseID: try context.id("leaseId"), by: tasker.id,
            TrainSubmission(boxes: boxes, nothingToMark: input.nothingToMark ?? false),
            nextLeaseSeconds: takesNext ? context.services.config.leaseSeconds : nil, session: tasker.session)
        let (train, status): (Train, Int)
        switch handedIn.submitted {
        case .new(let stored): (train, status) = (stored, 201)
        case .repeated(let stored): (train, status) = (stored, 200)
        }
        switch handedIn.next {
        case nil:
            return try .json(TrainView(train), status: status)
        case .success(let next):
            return try .json(TrainAndNextView(train: TrainView(train), next: LeaseView(next), nextError: nil), status: status)
        case .failure(let error):
            // The result is stored: the answer says so, and why no next lease came.
            let refusal = APIError.from(error, logger: context.logger)
            return try .json(
                TrainAndNextView(
                    train: TrainView(train), next: nil,
                    nextError: .init(code: refusal.code, message: refusal.message)),
                status: status)
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
