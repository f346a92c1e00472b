import CKernels

extension ConvolutionGeometry {
    /// The sizes as the C kernels of the direct algorithms take them (`kernels_convolution`).
    ///
    /// - Parameters:
    ///   - frameRow: values from one row of the padded frame to the next.
    ///   - planarWidth: the single-channel rows' planar row length (0 for other algorithms).
    ///   - paddedRun: the filter vectors' transposed kernel row length (0 for other algorithms).
    func kernelShape(frameRow: Int, planarWidth: Int = 0, paddedRun: Int = 0) -> kernels_convolution {
        kernels_convolution(kernel_height: kernelHeight, kernel_width: kernelWidth, channels: channels, filters: filters,
                            stride_y: strideY, stride_x: strideX, output_height: outputHeight, output_width: outputWidth,
                            frame_row: frameRow, planar_width: planarWidth, padded_run: paddedRun)
    }
}
