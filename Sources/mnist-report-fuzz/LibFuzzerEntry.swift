#if FUZZING
// libFuzzer's entry points, compiled only into the fuzzing build (`-D FUZZING`, with
// `-sanitize=fuzzer`): libFuzzer supplies `main` and calls these. The plain build has
// `FuzzCommand` instead.

/// Called once before fuzzing: checks `$FUZZ_TARGET` and loads the target's fixtures.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>?,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    FuzzTarget.selected.prepare()
    return 0
}

/// Called for every input: runs the selected harness; 0 keeps the input eligible for the corpus.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    FuzzTarget.selected.run(bytes)
    return 0
}
#endif
