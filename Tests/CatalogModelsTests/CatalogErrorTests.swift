import CatalogModels
import Foundation
import Testing

@Suite("CatalogError")
struct CatalogErrorTests {
    @Test("wire names map to codes and HTTP statuses from the model", arguments: [
        ("ThrottlingException", CatalogError.Code.throttling, 429),
        ("ResourceInUseException", .resourceInUse, 423),
        ("ServiceQuotaExceededException", .serviceQuotaExceeded, 402),
        ("ValidationException", .validation, 422),
        ("AccessDeniedException", .accessDenied, 403),
        ("ResourceNotFoundException", .resourceNotFound, 404),
        ("ResourceNotSupportedException", .resourceNotSupported, 415),
        ("InternalServiceException", .internalService, 500),
    ])
    func serviceCodes(_ name: String, _ code: CatalogError.Code, _ status: Int) {
        #expect(CatalogError.Code(wireName: name) == code)
        #expect(code.wireName == name)
        #expect(code.httpStatus == status)
        #expect(code.isKnown)
    }

    @Test("wire names lose a :namespace suffix and a namespace# prefix", arguments: [
        "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
        "aws.marketplace#ThrottlingException",
        "com.amazonaws.marketplacecatalog#ThrottlingException:extra",
        " ThrottlingException ",
    ])
    func normalisation(_ raw: String) {
        #expect(CatalogError.Code(wireName: raw) == .throttling)
    }

    @Test("unknown names are kept")
    func unknown() {
        let code = CatalogError.Code(wireName: "BrandNewException")
        #expect(code == .unknown("BrandNewException"))
        #expect(code.wireName == "BrandNewException")
        #expect(code.httpStatus == nil)
        #expect(!code.isKnown)
    }

    @Test("retryable and back-pressure classification")
    func classification() {
        func error(_ code: CatalogError.Code, status: Int? = nil) -> CatalogError {
            CatalogError(code, message: "m", httpStatus: status)
        }
        for code in [CatalogError.Code.throttling, .internalService, .timeout, .connectionReset, .connectionFailed, .dnsFailure] {
            #expect(error(code).isRetryable, "\(code)")
            #expect(!error(code).isBackPressure, "\(code)")
        }
        for code in [CatalogError.Code.resourceInUse, .serviceQuotaExceeded] {
            #expect(error(code).isRetryable, "\(code)")
            #expect(error(code).isBackPressure, "\(code)")
        }
        for code in [CatalogError.Code.validation, .accessDenied, .resourceNotFound, .resourceNotSupported, .serialization,
                     .invalidSignature, .unrecognizedClient, .missingAuthenticationToken, .expiredToken,
                     .invalidClientTokenId, .signatureDoesNotMatch, .incompleteSignature] {
            #expect(!error(code).isRetryable, "\(code)")
            #expect(!error(code).isBackPressure, "\(code)")
        }
        for code in [CatalogError.Code.invalidSignature, .unrecognizedClient, .missingAuthenticationToken, .expiredToken,
                     .invalidClientTokenId, .signatureDoesNotMatch] {
            #expect(code.isAuthentication)
            #expect(code.httpStatus == 403)
        }
        #expect(CatalogError.Code.timeout.isNetwork)
        #expect(CatalogError.Code.timeout.httpStatus == nil)
        #expect(error(.timeout).httpStatus == nil)
        // Unknown codes: the status decides.
        #expect(error(.unknown("Weird"), status: 503).isRetryable)
        #expect(error(.unknown("Weird"), status: 429).isRetryable)
        #expect(!error(.unknown("Weird"), status: 400).isRetryable)
        #expect(!error(.unknown("Weird")).isRetryable)
    }

    @Test("decodes type from x-amzn-ErrorType with a namespace, message from Message")
    func decodeFromHeader() {
        let error = CatalogError(
            status: 429,
            headers: [(name: "X-Amzn-ErrorType", value: "ThrottlingException:http://internal.amazon.com/coral/"),
                      (name: "x-amzn-requestid", value: "4d6b-11e8")],
            body: Data(#"{"Message":"Rate exceeded"}"#.utf8)
        )
        #expect(error.code == .throttling)
        #expect(error.message == "Rate exceeded")
        #expect(error.requestId == "4d6b-11e8")
        #expect(error.httpStatus == 429)
        #expect(error.isRetryable)
        #expect(error.description == "ThrottlingException: Rate exceeded (request id 4d6b-11e8)")
    }

    @Test("decodes type from the body's __type or code, message from message")
    func decodeFromBody() {
        let fromType = CatalogError(status: 423, headers: [:],
                                    body: Data(#"{"__type":"aws.marketplace#ResourceInUseException","message":"entity locked"}"#.utf8))
        #expect(fromType.code == .resourceInUse)
        #expect(fromType.message == "entity locked")
        #expect(fromType.requestId == nil)
        #expect(fromType.isBackPressure)

        let fromCode = CatalogError(status: 422, headers: ["x-amzn-RequestId": "r-1"],
                                    body: Data(#"{"code":"ValidationException","Message":"bad date"}"#.utf8))
        #expect(fromCode.code == .validation)
        #expect(fromCode.message == "bad date")
        #expect(fromCode.requestId == "r-1")
        #expect(!fromCode.isRetryable)
    }

    @Test("falls back on the status when no type is given")
    func decodeWithoutType() {
        #expect(CatalogError(status: 429, headers: [:], body: Data()).code == .throttling)
        #expect(CatalogError(status: 502, headers: [:], body: Data("<html>Bad Gateway</html>".utf8)).code == .internalService)
        let odd = CatalogError(status: 418, headers: [:], body: Data("teapot".utf8))
        #expect(odd.code == .unknown("HTTP 418"))
        #expect(odd.message == "teapot")
        #expect(odd.description == "HTTP 418: teapot")
        let empty = CatalogError(status: 500, headers: [:], body: Data())
        #expect(empty.message.contains("500"))
        #expect(empty.isRetryable)
    }

    @Test("the header beats the body")
    func headerWins() {
        let error = CatalogError(status: 403, headers: [(name: "x-amzn-ErrorType", value: "ExpiredTokenException")],
                                 body: Data(#"{"__type":"AccessDeniedException","message":"The security token included in the request is expired"}"#.utf8))
        #expect(error.code == .expiredToken)
        #expect(error.code.isAuthentication)
        #expect(!error.isRetryable)
    }

    @Test("encodes for the emulator and decodes back", arguments: [
        CatalogError.Code.throttling, .resourceInUse, .serviceQuotaExceeded, .validation, .accessDenied,
        .resourceNotFound, .resourceNotSupported, .internalService, .invalidSignature, .serialization,
    ])
    func encodeRoundTrip(_ code: CatalogError.Code) {
        let original = CatalogError(code, message: "why \"quoted\" é", requestId: "req-42")
        let response = original.httpResponse
        #expect(response.status == code.httpStatus)
        #expect(response.headers.contains { $0.name == "x-amzn-ErrorType" && $0.value == code.wireName })
        #expect(response.headers.contains { $0.name == "x-amzn-RequestId" && $0.value == "req-42" })
        #expect(response.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        let decoded = CatalogError(status: response.status, headers: response.headers, body: response.body)
        #expect(decoded.code == code)
        #expect(decoded.message == original.message)
        #expect(decoded.requestId == "req-42")
        #expect(decoded.httpStatus == original.httpStatus)
        #expect(decoded.description == original.description)
    }

    @Test("an explicit status overrides the code's")
    func explicitStatus() {
        let error = CatalogError(.unrecognizedClient, message: "bad key", httpStatus: 400)
        #expect(error.httpStatus == 400)
        #expect(error.httpResponse.status == 400)
        #expect(error.description == "UnrecognizedClientException: bad key (HTTP 400)")
        #expect(CatalogError(.unknown("X"), message: "m").httpResponse.status == 400)
    }
}
