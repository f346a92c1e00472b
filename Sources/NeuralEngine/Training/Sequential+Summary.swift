extension Sequential {
    /// Keras's summary table of the built model (`ModelDescription.summary`'s format).
    public func summary() -> String {
        ModelDescription.summary(name: name, rows: layers.map { ($0.name, $0.typeName, $0.outputShape, $0.parameterCount + $0.nonTrainableCount) },
                                 trainable: parameterCount, nonTrainable: nonTrainableCount)
    }

    /// 545810 → "545,810".
    public static func grouped(_ value: Int) -> String { ModelDescription.grouped(value) }
}
