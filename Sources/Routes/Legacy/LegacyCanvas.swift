import MariaStore

/// The original phone app's drawing canvas, and the rule that turns the boxes it sent
/// (ReportTrain's X, Y, W, H) into pixels of the image. Pure: no I/O, unit-tested.
///
/// The app drew the image stretched over a canvas `min(500, window width)` pixels wide and
/// 60% as high, and sent the rectangle in canvas pixels. Its rectangle always contains or
/// touches the pointer, which is on the canvas, but may reach past the canvas's edges
/// (dragging moves the whole rectangle). The rule (docs/LEGACY.md):
///
/// 1. A client may declare the space (`CoordinateSpace` = `image` or `legacy-canvas`) and,
///    for canvas pixels, the canvas size (`CanvasWidth`, `CanvasHeight`; the height
///    defaults to 60% of the width). Undeclared, the canvas is 500 x 300.
/// 2. Undeclared, a box that overlaps the canvas (`x < cw`, `y < ch`, `x + w > 0`,
///    `y + h > 0`) is in canvas pixels, as the protocol defines: the part on the canvas is
///    kept and scaled by `image width / cw` and `image height / ch`.
/// 3. Undeclared, a box that does not overlap the canvas cannot have come from the app:
///    it is read as image pixels.
/// 4. Either way the result is clipped to the image, its edges rounded to 1/100 pixel;
///    nothing left (no area inside the image) is refused.
///
/// A 500 x 300 image is the same in both spaces (scale 1); such a box is still recorded as
/// `legacy-canvas`, because that is where it came from.
enum LegacyCanvas {
    struct Size: Equatable {
        var width: Double
        var height: Double
    }

    struct Rect: Equatable {
        var x: Double
        var y: Double
        var w: Double
        var h: Double
    }

    /// The canvas of the original app on any screen at least 500 px wide.
    static let standard = Size(width: 500, height: 300)

    /// A canvas of the given width (60% as high unless a height is given); nil when a
    /// value is not a usable size.
    static func canvas(width: Double?, height: Double?) -> Size? {
        guard let width else { return height == nil ? standard : nil }
        let height = height ?? width * 0.6
        guard width.isFinite, height.isFinite, (1...10_000).contains(width), (1...10_000).contains(height) else { return nil }
        return Size(width: width, height: height)
    }

    /// The space an undeclared box is in (rules 2 and 3).
    static func space(of box: Rect, canvas: Size = standard) -> CoordinateSpace {
        let box = box.normalized
        let overlaps = box.x < canvas.width && box.y < canvas.height && box.x + box.w > 0 && box.y + box.h > 0
        return overlaps ? .legacyCanvas : .image
    }

    /// The box in image pixels and the space it arrived in; nil when the box has no area
    /// inside the image (or a value is not finite).
    static func imageBox(
        _ box: Rect, declared: CoordinateSpace?, image: Size,
        canvas: Size = standard
    ) -> (box: Rect, space: CoordinateSpace)? {
        guard [box.x, box.y, box.w, box.h].allSatisfy(\.isFinite), image.width > 0, image.height > 0 else { return nil }
        let box = box.normalized
        let space = declared ?? self.space(of: box, canvas: canvas)
        var inImage = box
        if space == .legacyCanvas {
            guard let onCanvas = box.clipped(to: canvas) else { return nil }
            let sx = image.width / canvas.width
            let sy = image.height / canvas.height
            inImage = Rect(x: onCanvas.x * sx, y: onCanvas.y * sy, w: onCanvas.w * sx, h: onCanvas.h * sy)
        }
        guard let result = inImage.clipped(to: image)?.roundedInside(image) else { return nil }
        return (result, space)
    }
}

extension LegacyCanvas.Rect {
    /// The same rectangle with a positive width and height (a negative size reaches left or up).
    var normalized: Self {
        var rect = self
        if rect.w < 0 {
            rect.x += rect.w
            rect.w = -rect.w
        }
        if rect.h < 0 {
            rect.y += rect.h
            rect.h = -rect.h
        }
        return rect
    }

    /// The part inside `0...width` x `0...height`, or nil when no area is left.
    func clipped(to size: LegacyCanvas.Size) -> Self? {
        let left = Swift.max(0, x)
        let top = Swift.max(0, y)
        let right = Swift.min(size.width, x + w)
        let bottom = Swift.min(size.height, y + h)
        guard right > left, bottom > top else { return nil }
        return Self(x: left, y: top, w: right - left, h: bottom - top)
    }

    /// Edges rounded to 1/100 pixel, still inside the image (`x + w <= width` holds in
    /// floating point, as the store checks it); nil when rounding leaves no area.
    func roundedInside(_ size: LegacyCanvas.Size) -> Self? {
        func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        let left = round(x)
        let top = round(y)
        var width = round(x + w) - left
        var height = round(y + h) - top
        width = round(width)
        height = round(height)
        while width > 0 && left + width > size.width { width = width.nextDown }
        while height > 0 && top + height > size.height { height = height.nextDown }
        guard width > 0, height > 0 else { return nil }
        return Self(x: left, y: top, w: width, h: height)
    }
}
