import Testing
@testable import ChinchillaLaw
