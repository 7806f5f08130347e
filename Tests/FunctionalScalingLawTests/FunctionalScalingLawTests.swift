import Testing
@testable import FunctionalScalingLaw
