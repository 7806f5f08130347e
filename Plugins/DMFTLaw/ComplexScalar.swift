import Numerics

// Mixed real-complex arithmetic for the DMFT solver (swift-numerics defines only Complex-Complex).

@inline(__always) func * (lhs: Complex<Double>, rhs: Double) -> Complex<Double> {
    Complex(lhs.real * rhs, lhs.imaginary * rhs)
}

@inline(__always) func * (lhs: Double, rhs: Complex<Double>) -> Complex<Double> {
    Complex(lhs * rhs.real, lhs * rhs.imaginary)
}

@inline(__always) func / (lhs: Complex<Double>, rhs: Double) -> Complex<Double> {
    Complex(lhs.real / rhs, lhs.imaginary / rhs)
}

@inline(__always) func / (lhs: Double, rhs: Complex<Double>) -> Complex<Double> {
    Complex(lhs, 0) / rhs
}

@inline(__always) func + (lhs: Double, rhs: Complex<Double>) -> Complex<Double> {
    Complex(lhs + rhs.real, rhs.imaginary)
}

@inline(__always) func - (lhs: Double, rhs: Complex<Double>) -> Complex<Double> {
    Complex(lhs - rhs.real, -rhs.imaginary)
}
