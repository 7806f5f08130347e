import Foundation

/// A minimal SVG chart writer: linear or log axes with ticks, lines, points, shaded x ranges and a
/// legend. Output is deterministic text (fixed number formatting) with no script and no external
/// resource.
public struct SVGPlot: Sendable {
    /// An axis scale.
    public enum Scale: Sendable, Hashable {
        case linear
        case log
    }

    /// One drawn element.
    public enum Mark: Sendable, Hashable {
        /// A polyline; `dashed` for extrapolated or held-out parts.
        case line(x: [Double], y: [Double], color: String, dashed: Bool, label: String?)
        /// Markers; `hollow` draws rings instead of discs.
        case points(x: [Double], y: [Double], color: String, hollow: Bool, label: String?)
        /// A filled band between `lower` and `upper`.
        case band(x: [Double], lower: [Double], upper: [Double], color: String)
        /// A shaded vertical strip x in [from, to] with a caption.
        case region(from: Double, to: Double, label: String)
        /// A horizontal reference line.
        case horizontal(y: Double, color: String)
        /// A legend entry only (a line, dashed or not, or a marker, hollow or not), drawn nowhere else.
        case key(label: String, color: String, line: Bool, dashedOrHollow: Bool)
    }

    /// Where the legend goes.
    public enum LegendPlacement: Sendable, Hashable {
        /// In the plot's top right corner, at most 34 characters an entry (longer ones are shortened, ``legendLabel(_:characters:)``).
        case inside
        /// In a column right of the plot, every entry (the figure grows taller when they need it).
        case outside
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var width: Double = 640
    public var height: Double = 400
    public var marks: [Mark] = []
    /// Fixed axis ranges in data units; nil: from the marks (lines, points, reference lines; bands
    /// only with ``bandsSetRange``), padded by 4 %.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    /// Whether interval bands widen the automatic y range (off: a runaway band cannot squash the data).
    public var bandsSetRange = false
    public var legendPlacement = LegendPlacement.inside
    /// Marker radius in pixels.
    public var pointRadius = 3.0
    /// Width of the legend column with ``LegendPlacement/outside``.
    static let legendColumn = 230.0

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
    }

    var margin: (left: Double, right: Double, top: Double, bottom: Double) {
        (left: 70.0, right: legendPlacement == .outside ? Self.legendColumn : 20.0, top: 34.0, bottom: 50.0)
    }

    /// The figure's height: ``height``, or taller when an outside legend needs the room.
    var figureHeight: Double {
        legendPlacement == .outside ? max(height, margin.top + Double(legendEntries().count) * 15 + 20) : height
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let (xRange, yRange) = ranges()
        let height = figureHeight
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + plotWidth * (transform(x, xScale) - xRange.0) / (xRange.1 - xRange.0) }
        func py(_ y: Double) -> Double { margin.top + plotHeight * (1 - (transform(y, yScale) - yRange.0) / (yRange.1 - yRange.0)) }
        func drawable(_ x: Double, _ y: Double) -> Bool {
            x.isFinite && y.isFinite && (xScale == .linear || x > 0) && (yScale == .linear || y > 0)
        }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<defs><clipPath id=\"\(clipID)\"><rect x=\"\(f(margin.left))\" y=\"\(f(margin.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\"/></clipPath></defs>",
            "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(title))</text>",
        ]
        out += ticks(range: xRange, scale: xScale).map { t in
            let x = px(t)
            return "<line x1=\"\(f(x))\" y1=\"\(f(margin.top))\" x2=\"\(f(x))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#e4e4e4\"/><text x=\"\(f(x))\" y=\"\(f(margin.top + plotHeight + 15))\" text-anchor=\"middle\">\(tickLabel(t, xScale))</text>"
        }
        out += ticks(range: yRange, scale: yScale).map { t in
            let y = py(t)
            return "<line x1=\"\(f(margin.left))\" y1=\"\(f(y))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e4e4e4\"/><text x=\"\(f(margin.left - 5))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(tickLabel(t, yScale))</text>"
        }
        out.append("<g clip-path=\"url(#\(clipID))\">")
        for mark in marks {
            switch mark {
            case .region(let from, let to, let label):
                let a = xScale == .log && from <= 0 ? margin.left : px(from), b = px(to)
                let left = min(max(a, margin.left), margin.left + plotWidth), right = min(max(b, margin.left), margin.left + plotWidth)
                out.append("<rect x=\"\(f(left))\" y=\"\(f(margin.top))\" width=\"\(f(max(right - left, 0)))\" height=\"\(f(plotHeight))\" fill=\"#f2d7a6\" fill-opacity=\"0.45\"/>")
                out.append("<text x=\"\(f(left + 4))\" y=\"\(f(margin.top + plotHeight - 6))\" fill=\"#8a5a00\">\(Self.escape(label))</text>")
            case .band(let x, let lower, let upper, let color):
                let upperPath = zip(x, upper).filter { drawable($0, $1) }.map { "\(f(px($0))),\(f(py($1)))" }
                let lowerPath = zip(x, lower).filter { drawable($0, $1) }.reversed().map { "\(f(px($0))),\(f(py($1)))" }
                if !upperPath.isEmpty && !lowerPath.isEmpty {
                    out.append("<polygon points=\"\((upperPath + lowerPath).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.22\" stroke=\"\(color)\" stroke-opacity=\"0.35\" stroke-width=\"0.6\"/>")
                }
            case .line(let x, let y, let color, let dashed, _):
                let path = zip(x, y).filter { drawable($0, $1) }.map { "\(f(px($0))),\(f(py($1)))" }
                if path.count >= 2 {
                    out.append("<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
                }
            case .points(let x, let y, let color, let hollow, _):
                for (a, b) in zip(x, y) where drawable(a, b) {
                    out.append("<circle cx=\"\(f(px(a)))\" cy=\"\(f(py(b)))\" r=\"\(String(format: "%g", pointRadius))\" \(hollow ? "fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"" : "fill=\"\(color)\"")/>")
                }
            case .key: break
            case .horizontal(let y, let color):
                out.append("<line x1=\"\(f(margin.left))\" y1=\"\(f(py(y)))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(py(y)))\" stroke=\"\(color)\" stroke-dasharray=\"3 3\"/>")
            }
        }
        out.append("</g>")
        out.append("<rect x=\"\(f(margin.left))\" y=\"\(f(margin.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333\"/>")
        out.append("<text x=\"\(f(margin.left + plotWidth / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>")
        out.append("<text x=\"14\" y=\"\(f(margin.top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(margin.top + plotHeight / 2)))\">\(Self.escape(yLabel))</text>")
        out += legend()
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// A stable id for the clip path (unique per plot content within a page).
    var clipID: String {
        var hash: UInt64 = 1469598103934665603
        for byte in (title + xLabel + yLabel).utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return "clip\(String(hash, radix: 16))"
    }

    /// Legend entries in mark order: label, colour, whether a line, dashed (line) or hollow (marker).
    func legendEntries() -> [(label: String, color: String, line: Bool, dashedOrHollow: Bool)] {
        var entries: [(label: String, color: String, line: Bool, dashedOrHollow: Bool)] = []
        for mark in marks {
            switch mark {
            case .line(_, _, let color, let dashed, let label?): entries.append((label, color, true, dashed))
            case .points(_, _, let color, let hollow, let label?): entries.append((label, color, false, hollow))
            case .key(let label, let color, let line, let style): entries.append((label, color, line, style))
            default: break
            }
        }
        return entries
    }

    private func legend() -> [String] {
        let entries = legendEntries()
        guard !entries.isEmpty else { return [] }
        let outside = legendPlacement == .outside
        let boxWidth = outside ? Self.legendColumn - 16 : 220
        let x0 = outside ? width - Self.legendColumn + 16 : width - margin.right - 220, y0 = margin.top + 8
        let characters = outside ? 30 : 34
        var out = ["<rect x=\"\(f(x0 - 6))\" y=\"\(f(y0 - 6))\" width=\"\(f(boxWidth))\" height=\"\(f(Double(entries.count) * 15 + 8))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>"]
        for (k, entry) in entries.enumerated() {
            let y = y0 + Double(k) * 15 + 4
            if entry.2 {
                out.append("<line x1=\"\(f(x0))\" y1=\"\(f(y))\" x2=\"\(f(x0 + 18))\" y2=\"\(f(y))\" stroke=\"\(entry.1)\" stroke-width=\"2\"\(entry.3 ? " stroke-dasharray=\"4 3\"" : "")/>")
            } else {
                out.append("<circle cx=\"\(f(x0 + 9))\" cy=\"\(f(y))\" r=\"3\" \(entry.3 ? "fill=\"white\" stroke=\"\(entry.1)\"" : "fill=\"\(entry.1)\"")/>")
            }
            let label = Self.legendLabel(entry.0, characters: characters)
            let title = label == entry.0 ? "" : "<title>\(Self.escape(entry.0))</title>"
            out.append("<text x=\"\(f(x0 + 24))\" y=\"\(f(y + 4))\">\(title)\(Self.escape(label))</text>")
        }
        return out
    }

    /// A legend entry cut to `characters`: a trailing qualifier in parentheses ("(held out)") is kept
    /// whole and the name before it shortened with an ellipsis, so long run names still say which
    /// runs were held out; the full text goes into the entry's tooltip.
    static func legendLabel(_ text: String, characters: Int) -> String {
        guard text.count > characters else { return text }
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("), open > text.startIndex {
            let qualifier = text[open...]
            let room = characters - qualifier.count - 2
            if room >= 8 { return String(text[..<open].prefix(room)) + "… " + qualifier }
        }
        return String(text.prefix(characters - 1)) + "…"
    }

    /// Data ranges in transformed coordinates (log10 for log axes), padded by 4 %.
    func ranges() -> ((Double, Double), (Double, Double)) {
        let (x, y) = automaticRanges()
        func limited(_ limits: ClosedRange<Double>?, _ scale: Scale, _ automatic: (Double, Double)) -> (Double, Double) {
            guard let limits, limits.lowerBound.isFinite, limits.upperBound.isFinite, limits.upperBound > limits.lowerBound,
                scale == .linear || limits.lowerBound > 0
            else { return automatic }
            return (transform(limits.lowerBound, scale), transform(limits.upperBound, scale))
        }
        return (limited(xLimits, xScale, x), limited(yLimits, yScale, y))
    }

    private func automaticRanges() -> ((Double, Double), (Double, Double)) {
        var xs: [Double] = [], ys: [Double] = []
        for mark in marks {
            switch mark {
            case .line(let x, let y, _, _, _), .points(let x, let y, _, _, _):
                for (a, b) in zip(x, y) where a.isFinite && b.isFinite && (xScale == .linear || a > 0) && (yScale == .linear || b > 0) {
                    xs.append(a)
                    ys.append(b)
                }
            case .band(let x, let lower, let upper, _):
                for (a, (l, u)) in zip(x, zip(lower, upper)) where bandsSetRange && a.isFinite && l.isFinite && u.isFinite && (xScale == .linear || a > 0) && (yScale == .linear || l > 0) {
                    xs.append(a)
                    ys += [l, u]
                }
            case .horizontal(let y, _):
                if y.isFinite { ys.append(y) }
            case .region, .key: break
            }
        }
        return (padded(xs.map { transform($0, xScale) }), padded(ys.map { transform($0, yScale) }))
    }

    private func padded(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        let span = high > low ? high - low : max(abs(low), 1) * 0.1
        return (low - 0.04 * span, high + 0.04 * span)
    }

    func transform(_ v: Double, _ scale: Scale) -> Double { scale == .log ? Foundation.log10(v) : v }

    /// Tick positions in data units: powers of ten on log axes (with 2 and 5 under two decades, with
    /// 2, 3, 4, 5, 6, 8 under one), 1-2-5 steps on linear axes.
    func ticks(range: (Double, Double), scale: Scale) -> [Double] {
        switch scale {
        case .log:
            let low = Int(range.0.rounded(.down)), high = Int(range.1.rounded(.up))
            let span = range.1 - range.0
            let multipliers: [Double] = span < 1 ? [1, 2, 3, 4, 5, 6, 8] : span < 2 ? [1, 2, 5] : [1]
            var out: [Double] = []
            var decade = low
            while decade <= high {
                for m in multipliers {
                    let v = m * Foundation.pow(10, Double(decade))
                    let t = Foundation.log10(v)
                    if t >= range.0 && t <= range.1 { out.append(v) }
                }
                decade += max(1, (high - low) / 8)
            }
            return out
        case .linear:
            let span = range.1 - range.0
            guard span > 0 else { return [range.0] }
            let raw = span / 6, magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
            let first = Int((range.0 / step).rounded(.up)), last = Int((range.1 / step + 1e-9).rounded(.down))
            guard first <= last else { return [] }
            // k * step, rounded to the step's decimals so that labels and tests see 0.6, not 0.6000000000000001.
            let decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
            let scale = Foundation.pow(10, Double(decimals))
            return (first...last).map { k in (Double(k) * step * scale).rounded() / scale }
        }
    }

    func tickLabel(_ v: Double, _ scale: Scale) -> String {
        if scale == .log {
            let e = Foundation.log10(v)
            if abs(e - e.rounded()) < 1e-9, abs(e) >= 3 { return "1e\(Int(e.rounded()))" }
        }
        if v != 0, abs(v) >= 1e4 || abs(v) < 1e-3 { return String(format: "%.0e", v) }
        return String(format: "%g", v)
    }

    func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// XML-escapes text.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
