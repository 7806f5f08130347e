import Testing
@testable import TwoPhaseLaw
