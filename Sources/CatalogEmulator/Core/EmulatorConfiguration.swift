import CatalogModels

/// Everything that shapes one emulated seller account: its identity, the service's quotas and
/// limits, how long change sets take, which reseller accounts exist, what is seeded, and which
/// faults are injected. A value: build one, change what a test needs, hand it to
/// ``CatalogEmulator/init(configuration:clock:)``.
///
/// The defaults are the published numbers ("Service quotas for AWS Marketplace Catalog API")
/// and the documented behaviours of the emulator (see ``ResellerDirectory``, ``LifecycleTiming``).
public struct EmulatorConfiguration: Sendable {
    /// Seeds every random draw (ids, jitter, seeded entities, faults): same seed, same run.
    public var seed: UInt64
    /// The calling seller's 12-digit AWS account id; it owns the seeded products.
    public var accountId: String
    /// The seller's legal name (ManufacturerLegalName of its resale authorizations).
    public var sellerLegalName: String
    /// The region in ARNs (`us-east-1`: the service lives there).
    public var region: String
    /// Requests per second per operation.
    public var quotas: RequestQuotas
    /// Open change sets and offers in progress.
    public var limits: ChangeSetLimits
    /// How long change sets spend PREPARING and APPLYING.
    public var lifecycle: LifecycleTiming
    /// Which account ids are valid resellers.
    public var resellers: ResellerDirectory
    /// What exists before the first call.
    public var seeding: SeedPlan
    /// Injected failures (none by default).
    public var faults: FaultPlan

    /// The default account: seller `444455556666`, published quotas and limits, 2 s + 3 s
    /// lifecycle with ±25 % jitter, the default reseller rule, the default seed plan, no faults.
    public init(
        seed: UInt64 = 0,
        accountId: String = "444455556666",
        sellerLegalName: String = "Example Software Vendor Inc.",
        region: String = "us-east-1",
        quotas: RequestQuotas = .published,
        limits: ChangeSetLimits = .published,
        lifecycle: LifecycleTiming = LifecycleTiming(),
        resellers: ResellerDirectory = ResellerDirectory(),
        seeding: SeedPlan = SeedPlan(),
        faults: FaultPlan = FaultPlan()
    ) {
        self.seed = seed
        self.accountId = accountId
        self.sellerLegalName = sellerLegalName
        self.region = region
        self.quotas = quotas
        self.limits = limits
        self.lifecycle = lifecycle
        self.resellers = resellers
        self.seeding = seeding
        self.faults = faults
    }
}

/// Requests per second allowed per operation, per account; one more within any one-second
/// window is answered with `ThrottlingException` (429).
///
/// Published ("Service quotas for AWS Marketplace Catalog API"): StartChangeSet 5,
/// DescribeChangeSet 10, ListChangeSets 5, CancelChangeSet 5, ListEntities 10,
/// DescribeEntity 20. BatchDescribeEntities has no published quota: the emulator allows 10/s
/// (it is "the batch version of DescribeEntity", so it gets a stricter quota than the single call).
public struct RequestQuotas: Sendable, Hashable {
    /// Requests per second by operation.
    public var perSecond: [CatalogOperation: Int]

    /// Quotas from a table; operations left out are unlimited.
    public init(perSecond: [CatalogOperation: Int]) {
        self.perSecond = perSecond
    }

    /// The published quotas, with BatchDescribeEntities at 10/s.
    public static let published = RequestQuotas(perSecond: [
        .startChangeSet: 5, .describeChangeSet: 10, .listChangeSets: 5, .cancelChangeSet: 5,
        .listEntities: 10, .describeEntity: 20, .batchDescribeEntities: 10,
    ])

    /// No throttling at all.
    public static let unlimited = RequestQuotas(perSecond: [:])

    /// The quota of `operation`, `nil` when unlimited.
    public subscript(operation: CatalogOperation) -> Int? {
        get { perSecond[operation] }
        set { perSecond[operation] = newValue }
    }
}

/// The account-wide limits on work in progress (published: 250 open change sets; 20 offers
/// being created or updated at once). Past either, StartChangeSet answers
/// `ServiceQuotaExceededException` (402); the offer limit's error is not documented, and
/// 402 is what the emulator gives.
public struct ChangeSetLimits: Sendable, Hashable {
    /// At most this many change sets PREPARING or APPLYING.
    public var maxOpenChangeSets: Int
    /// At most this many distinct offers targeted (created or updated) by open change sets.
    public var maxOffersInProgress: Int

    /// Limits; defaults are the published ones.
    public init(maxOpenChangeSets: Int = 250, maxOffersInProgress: Int = 20) {
        self.maxOpenChangeSets = maxOpenChangeSets
        self.maxOffersInProgress = maxOffersInProgress
    }

    /// 250 open change sets, 20 offers in progress.
    public static let published = ChangeSetLimits()
}

/// How long a change set stays PREPARING, then APPLYING, on the injected clock.
///
/// Each duration is drawn once per change set as `base × (1 + jitter × u)`, `u` uniform in
/// −1…1 from the seeded generator. Real processing takes minutes to hours; the defaults (2 s
/// and 3 s, ±25 %) keep demos and loopback tests quick while still exercising polling.
public struct LifecycleTiming: Sendable, Hashable {
    /// Base seconds in PREPARING (validation happens at its end).
    public var prepareSeconds: Double
    /// Base seconds in APPLYING (changes are applied at its end).
    public var applySeconds: Double
    /// Relative jitter, 0…1 (0 = exact durations, as most virtual-time tests want).
    public var jitter: Double

    /// Timing; defaults 2 s, 3 s, 0.25.
    public init(prepareSeconds: Double = 2, applySeconds: Double = 3, jitter: Double = 0.25) {
        self.prepareSeconds = prepareSeconds
        self.applySeconds = applySeconds
        self.jitter = jitter
    }
}

/// Which 12-digit account ids are registered AWS Marketplace channel partners, i.e. valid as
/// `ResellerAccountId`. An invalid one fails its change set asynchronously with
/// `INVALID_RESELLER_ACCOUNT`, as the service does.
///
/// Default rule (documented for the demo): **every 12-digit id is a reseller unless it starts
/// with `9`**, and the seller's own account is never its own reseller. ``known`` ids are
/// always valid and ``unknown`` ids never are, whatever the rule.
public struct ResellerDirectory: Sendable, Hashable {
    /// How ids outside the explicit lists are judged.
    public enum Rule: String, Sendable, Hashable {
        /// Valid unless the id starts with `9` (the default).
        case allButLeadingNine
        /// Only ids in ``ResellerDirectory/known`` are valid.
        case onlyKnown
    }

    /// The rule for ids in neither list.
    public var rule: Rule
    /// Always valid.
    public var known: Set<String>
    /// Never valid.
    public var unknown: Set<String>

    /// A directory; by default every 12-digit id not starting with `9` is a reseller.
    public init(rule: Rule = .allButLeadingNine, known: Set<String> = [], unknown: Set<String> = []) {
        self.rule = rule
        self.known = known
        self.unknown = unknown
    }

    /// Whether `accountId` is a reseller the seller `sellerAccountId` can authorize.
    public func isReseller(_ accountId: String, seller sellerAccountId: String) -> Bool {
        guard accountId.count == 12, accountId.allSatisfy(\.isASCIIDigitCharacter), accountId != sellerAccountId else {
            return false
        }
        if unknown.contains(accountId) { return false }
        if known.contains(accountId) { return true }
        switch rule {
        case .allButLeadingNine: return !accountId.hasPrefix("9")
        case .onlyKnown: return false
        }
    }

    /// One sentence describing the rule, for the command's banner and docs.
    public var summary: String {
        switch rule {
        case .allButLeadingNine:
            return "every 12-digit account id is a registered reseller unless it starts with 9"
                + (known.isEmpty && unknown.isEmpty ? "" : " (plus \(known.count) listed, minus \(unknown.count) listed)")
        case .onlyKnown:
            return "only these accounts are registered resellers: " + known.sorted().joined(separator: ", ")
        }
    }
}

/// What the emulator creates before the first call, all deterministic from the seed.
///
/// Products are owned by the seller (plus ``foreignProducts`` owned by another account, which
/// answer `AccessDeniedException`); authorizations get a mix of statuses (Draft, Active,
/// Restricted), expiry dates and OfferCreatedCount; offers a mix of Draft/Released private
/// offers and channel-partner offers; agreements exist for replacement offers.
public struct SeedPlan: Sendable, Hashable {
    /// AMI products (dimensions t2.micro, t2.small, m5.large, m7g.2xlarge, m7g.4xlarge, ReadOnlyUsers, BasicService).
    public var amiProducts: Int
    /// Container products (dimensions ReqPerHour, ReadOnlyUsers, BasicService).
    public var containerProducts: Int
    /// SaaS products (dimensions BasicService, PremiumService, WorkloadSmall, WorkloadMedium, Users).
    public var saasProducts: Int
    /// SaaS products of another account (AccessDenied for this seller).
    public var foreignProducts: Int
    /// Resale authorizations.
    public var resaleAuthorizations: Int
    /// Offers.
    public var offers: Int
    /// Agreements (for CreateReplacementOffer).
    public var agreements: Int
    /// Products created with fixed ids, owned by the seller, before the random ones: so that
    /// demo files and the public samples (which use `prod-1111111111111`) name real products.
    public var namedProducts: [NamedProduct] = []

    /// A plan; defaults 2 AMI, 1 container, 2 SaaS, 1 foreign product, 25 authorizations,
    /// 10 offers, 3 agreements.
    public init(amiProducts: Int = 2, containerProducts: Int = 1, saasProducts: Int = 2, foreignProducts: Int = 1,
                resaleAuthorizations: Int = 25, offers: Int = 10, agreements: Int = 3) {
        self.amiProducts = amiProducts
        self.containerProducts = containerProducts
        self.saasProducts = saasProducts
        self.foreignProducts = foreignProducts
        self.resaleAuthorizations = resaleAuthorizations
        self.offers = offers
        self.agreements = agreements
    }

    /// The default plan plus ``NamedProduct/samples``: what `bulkrunner emulator` and `--emulator` runs start from.
    public static var demo: SeedPlan {
        var plan = SeedPlan()
        plan.namedProducts = NamedProduct.samples
        return plan
    }

    /// Nothing at all: tests that build their own world.
    public static let empty = SeedPlan(amiProducts: 0, containerProducts: 0, saasProducts: 0, foreignProducts: 0,
                                       resaleAuthorizations: 0, offers: 0, agreements: 0)
}

/// A seeded product with a fixed id.
public struct NamedProduct: Sendable, Hashable {
    /// The product type.
    public enum Kind: String, Sendable, Hashable {
        /// `AmiProduct@1.0`.
        case ami
        /// `ContainerProduct@1.0`.
        case container
        /// `SaaSProduct@1.0`.
        case saas
    }

    /// The product id, `prod-` and 13 letters or digits.
    public var id: String
    /// The product type.
    public var kind: Kind
    /// The product's title.
    public var title: String

    /// Creates a named product.
    public init(id: String, kind: Kind, title: String) {
        self.id = id
        self.kind = kind
        self.title = title
    }

    /// The ids the public AWS samples and this project's `samples/` use:
    /// `prod-1111111111111` (SaaS), `prod-2222222222222` (AMI), `prod-3333333333333` (container).
    public static let samples: [NamedProduct] = [
        NamedProduct(id: "prod-1111111111111", kind: .saas, title: "Sample SaaS Product"),
        NamedProduct(id: "prod-2222222222222", kind: .ami, title: "Sample AMI Product"),
        NamedProduct(id: "prod-3333333333333", kind: .container, title: "Sample Container Product"),
    ]
}

extension Character {
    /// `0`–`9` only.
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
