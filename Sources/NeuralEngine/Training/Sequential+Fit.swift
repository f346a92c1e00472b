import Dispatch

extension Sequential {
    /// Trains the model as Keras's `fit` does: every epoch shuffles the training items, walks
    /// them in batches (the last one smaller), applies `optimizer` after each batch, and
    /// evaluates `validation` at the end. Training loss and accuracy are the running means over
    /// the epoch's items.
    ///
    /// - Parameters:
    ///   - x: inputs, shape [N] + inputShape.
    ///   - y: one-hot labels, shape [N, classes].
    ///   - stepsPerEpoch: as Keras's `steps_per_epoch`: train on only the first this many batches
    ///     of each (shuffled) epoch; nil for every batch.
    ///   - validationSteps: as Keras's `validation_steps`: validate on only the first this many
    ///     batches of `batchSize` validation items; nil for all of them.
    ///   - generator: drives shuffling, dropout and augmentation.
    /// - Returns: the per-epoch history (with the learning rate when `optimizer` follows a
    ///   schedule) and the seconds each epoch took.
    @discardableResult
    public func fit(
        x: Tensor, y: Tensor,
        batchSize: Int = 32, epochs: Int = 1,
        optimizer: any Optimizer,
        loss: CategoricalCrossentropy = CategoricalCrossentropy(),
        validationData: (x: Tensor, y: Tensor)? = nil,
        shuffle: Bool = true,
        stepsPerEpoch: Int? = nil, validationSteps: Int? = nil,
        using generator: inout some RandomNumberGenerator,
        callbacks: FitCallbacks = FitCallbacks()
    ) throws -> (history: History, secondsPerEpoch: [Double]) {
        guard isBuilt else { throw EngineError.notBuilt }
        guard batchSize > 0 else { throw EngineError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard epochs >= 0 else { throw EngineError.invalidArgument("epochs must be ≥ 0, got \(epochs)") }
        guard x.batchSize == y.batchSize, x.batchSize > 0 else {
            throw EngineError.invalidArgument("x has \(x.batchSize) items but y has \(y.batchSize)")
        }
        guard Array(x.shape.dropFirst()) == inputShape else {
            throw EngineError.incompatibleShape(layer: "input", expected: "\(inputShape)", got: Array(x.shape.dropFirst()))
        }
        let floatingPointState = Denormals.flush()
        defer { Denormals.restore(floatingPointState) }
        for (name, steps) in [("steps per epoch", stepsPerEpoch), ("validation steps", validationSteps)] {
            if let steps, steps < 1 { throw EngineError.invalidArgument("\(name) must be at least 1, got \(steps)") }
        }
        let count = x.batchSize
        let batches = min((count + batchSize - 1) / batchSize, stepsPerEpoch ?? .max)
        let parameters = self.parameters
        var history = History()
        var seconds: [Double] = []
        for epoch in 1...max(epochs, 1) where epochs > 0 {
            let start = DispatchTime.now().uptimeNanoseconds
            let order = shuffle ? shuffledIndices(count: count, using: &generator) : Array(0..<count)
            var lossSum = 0.0, correct = 0, seen = 0
            for b in 0..<batches {
                let indices = order[(b * batchSize)..<min((b + 1) * batchSize, count)]
                let xb = x.gather(items: indices)
                let yb = y.gather(items: indices)
                let p = forward(xb, training: true, using: &generator)
                let (batchLoss, batchCorrect) = loss.sumAndCorrect(probabilities: p, labels: yb)
                let penalty = Double(regularizationLoss())
                lossSum += batchLoss + penalty * Double(indices.count)
                correct += batchCorrect
                seen += indices.count
                // As Keras's TerminateOnNaN: nothing useful comes of training on from here.
                guard lossSum.isFinite else { throw EngineError.diverged(epoch: epoch, batch: b + 1, loss: lossSum) }
                if endsInSoftmax {
                    backward(loss.logitGradient(probabilities: p, labels: yb), isLogitGradient: true, addingPenalties: false)
                } else {
                    backward(loss.probabilityGradient(probabilities: p, labels: yb), addingPenalties: false)
                }
                optimizer.apply(to: parameters, addingPenalties: true)
                callbacks.batchEnded?(FitProgress(
                    epoch: epoch, epochs: epochs, batch: b + 1, batches: batches,
                    loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                    elapsed: Self.seconds(since: start)))
            }
            history.loss.append(lossSum / Double(seen))
            history.accuracy.append(Double(correct) / Double(seen))
            if optimizer.schedule != nil {
                history.learningRate = (history.learningRate ?? []) + [Double(optimizer.currentLearningRate)]
            }
            var validation: Evaluation?
            if let data = validationData {
                let items = min(data.x.batchSize, validationSteps.map { $0 * batchSize } ?? .max)
                let result = items == data.x.batchSize
                    ? try evaluate(x: data.x, y: data.y, loss: loss)
                    : try evaluate(x: data.x.slice(items: 0..<items), y: data.y.slice(items: 0..<items), loss: loss)
                history.valLoss.append(result.loss)
                history.valAccuracy.append(result.accuracy)
                validation = result
            }
            let elapsed = Self.seconds(since: start)
            seconds.append(elapsed)
            callbacks.epochEnded?(EpochSummary(
                epoch: epoch, epochs: epochs, loss: history.loss.last!, accuracy: history.accuracy.last!,
                validation: validation, seconds: elapsed))
        }
        return (history, seconds)
    }

    /// Loss (cross-entropy plus penalties, as Keras reports it) and accuracy on `x`, `y`.
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 500,
                         loss: CategoricalCrossentropy = CategoricalCrossentropy()) throws -> Evaluation {
        let floatingPointState = Denormals.flush()
        defer { Denormals.restore(floatingPointState) }
        let p = try predict(x, batchSize: batchSize)
        guard p.shape == y.shape else {
            throw EngineError.invalidArgument("labels have shape \(y.shape) but the model predicts \(p.shape)")
        }
        let (sum, correct) = loss.sumAndCorrect(probabilities: p, labels: y)
        let n = Double(max(x.batchSize, 1))
        return Evaluation(loss: sum / n + Double(regularizationLoss()), accuracy: Double(correct) / n,
                          clipped: loss.clippedCount(probabilities: p, labels: y))
    }

    /// The model's outputs (class probabilities for a softmax model) for every item of `x`,
    /// computed in batches of `batchSize` in inference mode (no dropout).
    public func predict(_ x: Tensor, batchSize: Int = 500) throws -> Tensor {
        guard isBuilt else { throw EngineError.notBuilt }
        guard Array(x.shape.dropFirst()) == inputShape else {
            throw EngineError.incompatibleShape(layer: "input", expected: "\(inputShape)", got: Array(x.shape.dropFirst()))
        }
        let floatingPointState = Denormals.flush()
        defer { Denormals.restore(floatingPointState) }
        var unused = SeededGenerator(seed: 0)
        let count = x.batchSize
        var out = [Float]()
        out.reserveCapacity(count * outputShape.reduce(1, *))
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            out += forward(x.slice(items: start..<end), training: false, using: &unused).scalars
            start = end
        }
        return Tensor(shape: [count] + outputShape, scalars: out)
    }

    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
