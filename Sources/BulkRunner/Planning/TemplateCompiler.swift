import Foundation
import CatalogModels

/// Turns a template's JSON text into its compiled form (``TemplateChange``, ``Site``,
/// ``Slot``), checking everything that can be checked without rows. Every error names the
/// file, line and column.
struct TemplateCompiler {
    struct Output: Sendable {
        var catalog: String
        var changes: [TemplateChange]
        var baseNames: [String]
        var sites: [Site]
        var slots: [Slot]
        var literalChecks: [LiteralCheck]
        var notes: [TemplateNote]
        var changeSetTags: [Tag]?
        var intent: Intent?
    }

    /// Keys whose whole-value placeholders become lists of strings.
    static let listKeys: Set<String> = ["BuyerAccounts", "CountryCodes", "Highlights", "SearchKeywords", "Categories", "Types"]
    /// Keys whose whole-value placeholders are parsed as JSON (arrays or objects of terms).
    static let jsonKeys: Set<String> = [
        "RateCard", "RateCards", "Terms", "Documents", "Grants", "Schedule", "DeliveryOptions",
        "AdditionalResources", "Dimensions", "PositiveTargeting", "Constraints", "Selector", "DetailsDocument",
    ]
    /// Keys whose whole-value placeholders become whole numbers.
    static let integerKeys: Set<String> = ["OffersMaxQuantity", "MaxQuantity"]

    static let annotationKeys: Set<String> = ["BulkRunnerIf", "BulkRunnerUnless", "BulkRunnerOptionalOn"]
    static let changeKeys: [String: String] = [
        "ChangeType": "ChangeType", "changeType": "ChangeType",
        "Entity": "Entity", "entity": "Entity",
        "DetailsDocument": "DetailsDocument", "detailsDocument": "DetailsDocument",
        "Details": "Details", "details": "Details",
        "ChangeName": "ChangeName", "changeName": "ChangeName",
        "EntityTags": "EntityTags", "entityTags": "EntityTags",
        "BulkRunnerIf": "BulkRunnerIf", "BulkRunnerUnless": "BulkRunnerUnless",
        "BulkRunnerOptionalOn": "BulkRunnerOptionalOn",
    ]
    static let topKeys: [String: String] = [
        "Catalog": "Catalog", "catalog": "Catalog",
        "ChangeSet": "ChangeSet", "changeSet": "ChangeSet",
        "ChangeSetName": "ChangeSetName", "changeSetName": "ChangeSetName",
        "ChangeSetTags": "ChangeSetTags", "changeSetTags": "ChangeSetTags",
        "Intent": "Intent", "intent": "Intent",
        "ClientRequestToken": "ClientRequestToken", "clientRequestToken": "ClientRequestToken",
    ]

    let file: String
    var slots: [Slot] = []
    var slotByKey: [String: Int] = [:]
    var sites: [Site] = []
    var literalChecks: [LiteralCheck] = []
    var notes: [TemplateNote] = []
    var changeNames: [String: Int] = [:]
    var referenceLocations: [(from: Int, to: Int, location: SourceLocation)] = []

    // The change being compiled.
    var currentChange = 0
    var currentEntityType: String?
    var currentReferences: Set<Int> = []
    var currentOptional: [Int] = []

    init(file: String) {
        self.file = file
    }

    // MARK: - Errors

    func error(_ location: SourceLocation, _ reason: String, _ hint: String, field: String = "") -> BulkRunnerError {
        BulkRunnerError(code: .malformedTemplate, file: file, line: location.line, column: location.column,
                        field: field, reason: reason, hint: hint)
    }

    mutating func note(_ location: SourceLocation, _ message: String) {
        notes.append(TemplateNote(file: file, line: location.line, column: location.column, message: message))
    }

    /// An object's members with the locations of their keys and of their values' strings.
    func members(_ object: JSONObject, _ locations: Locations) -> [(key: String, value: JSONValue, keyLocation: SourceLocation, locations: Locations)] {
        var offset = 0
        var out: [(key: String, value: JSONValue, keyLocation: SourceLocation, locations: Locations)] = []
        for (key, value) in object {
            let count = JSONStringLocations.tokenCount(value)
            out.append((key, value, locations.at(offset), locations.sub(offset + 1, count)))
            offset += 1 + count
        }
        return out
    }

    // MARK: - Document

    mutating func compile(source: String) throws(BulkRunnerError) -> Output {
        let bytes = Array(source.utf8)
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes)
        } catch {
            throw BulkRunnerError(code: .malformedTemplate, file: file, line: error.line, column: error.column,
                                  reason: "the template is not valid JSON: \(error.message)",
                                  hint: "a template is a StartChangeSet request body in JSON; fix the syntax at this position")
        }
        let all = Locations(JSONStringLocations.scan(bytes)[...])
        guard case .object(let top) = root else {
            throw error(SourceLocation(line: 1, column: 1), "the template is not a JSON object",
                        "a template is a StartChangeSet request body: {\"Catalog\": \"AWSMarketplace\", \"ChangeSet\": [ … ]}")
        }
        var found: [String: (value: JSONValue, keyLocation: SourceLocation, locations: Locations)] = [:]
        for member in members(top, all) {
            guard let canonical = Self.topKeys[member.key] else {
                let known = ["Catalog", "ChangeSet", "ChangeSetTags", "Intent"]
                throw error(member.keyLocation, "unknown key \"\(member.key)\" in the StartChangeSet body",
                            "the keys are \(known.joined(separator: ", "))" + Suggest.didYouMean(member.key, among: known))
            }
            if found[canonical] != nil {
                throw error(member.keyLocation, "\"\(member.key)\" is given twice (as \(canonical) in another spelling)",
                            "keep one of them")
            }
            found[canonical] = (member.value, member.keyLocation, member.locations)
        }

        var catalog = "AWSMarketplace"
        if let entry = found["Catalog"] {
            guard case .string(let text) = entry.value, !text.isEmpty,
                  !PlaceholderSyntax.mayContainPlaceholder(text) else {
                throw error(entry.locations.first, "Catalog must be a literal string such as \"AWSMarketplace\"",
                            "write \"Catalog\": \"AWSMarketplace\"")
            }
            catalog = text
        }
        if let entry = found["ChangeSetName"] {
            note(entry.keyLocation, "ChangeSetName is replaced by BulkRunner's own name (bulkrunner <run> <number>) so that each change set can be found again")
        }
        if let entry = found["ClientRequestToken"] {
            note(entry.keyLocation, "ClientRequestToken is ignored: BulkRunner derives one per change set from its content")
        }
        var tags: [Tag]?
        if let entry = found["ChangeSetTags"] {
            tags = try literalTags(entry.value, entry.locations.first, what: "ChangeSetTags")
        }
        var intent: Intent?
        if let entry = found["Intent"] {
            guard case .string(let text) = entry.value, text == "APPLY" || text == "VALIDATE" else {
                throw error(entry.locations.first, "Intent must be \"APPLY\" or \"VALIDATE\"", "remove it to apply the changes")
            }
            intent = Intent(rawValue: text)
        }

        guard let changeSet = found["ChangeSet"] else {
            throw error(SourceLocation(line: 1, column: 1), "the template has no \"ChangeSet\"",
                        "add \"ChangeSet\": [ … ] with the changes to make for each row")
        }
        guard case .array(let changeValues) = changeSet.value, !changeValues.isEmpty else {
            throw error(changeSet.keyLocation, "\"ChangeSet\" must be a non-empty array of changes",
                        "write \"ChangeSet\": [{\"ChangeType\": …, \"Entity\": {…}, \"DetailsDocument\": {…}}]")
        }
        // Element locations.
        var elements: [(value: JSONValue, locations: Locations)] = []
        var offset = 0
        for value in changeValues {
            let count = JSONStringLocations.tokenCount(value)
            elements.append((value, changeSet.locations.sub(offset, count)))
            offset += count
        }

        // ChangeNames first: references may point forward.
        var templateNames: [String?] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element.value else {
                throw error(element.locations.first.line > 0 ? element.locations.first : changeSet.keyLocation,
                            "change \(index + 1) is not a JSON object", "each change is {\"ChangeType\": …, \"Entity\": {…}, …}")
            }
            var name: String?
            for member in members(object, element.locations) where Self.changeKeys[member.key] == "ChangeName" {
                guard case .string(let text) = member.value else {
                    throw error(member.keyLocation, "ChangeName must be a string", "use letters and digits, e.g. CreateOffer")
                }
                if PlaceholderSyntax.mayContainPlaceholder(text) {
                    throw error(member.locations.first, "ChangeName cannot hold a placeholder",
                                "BulkRunner makes ChangeNames unique per row itself; write a fixed name such as CreateOffer")
                }
                if case .invalid(let problem) = ValueChecks.changeName(text) {
                    throw error(member.locations.first, "ChangeName \"\(text)\": \(problem.message)",
                                problem.hint + (problem.suggestion.map { ", e.g. \($0)" } ?? ""))
                }
                if let other = changeNames[text] {
                    throw error(member.locations.first, "ChangeName \"\(text)\" is already used by change \(other + 1)",
                                "give every change its own name")
                }
                changeNames[text] = index
                name = text
            }
            templateNames.append(name)
        }

        var changes: [TemplateChange] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element.value else { continue }
            changes.append(try compileChange(index: index, object: object, locations: element.locations,
                                             templateName: templateNames[index]))
        }

        // An optional change that others refer to must not vanish under them.
        for reference in referenceLocations {
            let target = changes[reference.to], source = changes[reference.from]
            let missing = Set(target.conditions).subtracting(source.conditions)
            if let condition = missing.first {
                let column = slots[condition.slot].name
                let when = condition.whenPresent ? "is blank" : "is not blank"
                throw error(reference.location,
                            "change \(target.index + 1) (\(target.changeType)\(target.templateName.map { " \"\($0)\"" } ?? "")) is left out of a row when \(column) \(when), but change \(source.index + 1) (\(source.changeType)) refers to it by $\(target.templateName ?? "?").Entity.Identifier",
                            "an omitted change cannot be referred to: make change \(source.index + 1) optional on the same column (\"BulkRunnerIf\": \"\(column)\" or {{\(column)?}} inside it), or make change \(target.index + 1) required")
            }
        }
        let required = changes.filter { $0.conditions.isEmpty }
        if required.count > ChangeSetLimits.maximumChanges {
            throw error(changeSet.keyLocation,
                        "the template has \(required.count) changes that every row needs; a change set holds at most \(ChangeSetLimits.maximumChanges)",
                        "split it into two templates and run them one after the other")
        }
        try checkRepeatedTargets(changes)
        return Output(catalog: catalog, changes: changes, baseNames: baseNames(changes), sites: sites, slots: slots,
                      literalChecks: literalChecks, notes: notes, changeSetTags: tags, intent: intent)
    }

    /// Two unconditional changes of the same type on the same entity cannot share a change set.
    func checkRepeatedTargets(_ changes: [TemplateChange]) throws(BulkRunnerError) {
        var seen: [String: Int] = [:]
        for change in changes where change.conditions.isEmpty {
            guard let identifier = change.identifier else { continue }
            let signature: String
            switch identifier {
            case .literal(let value): signature = "l:" + (value.stringValue ?? "")
            case .reference(let target): signature = "r:\(target)"
            case .site(let index): signature = "s:" + sites[index].parts.map(describe).joined()
            default: continue
            }
            let key = change.changeType + "|" + signature
            if let first = seen[key] {
                throw error(change.location,
                            "changes \(first + 1) and \(change.index + 1) are both \(change.changeType) on the same entity",
                            "the service refuses the same change type twice for one entity in a change set; merge them into one change")
            }
            seen[key] = change.index
        }
    }

    private func describe(_ part: TextPart) -> String {
        switch part {
        case .literal(let text): return text
        case .placeholder(let ref): return "{{#\(ref.slot)}}"
        }
    }

    /// Base ChangeNames, the name each change gets in a row before the row suffix: the
    /// template's ChangeName, else the change type, unique within the template.
    func baseNames(_ changes: [TemplateChange]) -> [String] {
        var used = Set(changes.compactMap(\.templateName))
        return changes.map { change in
            if let name = change.templateName { return name }
            var base = String(change.changeType.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
            if base.isEmpty { base = "Change" }
            if used.contains(base) { base += "C\(change.index + 1)" }
            while used.contains(base) { base += "X" }
            used.insert(base)
            return base
        }
    }

    // MARK: - Changes

    mutating func compileChange(index: Int, object: JSONObject, locations: Locations,
                                templateName: String?) throws(BulkRunnerError) -> TemplateChange {
        currentChange = index
        let firstSite = sites.count
        currentReferences = []
        currentOptional = []
        currentEntityType = nil
        let changeLocation = locations.first
        var found: [String: (value: JSONValue, keyLocation: SourceLocation, locations: Locations, key: String)] = [:]
        for member in members(object, locations) {
            guard let canonical = Self.changeKeys[member.key] else {
                let known = ["ChangeType", "Entity", "DetailsDocument", "Details", "ChangeName", "EntityTags",
                             "BulkRunnerIf", "BulkRunnerUnless", "BulkRunnerOptionalOn"]
                throw error(member.keyLocation, "unknown key \"\(member.key)\" in change \(index + 1)",
                            "a change has \(known.joined(separator: ", "))" + Suggest.didYouMean(member.key, among: known))
            }
            if found[canonical] != nil {
                throw error(member.keyLocation, "\"\(member.key)\" is given twice in change \(index + 1)", "keep one of them")
            }
            found[canonical] = (member.value, member.keyLocation, member.locations, member.key)
        }

        guard let typeEntry = found["ChangeType"] else {
            throw error(changeLocation, "change \(index + 1) has no ChangeType",
                        "add \"ChangeType\", e.g. \"CreateResaleAuthorization\" or \"UpdatePricingTerms\"")
        }
        guard case .string(let changeType) = typeEntry.value, !PlaceholderSyntax.mayContainPlaceholder(changeType) else {
            throw error(typeEntry.locations.first, "ChangeType must be a literal string",
                        "the planner needs the change type to order and check changes; write it out, e.g. \"UpdateAvailability\"")
        }
        guard let first = changeType.first, first.isASCII, first.isUppercase,
              changeType.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw error(typeEntry.locations.first, "ChangeType \"\(changeType)\" is not a change type",
                        "change types are written like CreateResaleAuthorization, UpdatePricingTerms, ReleaseOffer")
        }
        let isCreate = changeType.hasPrefix("Create")

        // Conditions of the whole change.
        var conditions: [Condition] = []
        for key in ["BulkRunnerIf", "BulkRunnerOptionalOn", "BulkRunnerUnless"] {
            guard let entry = found[key] else { continue }
            conditions.append(try condition(entry.value, key: key, location: entry.locations.first, onChange: true))
        }

        // Entity.
        guard let entityEntry = found["Entity"] else {
            throw error(changeLocation, "change \(index + 1) (\(changeType)) has no Entity",
                        "add \"Entity\": {\"Type\": \"ResaleAuthorization@1.0\", \"Identifier\": …}")
        }
        guard case .object(let entityObject) = entityEntry.value else {
            throw error(entityEntry.keyLocation, "Entity must be an object", "write \"Entity\": {\"Type\": …, \"Identifier\": …}")
        }
        var typeValue: (JSONValue, Locations)?
        var identifierValue: (JSONValue, Locations)?
        for member in members(entityObject, entityEntry.locations) {
            switch member.key {
            case "Type", "type": typeValue = (member.value, member.locations)
            case "Identifier", "identifier": identifierValue = (member.value, member.locations)
            default:
                throw error(member.keyLocation, "unknown key \"\(member.key)\" in Entity",
                            "Entity has Type and Identifier" + Suggest.didYouMean(member.key, among: ["Type", "Identifier"]))
            }
        }
        guard let (typeJSON, typeLocations) = typeValue, case .string(let typeText) = typeJSON else {
            throw error(entityEntry.keyLocation, "Entity of change \(index + 1) has no Type string",
                        "add \"Type\" with the entity type and version, e.g. \"Offer@1.0\"")
        }
        let entityType: Node
        if PlaceholderSyntax.mayContainPlaceholder(typeText) {
            var context = Context(key: "Type", path: "Entity.Type", siblings: entityObject, depth: 0)
            context.check = .entityType
            entityType = try compileValue(typeJSON, typeLocations, context)
            // `{{PRODUCT_TYPE|SaaSProduct@1.0}}`: infer checks from the default's kind.
            if case .site(let index) = entityType, let typeDefault = sites[index].whole?.defaultValue {
                currentEntityType = typeDefault
            }
        } else {
            if case .invalid(let problem) = FieldCheck.entityType(typeText) {
                throw error(typeLocations.first, "Entity.Type: \(problem.message)", problem.hint)
            }
            entityType = .literal(typeJSON)
            currentEntityType = typeText
        }

        var identifier: Node?
        if let (idJSON, idLocations) = identifierValue {
            guard case .string(let idText) = idJSON else {
                throw error(idLocations.first, "Entity.Identifier must be a string", "write the entity id, a {{Column}} or $ChangeName.Entity.Identifier")
            }
            var context = Context(key: "Identifier", path: "Entity.Identifier", siblings: entityObject, depth: 0)
            context.check = FieldCheck.identifier(entityType: currentEntityType)
            identifier = try compileValue(idJSON, idLocations, context)
            if case .reference(let target) = identifier, target == index {
                throw error(idLocations.first, "change \(index + 1) refers to itself", "refer to the change that creates the entity")
            }
            if isCreate, idText.isEmpty == false {
                note(idLocations.first, "change \(index + 1) is a \(changeType) but has an Entity.Identifier; creates usually have none")
            }
        } else if !isCreate {
            throw error(entityEntry.keyLocation, "change \(index + 1) (\(changeType)) has no Entity.Identifier",
                        "only Create… changes make new entities; give the id of the entity to change, e.g. \"Identifier\": \"{{OFFER_ID}}\", or $ChangeName.Entity.Identifier of a create in this template")
        }

        // Details.
        var details: Node?
        if found["DetailsDocument"] != nil && found["Details"] != nil {
            throw error(found["Details"]!.keyLocation, "change \(index + 1) has both Details and DetailsDocument",
                        "keep one: DetailsDocument (JSON) or Details (the same JSON as a string)")
        }
        if let entry = found["DetailsDocument"] {
            var context = Context(key: "DetailsDocument", path: "DetailsDocument", siblings: nil, depth: 0)
            context.wholeKind = .json
            details = try compileValue(entry.value, entry.locations, context)
        } else if let entry = found["Details"] {
            guard case .string(let text) = entry.value else {
                throw error(entry.keyLocation, "Details must be a string holding JSON",
                            "write the details as JSON under \"DetailsDocument\", or as a string under \"Details\"")
            }
            let inner: JSONValue
            do {
                inner = try JSONValue(detailsString: text)
            } catch {
                let at = entry.locations.first
                throw BulkRunnerError(code: .malformedTemplate, file: file, line: at.line, column: at.column,
                                      field: "Details",
                                      reason: "the Details string is not valid JSON (at its line \(error.line), column \(error.column)): \(error.message)",
                                      hint: "fix the JSON inside the string, or write it as an object under \"DetailsDocument\"")
            }
            var context = Context(key: "DetailsDocument", path: "Details", siblings: nil, depth: 0)
            context.wholeKind = .json
            details = try compileValue(inner, Locations(fixed: entry.locations.first), context)
        } else {
            note(changeLocation, "change \(index + 1) (\(changeType)) has no DetailsDocument; the service expects one (write {} when there is nothing to say)")
        }

        var entityTags: Node?
        if let entry = found["EntityTags"] {
            _ = try literalTags(entry.value, entry.locations.first, what: "EntityTags", allowPlaceholders: true)
            var context = Context(key: "EntityTags", path: "EntityTags", siblings: nil, depth: 0)
            context.wholeKind = .json
            entityTags = try compileValue(entry.value, entry.locations, context)
        }

        // `{{X?}}` anywhere in the change makes the change optional on X.
        for slot in currentOptional {
            let condition = Condition(slot: slot, whenPresent: true)
            if !conditions.contains(condition) { conditions.append(condition) }
        }
        let siteRange = firstSite..<sites.count
        // Which slots need a value: an occurrence that is not optional, has no default, and
        // is not under a condition on its own slot — on every row when it is under no condition
        // at all, else only on the rows where the conditions of its change and element hold.
        for siteIndex in siteRange {
            let site = sites[siteIndex]
            for part in site.parts {
                guard case .placeholder(let ref) = part else { continue }
                let guarded = ref.optional || ref.defaultValue != nil
                    || conditions.contains(Condition(slot: ref.slot, whenPresent: true))
                    || site.conditions.contains(Condition(slot: ref.slot, whenPresent: true))
                if guarded { continue }
                var under: [Condition] = []
                for condition in conditions + site.conditions where !under.contains(condition) { under.append(condition) }
                if under.isEmpty {
                    slots[ref.slot].required = true
                } else if !slots[ref.slot].requiredWhen.contains(under) {
                    slots[ref.slot].requiredWhen.append(under)
                }
            }
        }
        return TemplateChange(
            index: index, location: changeLocation, changeType: changeType, entityType: entityType,
            identifier: identifier, details: details, entityTags: entityTags,
            templateName: templateName, conditions: conditions,
            isCreate: isCreate, sites: siteRange, references: currentReferences)
    }

    /// A `BulkRunnerIf`/`BulkRunnerUnless`/`BulkRunnerOptionalOn` value: a column name,
    /// optionally written `{{NAME}}`.
    mutating func condition(_ value: JSONValue, key: String, location: SourceLocation,
                            onChange: Bool = false) throws(BulkRunnerError) -> Condition {
        guard case .string(var text) = value else {
            throw error(location, "\(key) must be a string naming a column", "write \"\(key)\": \"EXPIRY_DATE\"")
        }
        text = text.trimmingSpaces
        if text.hasPrefix("{{") && text.hasSuffix("}}") { text = String(text.dropFirst(2).dropLast(2)).trimmingSpaces }
        guard !text.isEmpty, !text.contains(where: { "{}|?:".contains($0) }) else {
            throw error(location, "\(key) \"\(text)\" is not a column name", "write \"\(key)\": \"EXPIRY_DATE\"")
        }
        let slot = slotFor(text, location)
        slots[slot].usedInCondition = true
        if onChange { slots[slot].usedInChangeCondition = true }
        return Condition(slot: slot, whenPresent: key != "BulkRunnerUnless")
    }

    mutating func slotFor(_ name: String, _ location: SourceLocation) -> Int {
        let key = ColumnName.normalize(name)
        if let index = slotByKey[key] { return index }
        slots.append(Slot(name: name, key: key, location: location, required: false, defaults: [], optional: false,
                          usedInCondition: false, usedInChangeCondition: false, fields: [], checks: [], kinds: []))
        slotByKey[key] = slots.count - 1
        return slots.count - 1
    }

    /// Checks a literal tag list: an array of {"Key": …, "Value": …}.
    func literalTags(_ value: JSONValue, _ location: SourceLocation, what: String,
                     allowPlaceholders: Bool = false) throws(BulkRunnerError) -> [Tag] {
        guard case .array(let elements) = value else {
            throw error(location, "\(what) must be an array of {\"Key\": …, \"Value\": …}", "write \"\(what)\": [{\"Key\": \"team\", \"Value\": \"channel\"}]")
        }
        var tags: [Tag] = []
        for element in elements {
            guard case .object(let object) = element, let key = object["Key"]?.stringValue,
                  let tagValue = object["Value"]?.stringValue, object.count == 2 else {
                throw error(location, "\(what) must be an array of {\"Key\": …, \"Value\": …}", "write \"\(what)\": [{\"Key\": \"team\", \"Value\": \"channel\"}]")
            }
            if !allowPlaceholders && (PlaceholderSyntax.mayContainPlaceholder(key) || PlaceholderSyntax.mayContainPlaceholder(tagValue)) {
                throw error(location, "\(what) cannot hold placeholders", "write the tags out")
            }
            tags.append(Tag(key: key, value: tagValue))
        }
        return tags
    }

    // MARK: - Values

    /// Where a value sits, for inferring its check and type.
    struct Context {
        var key: String
        var path: String
        var siblings: JSONObject?
        var depth: Int
        var conditions: [Condition] = []
        /// The value is an element of an array.
        var inArray = false
        /// Overrides the inferred check (Entity.Type, Entity.Identifier).
        var check: FieldCheck?
        /// The type a whole-value placeholder here takes (DetailsDocument → json).
        var wholeKind: ValueKind?

        init(key: String, path: String, siblings: JSONObject?, depth: Int) {
            self.key = key
            self.path = path
            self.siblings = siblings
            self.depth = depth
        }
    }

    func inferredCheck(_ context: Context) -> FieldCheck {
        if let check = context.check { return check }
        return FieldCheck.infer(key: context.key, siblings: context.siblings, detailsDepth: context.depth,
                                entityType: currentEntityType)
    }

    func autoKind(_ context: Context) -> ValueKind {
        if let kind = context.wholeKind { return kind }
        if context.inArray { return .string }
        if Self.listKeys.contains(context.key) { return .list }
        if Self.jsonKeys.contains(context.key) { return .json }
        if Self.integerKeys.contains(context.key) { return .integer }
        return .string
    }

    mutating func compileValue(_ value: JSONValue, _ locations: Locations, _ context: Context) throws(BulkRunnerError) -> Node {
        switch value {
        case .string(let text):
            return try compileString(text, locations.first, context)
        case .object(let object):
            var nodes: [Node.Member] = []
            var all: [Node.Member] = []
            var allLiteral = true
            var literal = JSONObject()
            for member in members(object, locations) {
                if Self.annotationKeys.contains(member.key) {
                    if context.inArray { continue }  // read by the array (element conditions)
                    throw error(member.keyLocation, "\(member.key) can only be on a change or on an object inside an array",
                                "put \"\(member.key)\" on the change to make the whole change conditional, or on an element of an array (e.g. one of Documents)")
                }
                if PlaceholderSyntax.mayContainPlaceholder(member.key) {
                    throw error(member.keyLocation, "placeholders are not allowed in keys (\"\(member.key)\")",
                                "put placeholders in string values only")
                }
                var child = Context(key: member.key, path: context.path + "." + member.key, siblings: object,
                                    depth: context.depth + 1)
                child.conditions = context.conditions
                let node = try compileValue(member.value, member.locations, child)
                all.append(Node.Member(key: member.key, node: node))
                if let value = node.literalValue {
                    literal[member.key] = value
                } else {
                    allLiteral = false
                    literal[member.key] = .null
                    nodes.append(Node.Member(key: member.key, node: node))
                }
            }
            return allLiteral ? .literal(.object(literal)) : .object(Node.ObjectNode(base: literal, computed: nodes, members: all))
        case .array(let elements):
            var nodes: [Node.Element] = []
            var allLiteral = true
            var offset = 0
            for (position, element) in elements.enumerated() {
                let count = JSONStringLocations.tokenCount(element)
                let elementLocations = locations.sub(offset, count)
                offset += count
                var conditions: [Condition] = []
                if case .object(let object) = element {
                    for member in members(object, elementLocations) where Self.annotationKeys.contains(member.key) {
                        conditions.append(try condition(member.value, key: member.key, location: member.locations.first))
                    }
                }
                var child = context
                child.path = context.path + "[\(position)]"
                child.inArray = true
                child.wholeKind = nil
                child.conditions = context.conditions + conditions
                let node = try compileValue(element, elementLocations, child)
                if node.literalValue == nil || !conditions.isEmpty { allLiteral = false }
                nodes.append(Node.Element(node: node, conditions: conditions))
            }
            if allLiteral { return .literal(.array(nodes.compactMap(\.node.literalValue))) }
            return .array(nodes)
        case .null, .bool, .number:
            return .literal(value)
        }
    }

    mutating func compileString(_ text: String, _ location: SourceLocation, _ context: Context) throws(BulkRunnerError) -> Node {
        if let name = ChangeReference.name(in: text) {
            guard let target = changeNames[name] else {
                let known = changeNames.keys.sorted()
                throw error(location, "\"\(text)\" refers to a change named \(name), and no change has that ChangeName",
                            known.isEmpty ? "give the creating change \"ChangeName\": \"\(name)\""
                                : "the ChangeNames are \(known.joined(separator: ", "))" + Suggest.didYouMean(name, among: known))
            }
            currentReferences.insert(target)
            referenceLocations.append((currentChange, target, location))
            return .reference(target)
        }
        guard PlaceholderSyntax.mayContainPlaceholder(text) else {
            if ChangeReference.looksLikeReference(text) {
                throw error(location, "\"\(text)\" is not a valid reference",
                            "a reference is written $ChangeName.Entity.Identifier with a ChangeName of letters and digits")
            }
            let check = inferredCheck(context)
            if check != .none {
                literalChecks.append(LiteralCheck(location: location, path: context.path, field: context.key, value: text, check: check))
            }
            return .literal(.string(text))
        }
        let pieces: [PlaceholderSyntax.Piece]
        switch PlaceholderSyntax.parse(text) {
        case .success(let parsed): pieces = parsed
        case .failure(let failure): throw error(location, failure.message, failure.hint, field: context.key)
        }
        var parts: [TextPart] = []
        var refs: [PlaceholderRef] = []
        for piece in pieces {
            switch piece {
            case .text(let literal): parts.append(.literal(literal))
            case .placeholder(let parsed):
                let slot = slotFor(parsed.name, location)
                let ref = PlaceholderRef(slot: slot, optional: parsed.optional, defaultValue: parsed.defaultValue,
                                         declaredKind: parsed.kind, location: location)
                parts.append(.placeholder(ref))
                refs.append(ref)
                if parsed.optional {
                    slots[slot].optional = true
                    if !currentOptional.contains(slot) { currentOptional.append(slot) }
                }
                if let value = parsed.defaultValue { slots[slot].defaults.append(value) }
            }
        }
        let whole: PlaceholderRef? = (parts.count == 1) ? refs.first : nil
        if whole == nil, let typed = refs.first(where: { $0.declaredKind != nil && $0.declaredKind != .string }) {
            throw error(location, "the typed placeholder {{\(slots[typed.slot].name):\(typed.declaredKind!.rawValue)}} is not the whole string \"\(text)\"",
                        "a typed placeholder must be the whole value, e.g. \"\(context.key)\": \"{{\(slots[typed.slot].name):\(typed.declaredKind!.rawValue)}}\"",
                        field: context.key)
        }
        let kind = whole.map { $0.declaredKind ?? autoKind(context) } ?? .string
        let check = inferredCheck(context)
        let site = Site(change: currentChange, location: location, path: context.path, field: context.key,
                        parts: parts, whole: whole, kind: kind, check: check, conditions: context.conditions)
        sites.append(site)
        for ref in refs {
            slots[ref.slot].fields.append(context.path)
            slots[ref.slot].checks.append(check)
            slots[ref.slot].kinds.append(whole != nil ? kind : .string)
        }
        return .site(sites.count - 1)
    }
}

/// The service's limits on a change set (Catalog API reference, StartChangeSet).
enum ChangeSetLimits {
    /// At most 20 changes in one change set.
    static let maximumChanges = 20
}
