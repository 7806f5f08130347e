import Testing
@testable import ScheduleLaws
