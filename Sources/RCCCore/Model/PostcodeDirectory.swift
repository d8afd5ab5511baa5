import Foundation
import Yams

/// The part of the ONS Postcode Directory a return needs (`needs: [postcodes]`, `--reference DIR` with
/// DIR/postcodes/): for each postcode the return names, its LA district and county and its OS grid
/// reference. What the DfE rules read is derived as csc-validator-be-903 derives it (its datastore.py):
///
/// - placement LA (`PL_LA`): the upper-tier LA of the postcode's district (its county where it has one,
///   else the district itself), or SCO, NIR, WAL for a district in Scotland, Northern Ireland, Wales;
/// - placement distance (`PL_DISTANCE`): the straight line between the home and placement postcodes' grid
///   references, in miles (metres / 1000 / 1.6093), to one decimal, kept here as tenths of a mile.
///
/// Postcodes are held by a packed key (upper case, no spaces, at most 8 characters), never logged.
public final class PostcodeDirectory {
    public struct Place: Sendable, Equatable {
        public var district: String
        public var county: String?
        public var easting: Int?
        public var northing: Int?

        public init(district: String, county: String?, easting: Int?, northing: Int?) {
            self.district = district
            self.county = county
            self.easting = easting
            self.northing = northing
        }
    }

    private var places: [UInt64: Place] = [:]
    /// The postcodes kept (nil: every one added).
    private let wanted: Set<UInt64>?
    /// Rows of the directory read, and postcodes kept.
    public private(set) var rowsRead = 0
    public var count: Int { places.count }

    public init(wanted: Set<UInt64>? = nil) { self.wanted = wanted }

    /// A postcode's packed key: upper case, spaces dropped, letters and digits only, 5 to 8 of them; nil otherwise.
    public static func key<S: StringProtocol>(_ raw: S?) -> UInt64? {
        guard let raw else { return nil }
        var key: UInt64 = 0, n = 0
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"): key = key << 8 | UInt64(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): key = key << 8 | UInt64(byte)
            default: return nil
            }
            n += 1
            if n > 8 { return nil }
        }
        return n >= 5 ? key : nil
    }

    /// Adds a row of the directory; kept only when its postcode is wanted.
    public func add(postcode: String?, place: Place) {
        rowsRead += 1
        guard let key = Self.key(postcode), wanted?.contains(key) ?? true else { return }
        places[key] = place
    }

    /// The directory's entry for a postcode as the return writes it; nil when blank or not in it.
    public func place(_ raw: String?) -> Place? {
        guard let key = Self.key(raw) else { return nil }
        return places[key]
    }

    /// The placement LA the validator derives (`PL_LA`): SCO, NIR or WAL outside England, else the
    /// county, else the district (a unitary authority); nil when the postcode is not in the directory.
    public func placementLA(_ raw: String?) -> String? {
        guard let place = place(raw) else { return nil }
        switch place.district.first {
        case "S": return "SCO"
        case "N": return "NIR"
        case "W": return "WAL"
        default: break
        }
        if let county = place.county, !county.isEmpty, !county.hasSuffix("99999999") { return county }
        return place.district
    }

    /// The distance from `home` to `placement` in tenths of a mile, rounded as the validator rounds
    /// (half to even); nil when either postcode or its grid reference is missing.
    public func distanceTenths(_ home: String?, _ placement: String?) -> Int? {
        guard let a = place(home), let b = place(placement),
              let ax = a.easting, let ay = a.northing, let bx = b.easting, let by = b.northing else { return nil }
        let dx = Double(ax - bx), dy = Double(ay - by)
        let miles = (dx * dx + dy * dy).squareRoot() / 1000 / 1.6093
        return Int((miles * 10).rounded(.toNearestOrEven))
    }
}

/// How rcc reads a kind of reference data from its folder under `--reference DIR`: the columns it
/// needs, each found by the first of its names present in the header (`schemas/reference/*.yaml`).
public struct ReferenceSpec: Sendable, Codable {
    public var id: String
    public var folder: String
    public var columns: [String: [String]]
    public var required: [String]
    /// For postcodes: the return's fields whose postcodes are looked up.
    public var returnFields: [String]?
    /// For dates in the file: the formats tried, in order (Foundation patterns, e.g. dd/MM/yyyy).
    public var dateFormats: [String]?

    enum CodingKeys: String, CodingKey {
        case id, folder, columns, required
        case returnFields = "return_fields"
        case dateFormats = "date_formats"
    }

    /// `schemas/reference/ID.yaml` under the schemas folder `root`.
    public static func load(_ id: String, root: String) throws -> ReferenceSpec {
        let path = ((root as NSString).appendingPathComponent("reference") as NSString).appendingPathComponent(id + ".yaml")
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw RCCError(.schema, "no reference spec \(path)")
        }
        do {
            return try YAMLDecoder().decode(ReferenceSpec.self, from: text)
        } catch {
            throw RCCError(.schema, "reference spec \(path) is not valid: \(error)")
        }
    }

    /// Where each column sits in `header` (by name, any case); throws naming a required column missing.
    public func positions(in header: [String], file: String) throws -> [String: Int] {
        let lowered = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var found: [String: Int] = [:]
        for (column, names) in columns {
            if let i = names.lazy.compactMap({ lowered.firstIndex(of: $0.lowercased()) }).first { found[column] = i }
        }
        let missing = required.filter { found[$0] == nil }
        if !missing.isEmpty {
            throw RCCError(.format, "\(file) is not a \(id) file rcc reads: no "
                           + missing.map { "\($0) (\(columns[$0]?.joined(separator: " or ") ?? $0))" }.joined(separator: ", ") + " column")
        }
        return found
    }
}

/// Ofsted's list of social care providers as the DfE rules read it (`needs: [ofsted]`, `--reference DIR`
/// with DIR/ofsted/), by URN: the placement and provider codes it may take, when its registration ended,
/// its postcode. As csc-validator-be-903 builds its `provider_info` from Ofsted's children's homes and
/// social care providers lists (ingress.py); a few thousand rows, held in memory for the run.
public final class ProviderList {
    public struct Provider: Sendable, Equatable {
        public var placeCodes: [String]
        public var providerCodes: [String]
        /// The registration's end (closure), ISO; nil while registered.
        public var registrationEnd: String?
        /// Upper case, no spaces.
        public var postcode: String?

        public init(placeCodes: [String], providerCodes: [String], registrationEnd: String?, postcode: String?) {
            self.placeCodes = placeCodes
            self.providerCodes = providerCodes
            self.registrationEnd = registrationEnd
            self.postcode = postcode
        }
    }

    private var providers: [String: Provider] = [:]
    public var count: Int { providers.count }

    public init() {}

    /// A URN as compared: trimmed, upper case.
    static func urn(_ raw: String?) -> String? {
        guard let trimmed = raw?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed.uppercased()
    }

    /// Codes as the lists give them: separated by commas or slashes, trimmed, upper case.
    public static func codes(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: { $0 == "," || $0 == "/" }).map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .filter { !$0.isEmpty }
    }

    /// A postcode as compared: upper case, no spaces.
    public static func postcode(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let squeezed = raw.uppercased().filter { $0 != " " }
        return squeezed.isEmpty ? nil : squeezed
    }

    /// Adds a provider; a URN listed twice keeps the codes of both and the later registration end.
    public func add(urn raw: String?, _ provider: Provider) {
        guard let urn = Self.urn(raw) else { return }
        if var known = providers[urn] {
            known.placeCodes += provider.placeCodes.filter { !known.placeCodes.contains($0) }
            known.providerCodes += provider.providerCodes.filter { !known.providerCodes.contains($0) }
            if known.registrationEnd != nil, provider.registrationEnd == nil || provider.registrationEnd! > known.registrationEnd! {
                known.registrationEnd = provider.registrationEnd
            }
            known.postcode = known.postcode ?? provider.postcode
            providers[urn] = known
        } else {
            providers[urn] = provider
        }
    }

    public func provider(_ urn: String?) -> Provider? { Self.urn(urn).flatMap { providers[$0] } }

    /// The providers' postcodes (packed, see `PostcodeDirectory.key`): the directory keeps them too, for
    /// the rules that derive a provider's LA from its postcode (`provider_la`).
    public var postcodeKeys: Set<UInt64> { Set(providers.values.compactMap { PostcodeDirectory.key($0.postcode) }) }
}

extension ReferenceSpec {
    /// A row given by its columns' names (as a rule's case gives it), by role (`postcode`, `district`…).
    public func roles(of row: [String: String]) -> (String) -> String? {
        let lowered = Dictionary(row.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        return { role in
            for name in columns[role] ?? [] { if let value = lowered[name.lowercased()] { return value.isEmpty ? nil : value } }
            return nil
        }
    }
}

extension PostcodeDirectory {
    /// Adds a row of the directory given by role (see `schemas/reference/postcodes.yaml`).
    public func add(_ role: (String) -> String?) {
        guard let district = role("district") else { rowsRead += 1; return }
        add(postcode: role("postcode"), place: Place(district: district, county: role("county"),
                                                     easting: role("easting").flatMap { Int($0) },
                                                     northing: role("northing").flatMap { Int($0) }))
    }
}

extension ProviderList {
    /// Adds a row of the list given by role (see `schemas/reference/ofsted.yaml`).
    public func add(_ role: (String) -> String?) {
        add(urn: role("urn"), Provider(placeCodes: Self.codes(role("place_codes")), providerCodes: Self.codes(role("provider_codes")),
                                       registrationEnd: Self.isoDate(role("registration_end")), postcode: Self.postcode(role("postcode"))))
    }

    /// A date as Ofsted's lists write it (31/03/2025, 2025-03-31, either with a time after it), as ISO.
    public static func isoDate(_ raw: String?) -> String? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        let day = raw.split(separator: " ").first.map(String.init) ?? raw
        let iso = day.count > 10 ? String(day.prefix(10)) : day
        if CivilDate(iso: iso) != nil { return iso }
        let parts = day.split(separator: "/")
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
           let date = CivilDate(year: y, month: m, day: d) {
            return date.iso
        }
        return nil
    }
}
