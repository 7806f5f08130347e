import Optimization

/// The package's seeded generator, ``Optimization/SplitMix64`` (its one definition, in the lowest
/// module, where multi-start seeds need it), under LawfitCore's name: plugins, simulators and
/// tests that import only LawfitCore draw from the same stream.
public typealias SplitMix64 = Optimization.SplitMix64

/// Standard normals by Box-Muller, ``Optimization/BoxMuller``, under LawfitCore's name.
public typealias BoxMuller = Optimization.BoxMuller
