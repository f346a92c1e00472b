/// Facts about the engine itself.
public enum Engine {
    /// Bumped whenever a change alters the numbers a training produces, so cached trainings
    /// of an older engine are not reused.
    public static let version = "1"
}
