import Foundation
import MariaStore

/// `GET /api/jobs/{jobId}/export?format=coco|yolo|voc|csv|jsonl[&only=finished][&results=consensus]`:
/// a job's results as a download, for its requester only: each tasker's results (`raw`), or
/// one set of boxes per image, its consensus (`ImageConsensus`). The body is streamed: it starts as
/// soon as the first page is read and the worker's memory stays flat whatever the size
/// of the job (see `ExportJob`, `ZipStream`).
enum ExportHandlers {
    static func export(_ context: RequestContext) throws -> Response {
        let requester = try context.require(.requester)
        let job = try context.store.jobs.owned(id: try context.id("jobId"), by: requester.id)
        let format = try ExportFormat(query: context.request.query["format"])
        let onlyFinished = try ExportFormat.onlyFinished(query: context.request.query["only"])
        let results = try ExportResults(query: context.request.query["results"])
        var export = ExportJob(
            job: job, scope: try context.store.exports.scope(jobID: job.id, onlyFinished: onlyFinished),
            store: context.store, images: context.services.images,
            temporaryDirectory: URL(fileURLWithPath: context.services.config.dataDirectory).appendingPathComponent("tmp"),
            logger: context.logger, started: Date())
        export.results = results
        let filename = format.filename(jobID: job.id, onlyFinished: onlyFinished, results: results)

        if context.request.method == "HEAD" {
            // No body is sent for HEAD, so the stream below would never run to free its place.
            return Response.streamed(
                contentType: format.contentType,
                filename: filename
            ) { _ in }
        }
        try ExportGate.shared.enter()
        let response = Response.streamed(
            contentType: format.contentType,
            filename: filename
        ) { write in
            defer { ExportGate.shared.leave() }
            // The sink (which keeps `write`) must not outlive this call.
            let bytes = try withoutActuallyEscaping(write) { write -> UInt64 in
                let sink = ExportSink(write)
                switch format {
                case .coco: try COCOExport(export: export).write(to: sink)
                case .yolo: try YOLOExport(export: export).write(to: sink)
                case .voc: try VOCExport(export: export).write(to: sink)
                case .csv where results == .consensus: try ConsensusRowsExport(export: export).writeCSV(to: sink)
                case .jsonl where results == .consensus: try ConsensusRowsExport(export: export).writeJSONLines(to: sink)
                case .csv: try TrainsExport(export: export).writeCSV(to: sink)
                case .jsonl: try TrainsExport(export: export).writeJSONLines(to: sink)
                }
                try sink.flush()
                return sink.count
            }
            let seconds = Date().timeIntervalSince(export.started)
            export.logger.info(
                "export done",
                metadata: [
                    "job": "\(job.id)", "format": "\(format.rawValue)", "onlyFinished": "\(onlyFinished)",
                    "bytes": "\(bytes)", "seconds": "\(String(format: "%.2f", seconds))",
                ])
        }
        // nginx buffers (and spools to disk) what the client has not read yet, so that a
        // slow download does not hold a worker thread; it still sends each piece at once.
        return response
    }
}
