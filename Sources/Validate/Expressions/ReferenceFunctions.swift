import RCCCore

/// What conditions read from the ONS Postcode Directory and Ofsted's provider list (`--reference DIR`):
///
/// | name | gives | needs |
/// | --- | --- | --- |
/// | `postcode_found(P)` | whether postcode P is in the directory (blank when P is blank) | postcodes |
/// | `placement_la(P)` | the LA of postcode P as the DfE derives `PL_LA`: the upper-tier LA's ONS code, or SCO, NIR, WAL (blank when not found) | postcodes |
/// | `distance_tenths(H, P)` | the distance from postcode H to P, in tenths of a mile, as the DfE derives `PL_DISTANCE` (blank when either is not found) | postcodes |
/// | `provider_found(U)` | whether URN U is on Ofsted's list | ofsted |
/// | `provider_places(U)` | the placement codes the provider may take (a list; empty when not listed) | ofsted |
/// | `provider_codes(U)` | its placement provider codes (PR0-PR5; a list) | ofsted |
/// | `provider_end(U)` | the date its registration ended (blank when it has not, or is not listed) | ofsted |
/// | `provider_postcode_is(U, P)` | whether the provider's postcode is P, spaces aside (false when not listed) | ofsted |
/// | `provider_la(U)` | the LA of the provider's postcode, as `placement_la` gives it (the validator's `LA_CODE_INFERRED`; blank when not listed or its postcode is not found) | ofsted, postcodes |
///
/// A rule using them says `needs: [postcodes]` or `needs: [ofsted]`; without the data it does not run.
enum ReferenceFunctions {
    static let postcodes: Set<String> = ["postcode_found", "placement_la", "distance_tenths"]
    static let ofsted: Set<String> = ["provider_found", "provider_places", "provider_codes", "provider_end", "provider_postcode_is",
                                      "provider_la"]

    /// The function `name`, or nil for any other name.
    static func compile(_ name: String, _ arguments: [Expression], with compiler: inout ExpressionCompiler) throws -> CompiledExpression.Evaluate? {
        guard postcodes.contains(name) || ofsted.contains(name) else { return nil }
        let arity = name == "distance_tenths" || name == "provider_postcode_is" ? 2 : 1
        guard arguments.count == arity else { throw compiler.fail("\(name)() takes \(arity) argument\(arity == 1 ? "" : "s")") }
        let compiled = try arguments.map { try compiler.compile($0) }
        func text(_ value: Value) -> String? {
            switch value {
            case .text(let s): s.isEmpty ? nil : s
            case .number(let n): String(n)
            default: nil
            }
        }
        let a = compiled[0], b = compiled.count > 1 ? compiled[1] : compiled[0]
        switch name {
        case "postcode_found":
            return { row, context in
                guard let postcodes = context.postcodes, let p = text(a(row, context)) else { return .null }
                return .bool(postcodes.place(p) != nil)
            }
        case "placement_la":
            return { row, context in
                context.postcodes?.placementLA(text(a(row, context))).map(Value.text) ?? .null
            }
        case "distance_tenths":
            return { row, context in
                context.postcodes?.distanceTenths(text(a(row, context)), text(b(row, context))).map(Value.number) ?? .null
            }
        case "provider_found":
            return { row, context in
                guard let providers = context.providers, let urn = text(a(row, context)) else { return .null }
                return .bool(providers.provider(urn) != nil)
            }
        case "provider_places", "provider_codes":
            let places = name == "provider_places"
            return { row, context in
                guard let providers = context.providers, let urn = text(a(row, context)) else { return .null }
                let provider = providers.provider(urn)
                return .list(((places ? provider?.placeCodes : provider?.providerCodes) ?? []).map(Value.text))
            }
        case "provider_la":
            return { row, context in
                guard let postcodes = context.postcodes, let provider = context.providers?.provider(text(a(row, context))) else { return .null }
                return postcodes.placementLA(provider.postcode).map(Value.text) ?? .null
            }
        case "provider_end":
            return { row, context in
                guard let end = context.providers?.provider(text(a(row, context)))?.registrationEnd else { return .null }
                return CivilDate(iso: end).map(Value.date) ?? .null
            }
        default: // provider_postcode_is
            return { row, context in
                guard let providers = context.providers, let urn = text(a(row, context)),
                      let postcode = ProviderList.postcode(text(b(row, context))) else { return .null }
                return .bool(providers.provider(urn)?.postcode == postcode)
            }
        }
    }
}
