/// A horizontal bar chart, drawn as inline SVG for pages that run no scripts and fetch nothing.
///
/// Each bar has its label on its left and its number printed at its end, so the chart reads on
/// paper and without colour. The SVG carries a `<title>` and a `<desc>` for screen readers, and each
/// bar a `<title>` with its label and number. Bars may be grouped (an LA's collection years), each
/// group under a heading of its own. Every text is escaped.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Int
        public init(label: String, value: Int) { self.label = label; self.value = value }
    }

    public struct Group: Sendable, Equatable {
        /// The group's heading; nil for the single group of an ungrouped chart.
        public var label: String?
        public var bars: [Bar]
        public init(label: String?, bars: [Bar]) { self.label = label; self.bars = bars }
    }

    public var title: String
    /// What the chart shows, in a sentence: the SVG's `<desc>`.
    public var summary: String
    public var groups: [Group]

    public init(title: String, summary: String, groups: [Group]) {
        self.title = title; self.summary = summary; self.groups = groups
    }

    public init(title: String, summary: String, bars: [Bar]) {
        self.init(title: title, summary: summary, groups: [Group(label: nil, bars: bars)])
    }

    public var isEmpty: Bool { groups.allSatisfy(\.bars.isEmpty) }

    /// Labels longer than this are cut, with an ellipsis; the bar's `<title>` keeps the whole label.
    static let maxLabelCharacters = 44
    static let width = 720
    static let rowHeight = 22
    static let barHeight = 14
    /// Room after the longest bar for its number.
    static let numberWidth = 64
    /// A generous width of one character of the 12-pixel labels, so that labels are not clipped.
    static let characterWidth = 7

    /// The style rules a page holding charts adds to its own: charts shrink to narrow windows and are
    /// not split across printed pages.
    public static let css = """
        figure.chart { margin: 0.8em 0 1.2em; } figure.chart figcaption { font-weight: 600; margin-bottom: 0.3em; }
        svg.chart { max-width: 100%; height: auto; display: block; }
        @media print { figure.chart { break-inside: avoid; page-break-inside: avoid; } }
        """

    /// The chart in a `<figure>`, its title as the caption. `id` is as for `svg(id:)`.
    public func figure(id: String) -> String {
        "<figure class=\"chart\">\n<figcaption>\(HTMLText.escape(title))</figcaption>\n" + svg(id: id) + "</figure>\n"
    }

    /// The chart as an `<svg>` element. `id` must be unique in the page: it names the title and
    /// description the SVG is labelled by.
    public func svg(id: String) -> String {
        let labels = groups.flatMap { $0.bars.map(\.label) }
        let labelWidth = min(labels.map(\.count).max() ?? 0, Self.maxLabelCharacters) * Self.characterWidth + 12
        let barSpace = Self.width - labelWidth - Self.numberWidth
        let largest = max(groups.flatMap { $0.bars.map(\.value) }.max() ?? 0, 1)
        let rows = groups.reduce(0) { $0 + $1.bars.count + ($1.label == nil ? 0 : 1) }
        let height = rows * Self.rowHeight + 8
        let e = HTMLText.escape

        var svg = "<svg class=\"chart\" role=\"img\" aria-labelledby=\"\(e(id))-title \(e(id))-desc\" "
            + "viewBox=\"0 0 \(Self.width) \(height)\" width=\"\(Self.width)\" height=\"\(height)\" "
            + "font-family=\"system-ui, -apple-system, 'Segoe UI', Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<title id=\"\(e(id))-title\">\(e(title))</title>\n<desc id=\"\(e(id))-desc\">\(e(summary))</desc>\n"
        var y = 4
        for group in groups {
            if let label = group.label {
                svg += "<text x=\"0\" y=\"\(y + 15)\" font-weight=\"bold\" fill=\"#1b1b1b\">\(e(label))</text>\n"
                y += Self.rowHeight
            }
            for bar in group.bars {
                let length = bar.value <= 0 ? 0 : max(1, Int((Double(bar.value) / Double(largest) * Double(barSpace)).rounded()))
                let middle = y + Self.rowHeight / 2 + 4
                svg += "<g><text x=\"\(labelWidth - 8)\" y=\"\(middle)\" text-anchor=\"end\" fill=\"#1b1b1b\">\(e(Self.cut(bar.label)))</text>"
                svg += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + (Self.rowHeight - Self.barHeight) / 2)\" width=\"\(length)\" "
                    + "height=\"\(Self.barHeight)\" fill=\"#3d5a80\"><title>\(e(bar.label)): \(bar.value)</title></rect>"
                svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(middle)\" fill=\"#1b1b1b\">\(bar.value)</text></g>\n"
                y += Self.rowHeight
            }
        }
        svg += "</svg>\n"
        return svg
    }

    /// A label cut to the width the chart gives labels.
    static func cut(_ label: String) -> String {
        label.count <= maxLabelCharacters ? label : String(label.prefix(maxLabelCharacters - 1)) + "…"
    }
}
