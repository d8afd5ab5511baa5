/// The DPO report's charts, drawn from its counts: what each LA contributes, what each table holds,
/// and each LA's loads over the collection years.
extension DPOReport {
    /// Regional rows per LA, over every table (current loads).
    public var rowsPerLAChart: BarChart {
        var rows: [String: Int] = [:]
        for count in rowCounts { rows[count.la, default: 0] += count.rows }
        return BarChart(title: "Rows per LA (current loads)",
                        summary: "Horizontal bars, one per LA, its length the rows the LA's current loads put into the regional tables.",
                        bars: rows.keys.sorted().map { BarChart.Bar(label: laLabel($0), value: rows[$0]!) })
    }

    /// Regional rows per table, over every LA (current loads), in the schema's order of tables.
    public var rowsPerTableChart: BarChart {
        var order: [String] = []
        var rows: [String: Int] = [:]
        for count in rowCounts {
            if rows[count.table] == nil { order.append(count.table) }
            rows[count.table, default: 0] += count.rows
        }
        return BarChart(title: "Rows per table (current loads)",
                        summary: "Horizontal bars, one per regional table holding rows, its length the rows it holds over every LA.",
                        bars: order.map { BarChart.Bar(label: $0, value: rows[$0]!) })
    }

    /// Input rows loaded per LA and collection year, from the `loads` ledger: one group per LA, one bar per year.
    public var loadedRowsOverTimeChart: BarChart {
        var order: [String] = []
        var bars: [String: [BarChart.Bar]] = [:]
        for entry in loadedRows {
            if bars[entry.la] == nil { order.append(entry.la) }
            bars[entry.la, default: []].append(BarChart.Bar(label: ValidationReport.yearLabel(entry.collectionYear), value: entry.rows))
        }
        return BarChart(title: "Rows loaded per LA and collection year (loads ledger)",
                        summary: "Horizontal bars grouped by LA, one per collection year, its length the input rows loaded "
                            + "(rows_loaded of the LA's current loads of that year, every collection together).",
                        groups: order.map { BarChart.Group(label: laLabel($0), bars: bars[$0]!) })
    }

    /// An LA's code and, when the code list has it, its name.
    func laLabel(_ la: String) -> String {
        laNames[la].map { "\(la) \($0)" } ?? la
    }
}
