import ArgumentParser
import Foundation
import MariaStore

/// Jobs.

struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the jobs.")
    @OptionGroup var instance: InstanceOptions

    func run() throws {
        let jobs = try instance.store().jobs.all()
        print(["id", "state", "requester", "name", "bounty", "budget", "left", "images", "trains"].joined(separator: "\t"))
        for job in jobs {
            print(
                [
                    "\(job.id)", job.state.rawValue, "\(job.requesterID)", TerminalText.shown(job.name), "\(job.bounty)",
                    "\(job.budget)",
                    "\(job.budgetLeft)", "\(job.imageCount)", "\(job.trainCount)",
                ].joined(separator: "\t"))
        }
    }
}
