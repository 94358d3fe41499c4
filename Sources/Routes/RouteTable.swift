/// Every route of the JSON API, on one screen. `openapi.yaml` describes the same list;
/// a test keeps the two in step.
public enum RouteTable {
    public static func router() -> Router {
        var router = Router()
        router.get("/api/healthz", HealthHandlers.health)
        router.get("/healthz", HealthHandlers.health)

        router.post("/api/auth/register", AccountHandlers.register)
        router.post("/api/auth/login", AccountHandlers.login)
        router.post("/api/auth/logout", AccountHandlers.logout)
        router.get("/api/me", AccountHandlers.me)
        router.get("/api/me/ledger", AccountHandlers.ledger)
        router.get("/api/me/earnings", AccountHandlers.earnings)
        router.get("/api/me/results", AccountHandlers.results)
        router.get("/api/me/accuracy", QualityHandlers.myAccuracy)

        router.get("/api/open-jobs", JobHandlers.openJobs)
        router.post("/api/jobs", JobHandlers.create)
        router.get("/api/jobs", JobHandlers.list)
        router.get("/api/jobs/{jobId}", JobHandlers.show)
        router.patch("/api/jobs/{jobId}", JobHandlers.update)
        router.post("/api/jobs/{jobId}/activate", JobHandlers.activate)
        router.post("/api/jobs/{jobId}/pause", JobHandlers.pause)
        router.post("/api/jobs/{jobId}/resume", JobHandlers.resume)
        router.post("/api/jobs/{jobId}/finish", JobHandlers.finish)
        router.post("/api/jobs/{jobId}/top-up", JobHandlers.topUp)

        router.post("/api/jobs/{jobId}/images", body: .upload, ImageHandlers.upload)
        router.get("/api/jobs/{jobId}/tasks", ImageHandlers.list)
        router.get("/api/tasks/{taskId}", ImageHandlers.show)
        router.get("/api/tasks/{taskId}/image", ImageHandlers.image)

        router.post("/api/jobs/{jobId}/leases", LeaseHandlers.take)
        router.get("/api/leases/{leaseId}", LeaseHandlers.show)
        router.delete("/api/leases/{leaseId}", LeaseHandlers.release)
        router.post("/api/leases/{leaseId}/train", LeaseHandlers.submit)

        router.get("/api/jobs/{jobId}/trains", ResultHandlers.perJob)
        router.get("/api/tasks/{taskId}/trains", ResultHandlers.perTask)
        router.get("/api/jobs/{jobId}/review", ReviewHandlers.summary)
        router.post("/api/jobs/{jobId}/review", ReviewHandlers.decide)

        router.put("/api/jobs/{jobId}/tasks/{taskId}/gold", GoldHandlers.mark)
        router.delete("/api/jobs/{jobId}/tasks/{taskId}/gold", GoldHandlers.unmark)
        router.post("/api/jobs/{jobId}/gold/coco", GoldHandlers.importCOCO)
        router.get("/api/jobs/{jobId}/tasks/{taskId}/consensus", QualityHandlers.consensus)
        router.get("/api/jobs/{jobId}/taskers", QualityHandlers.taskers)
        router.post("/api/jobs/{jobId}/taskers/{taskerId}/block", QualityHandlers.block)
        router.delete("/api/jobs/{jobId}/taskers/{taskerId}/block", QualityHandlers.unblock)

        router.get("/api/payouts", PayoutHandlers.list)
        router.post("/api/payouts", PayoutHandlers.request)

        // Legacy protocol: /Server.aph?Command=... (and /server.aph/?Command=..., the same
        // route: literal segments match case-insensitively, a trailing slash is ignored).
        router.get("/Server.aph", LegacyEndpoint.handle)
        router.post(
            "/Server.aph", body: .uploadWhen(query: "Command", isOneOf: LegacyEndpoint.uploadCommands),
            LegacyEndpoint.handle)

        // Results export
        router.get("/api/jobs/{jobId}/stats", StatsHandlers.show)
        router.get("/api/jobs/{jobId}/export", ExportHandlers.export)
        return router
    }
}
