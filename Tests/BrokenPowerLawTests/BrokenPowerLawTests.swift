import Testing
@testable import BrokenPowerLaw
