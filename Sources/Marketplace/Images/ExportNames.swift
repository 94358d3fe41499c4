import MariaStore

/// The names an export gives a task's image: `<taskId>_<first 12 hex digits of its
/// SHA-256>.<extension of its type>`, e.g. `1042_9f86d081884c.png`. Always unique in a
/// job (the task id), safe as a path inside an archive (no user text), and the same in
/// every format, so that COCO, YOLO, VOC, CSV and JSON Lines exports line up. The
/// uploader's own file name is kept as `original_filename` (COCO) and `filename` (CSV).
public enum ExportNames {
    public static func image(_ task: TaskRecord) -> String {
        "\(stem(task)).\(fileExtension(mimeType: task.mimeType))"
    }

    public static func stem(_ task: TaskRecord) -> String {
        "\(task.id)_\(SessionToken.hex(task.sha256).prefix(12))"
    }

    public static func fileExtension(mimeType: String) -> String {
        switch mimeType {
        case "image/png": return "png"
        case "image/jpeg": return "jpg"
        case "image/webp": return "webp"
        default: return "bin"
        }
    }

    /// A label as one line of a plain-text list (`classes.txt`): line breaks and other
    /// control characters become spaces.
    public static func singleLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    $0.properties.generalCategory == .control ? " " : $0
                }))
    }
}
