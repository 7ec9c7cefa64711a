import Foundation

/// The production signing of STS calls: SigV4 with the given service name.
enum STSSigning {
    static let sigV4: RequestSigning = { request, credentials, region, service, date in
        SigV4Signer(credentials: credentials, region: region, service: service).sign(request, date: date)
    }
}
