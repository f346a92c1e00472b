/// The numbers the assignment's original Keras notebook reported (DAT565 Assignment 7, as
/// listed in the project's ASSIGNMENT.md), so the report can set each result beside them.
public enum Notebook {
    /// Section 2.3: test accuracy after 10 epochs, and validation accuracy per epoch.
    public static let mlp64TestAccuracy = 0.9731
    public static let mlp64ValidationAccuracy = [0.9271, 0.9425, 0.9495, 0.9570, 0.9618, 0.9632, 0.9609, 0.9694, 0.9725, 0.9731]
    public static let mlp64TrainingAccuracy = (first: 0.8628, last: 0.9779)
    /// Section 2.3 trained by Keras 3.15.1 on TensorFlow-CPU 2.21 on the development machine, seeds 1–8
    /// (`scripts/keras_mlp64_reference.py`): Keras's own spread, against which the notebook's
    /// single 0.9731 is one draw.
    public static let kerasMlp64Seeds = [0.9706, 0.9688, 0.9671, 0.9693, 0.9699, 0.9715, 0.9702, 0.9699]
    /// Section 2.4: the single run with L2 = 1e-5, and the spread the notebook quotes.
    public static let mlp500TestAccuracy = 0.9815
    public static let mlp500Spread = (low: 0.981, high: 0.984)
    /// The sweep: numpy.linspace(1e-6, 1e-3, 5) and the means ± standard deviations over 3 replicates.
    public static let sweepFactors: [Float] = [1e-6, 2.5075e-4, 5.005e-4, 7.5025e-4, 1e-3]
    public static let sweepMeans = [0.98177, 0.98190, 0.98087, 0.98153, 0.98013]
    public static let sweepStandardDeviations = [0.00034, 0.00080, 0.00158, 0.00029, 0.00113]
    public static let sweepReplicates = 3
    /// Section 3.1's aim: 99 % validation accuracy.
    public static let targetAccuracy = 0.99
    /// Section 3.1: LeNet-5 variant after 40 epochs.
    public static let lenet5TestAccuracy = 0.9919
    /// Reference points from the MNIST page (LeCun et al.).
    public static let hinton500300 = 0.9847
    public static let lenet5Published = 0.9905
    /// The parameter counts of the notebook's three architectures, derived from their layers
    /// (ASSIGNMENT.md spells the sums out; the notebook itself prints no count). Tests check the
    /// engine's models against them.
    public static let parameters = (mlp64: 55_050, mlp500: 545_810, lenet5: 61_706)
}
