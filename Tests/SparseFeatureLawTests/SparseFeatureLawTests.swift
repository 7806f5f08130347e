import Testing
@testable import SparseFeatureLaw
