/// The session cookie: HttpOnly (no script reads it), SameSite=Lax, the whole site.
public enum SessionCookie {
    public static let name = "tt_session"

    public static func set(_ token: String, maxAge seconds: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(seconds); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    public static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }
}
