/// How often a job mixes gold images into a tasker's images: one in every `early` of their
/// first `earlyImages`, then one in every `later`.
public struct GoldRate: Sendable, Equatable {
    /// The images of a window while the tasker is new to the job; 0 for no gold then.
    public var early: Int
    /// The images the early rate lasts for, rounded up to whole windows.
    public var earlyImages: Int
    /// The images of a window afterwards; 0 for no gold then.
    public var later: Int

    /// A rate; by default 1 in 10 of the first 20 images, then 1 in 20.
    public init(early: Int = 10, earlyImages: Int = 20, later: Int = 20) {
        self.early = early
        self.earlyImages = earlyImages
        self.later = later
    }
}

/// When a tasker gets a gold image.
///
/// A tasker's images in a job are cut into windows: `early` images at a time for their
/// first `earlyImages`, then `later` at a time. One image of each window is its gold slot,
/// at an offset drawn from the seed and the window's number, so the slot moves from window
/// to window and from tasker to tasker, and counting images does not tell a tasker which
/// one is gold. When gold is available, every window holds exactly one gold image.
///
/// The rule counts: the next image is gold when the tasker has reached more gold slots
/// than they were given gold images. So a slot that found no gold image (none left that
/// the tasker has not seen) is made up at the next image that finds one, and after many
/// such slots, several gold images come in a row; a caller that would rather drop them
/// counts the slots it skipped as given.
public enum GoldSchedule {
    /// True when the next image of a tasker in a job should be gold, given the images they
    /// took there so far (gold ones included), the gold images among them, the job's rate
    /// and the tasker's seed in the job (`seed(taskerID:jobID:secret:)`).
    public static func nextIsGold(imagesTaken: Int, goldGiven: Int, rate: GoldRate = GoldRate(), seed: UInt64) -> Bool {
        let position = max(0, imagesTaken)
        guard let window = Window(containing: position, rate: rate) else { return false }
        let slot = window.start + Int(mix(seed, UInt64(window.number)) % UInt64(window.size))
        let slotsReached = window.number + (position >= slot ? 1 : 0)
        return goldGiven < slotsReached
    }

    /// A seed for one tasker in one job. `secret` is a value of the server's that taskers
    /// do not know, so that knowing this rule and the ids does not tell them their slots.
    public static func seed(taskerID: Int64, jobID: Int64, secret: UInt64) -> UInt64 {
        mix(mix(secret, UInt64(bitPattern: taskerID)), UInt64(bitPattern: jobID))
    }

    /// A stretch of a tasker's images that holds one gold slot.
    private struct Window {
        /// Counted from 0 over the early windows, then the later ones.
        let number: Int
        /// The position of its first image.
        let start: Int
        /// Its images.
        let size: Int

        /// The window that holds `position`, or nil when the rate has no gold there.
        init?(containing position: Int, rate: GoldRate) {
            let earlyWindows = rate.early > 0 ? (max(0, rate.earlyImages) + rate.early - 1) / rate.early : 0
            let earlyEnd = earlyWindows * rate.early
            if position < earlyEnd {
                (number, start, size) = (position / rate.early, position / rate.early * rate.early, rate.early)
            } else if rate.later > 0 {
                let later = (position - earlyEnd) / rate.later
                (number, start, size) = (earlyWindows + later, earlyEnd + later * rate.later, rate.later)
            } else {
                return nil
            }
        }
    }

    /// SplitMix64's mixing of `value` into `seed`: every bit of both moves every bit of the
    /// result.
    private static func mix(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        var z = seed &+ (value &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
