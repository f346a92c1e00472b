import Assignment
import MNIST
import Testing

/// The sizes the report states are those the reader holds files to.
@Test func theReportsSizesOfMNISTAreTheReaders() {
    #expect(Dataset.trainingCount == MNISTSplit.trainingCount)
    #expect(Dataset.testCount == MNISTSplit.testCount)
    #expect(Dataset.rows == MNISTSplit.rows && Dataset.columns == MNISTSplit.columns)
}
