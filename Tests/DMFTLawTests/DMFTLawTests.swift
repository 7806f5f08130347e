import Testing
@testable import DMFTLaw
