// libFuzzer target: KernelSpec.parse(_:registry:) with the built-in kernels, on arbitrary text.
// An accepted kernel must have 1...maximumModes modes and give finite eigenvalues and target
// powers at its first and last mode.
// Contract: a kernel or a LawfitError; never traps.
import Foundation
import LawfitCore

private let registry: PluginRegistry = {
    let registry = PluginRegistry()
    try! BuiltinSchedules.register(into: registry)
    return registry
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKernelSpec(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count <= 4096 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let kernel: any SpectralKernel
    do {
        kernel = try KernelSpec.parse(text, registry: registry)
    } catch is LawfitError {
        return 0
    } catch {
        fatalError("KernelSpec threw a non-LawfitError: \(error)")
    }
    if kernel.modes < 1 || kernel.modes > KernelSpec.maximumModes { fatalError("'\(text)' was accepted with \(kernel.modes) modes") }
    for j in [1, kernel.modes] {
        let lambda = kernel.eigenvalue(j), power = kernel.targetPower(j)
        if !(lambda.isFinite && power.isFinite) { fatalError("'\(text)' gives eigenvalue \(lambda), target power \(power) at mode \(j)") }
    }
    return 0
}
