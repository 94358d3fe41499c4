import MariaStore

/// `POST /api/jobs/{jobId}/top-up`: the slots opened, what they cost, and the job after.
struct TopUpView: Encodable {
    let slotsOpened: Int
    let charged: Money
    let job: JobView
}
