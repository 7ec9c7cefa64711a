import CatalogClient
import CatalogModels
import Foundation

/// `bulkrunner api …`: raw Catalog API calls with this tool's signing, credentials and retries.
///
/// The response JSON goes to standard output; an error goes to standard error as
/// `ErrorName: message (request id …)` with exit status 69. Throttling, 5xx and network
/// errors are retried with exponential backoff and full jitter; a StartChangeSet keeps
/// the same ClientRequestToken on every attempt, so a retry can never create a second set.
enum APICommands {
    static let inputJSON = CommandSpec.Option.value(
        "input-json", "FILE|-|JSON", help: "The request body as in the API reference: a file, - for standard input, or inline JSON.")
    /// `--input-json` where the call cannot go without a body.
    static var requiredInputJSON: CommandSpec.Option {
        var option = inputJSON
        option.isRequired = true
        return option
    }
    static let catalog = CommandSpec.Option.value("catalog", "NAME", help: "The catalog (default AWSMarketplace).")
    static let maxAttempts = CommandSpec.Option.value(
        "max-attempts", "N", help: "Attempts for throttling, 5xx and network errors (default 5; 1 = no retry).")

    static var entries: [CommandEntry] {
        [
            entry(
                "start-change-set", "Start a change set (StartChangeSet) from a JSON request body.",
                options: [requiredInputJSON],
                examples: [
                    "bulkrunner api start-change-set --input-json changeset.json",
                    "cat changeset.json | bulkrunner api start-change-set --input-json - --endpoint-url http://127.0.0.1:8080",
                ],
                discussion: "A request without ClientRequestToken gets a random one, reused on every retry."
            ) { parsed, context in
                try await call(StartChangeSetRequest.self, try body(parsed, context: context, required: true), parsed, context)
            },
            entry(
                "describe-change-set", "Describe a change set (DescribeChangeSet): status, failure, every change.",
                options: [.value("change-set-id", "ID", required: true, help: "The change set's id."), catalog],
                examples: ["bulkrunner api describe-change-set --change-set-id 76yesvf8y165pa4f98td2crtg"]
            ) { parsed, context in
                let request = DescribeChangeSetRequest(
                    catalog: parsed.value("catalog") ?? "AWSMarketplace",
                    changeSetId: try required(parsed, "change-set-id", spec: ["describe-change-set"]))
                return try await call(request, parsed, context)
            },
            entry(
                "list-change-sets", "List change sets (ListChangeSets) with filters, sort and paging.",
                options: [inputJSON],
                examples: [
                    "bulkrunner api list-change-sets",
                    #"bulkrunner api list-change-sets --input-json '{"Catalog":"AWSMarketplace","FilterList":[{"Name":"Status","ValueList":["PREPARING"]}]}'"#,
                ]
            ) { parsed, context in
                try await call(ListChangeSetsRequest.self, try body(parsed, context: context) ?? #"{"Catalog":"AWSMarketplace"}"#, parsed, context)
            },
            entry(
                "list-entities", "List entities of a type (ListEntities) with filters, sort and paging.",
                options: [.value("entity-type", "TYPE", help: "ResaleAuthorization, Offer, SaaSProduct, … (required unless in --input-json)."), inputJSON],
                examples: [
                    "bulkrunner api list-entities --entity-type ResaleAuthorization",
                    #"bulkrunner api list-entities --entity-type Offer --input-json '{"MaxResults":50}'"#,
                ]
            ) { parsed, context in
                var object = try jsonObject(try body(parsed, context: context) ?? "{}", source: parsed.value("input-json"))
                if object["Catalog"] == nil { object["Catalog"] = .string("AWSMarketplace") }
                if let type = parsed.value("entity-type") { object["EntityType"] = .string(type) }
                guard object["EntityType"] != nil else {
                    throw UsageError("missing --entity-type (ResaleAuthorization, Offer, SaaSProduct, …)",
                                     usage: spec(["list-entities"]).usage)
                }
                return try await call(ListEntitiesRequest.self, JSONValue.object(object).compactString, parsed, context)
            },
            entry(
                "describe-entity", "Describe one entity (DescribeEntity), with its DetailsDocument.",
                options: [.value("entity-id", "ID", required: true, help: "The entity's id."), catalog],
                examples: ["bulkrunner api describe-entity --entity-id resaleauthz-1111111111111"]
            ) { parsed, context in
                let request = DescribeEntityRequest(
                    catalog: parsed.value("catalog") ?? "AWSMarketplace",
                    entityId: try required(parsed, "entity-id", spec: ["describe-entity"]))
                return try await call(request, parsed, context)
            },
            entry(
                "batch-describe-entities", "Describe up to 20 entities at once (BatchDescribeEntities).",
                options: [requiredInputJSON],
                examples: [
                    #"bulkrunner api batch-describe-entities --input-json '{"EntityRequestList":[{"Catalog":"AWSMarketplace","EntityId":"offer-1111111111111"}]}'"#,
                ]
            ) { parsed, context in
                try await call(BatchDescribeEntitiesRequest.self, try body(parsed, context: context, required: true), parsed, context)
            },
            entry(
                "cancel-change-set", "Cancel a change set that is still PREPARING (CancelChangeSet).",
                options: [.value("change-set-id", "ID", required: true, help: "The change set's id."), catalog],
                examples: ["bulkrunner api cancel-change-set --change-set-id 76yesvf8y165pa4f98td2crtg"]
            ) { parsed, context in
                let request = CancelChangeSetRequest(
                    catalog: parsed.value("catalog") ?? "AWSMarketplace",
                    changeSetId: try required(parsed, "change-set-id", spec: ["cancel-change-set"]))
                return try await call(request, parsed, context)
            },
        ]
    }

    private static func spec(_ path: [String]) -> CommandSpec {
        entries.first { $0.spec.path == ["api"] + path }!.spec
    }

    private static func entry(
        _ name: String, _ summary: String, options: [CommandSpec.Option], examples: [String], discussion: String = "",
        run: @escaping @Sendable (ParsedArguments, CLIContext) async throws -> Int32
    ) -> CommandEntry {
        CommandEntry(
            spec: CommandSpec(
                path: ["api", name], summary: summary,
                options: options + [maxAttempts] + Connection.options,
                discussion: discussion.isEmpty ? "Prints the response JSON; errors go to standard error." : discussion,
                examples: examples),
            group: "Raw API", run: run)
    }

    private static func required(_ parsed: ParsedArguments, _ name: String, spec path: [String]) throws -> String {
        guard let value = parsed.value(name), !value.isEmpty else {
            throw UsageError("missing --\(name)", usage: spec(path).usage)
        }
        return value
    }

    /// The `--input-json` text: a file, `-` for standard input, `file://path`, or inline JSON.
    private static func body(_ parsed: ParsedArguments, context: CLIContext, required: Bool = false) throws -> String? {
        guard let source = parsed.value("input-json") else {
            if required { throw UsageError("missing --input-json FILE|-|JSON: the request body as JSON") }
            return nil
        }
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return source }
        let path = source.hasPrefix("file://") ? String(source.dropFirst(7)) : source
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            let url = context.resolve(path)
            guard let contents = FileManager.default.contents(atPath: url.path) else {
                throw InputFailure(message: "\(path): cannot read the file; check the path", exitStatus: ExitStatus.noInput)
            }
            data = contents
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func jsonObject(_ text: String, source: String?) throws -> JSONObject {
        do {
            guard case .object(let object) = try JSONValue(parsing: text) else {
                throw InputFailure(message: "\(source ?? "--input-json"): the request body must be a JSON object", exitStatus: ExitStatus.dataError)
            }
            return object
        } catch let error as JSONValue.ParseError {
            throw InputFailure(message: "\(source ?? "--input-json"):\(error)", exitStatus: ExitStatus.dataError)
        }
    }

    /// Decodes a body request, then calls it.
    private static func call<Request: CatalogRequest>(
        _ type: Request.Type, _ text: String?, _ parsed: ParsedArguments, _ context: CLIContext
    ) async throws -> Int32 {
        let source = parsed.value("input-json") ?? "--input-json"
        _ = try jsonObject(text ?? "{}", source: source)
        let request: Request
        do {
            request = try CatalogJSON.decode(Request.self, from: Data((text ?? "{}").utf8))
        } catch let error as CatalogError {
            throw InputFailure(message: "\(source): not a valid \(Request.operation.name) request: \(error.message)",
                               exitStatus: ExitStatus.dataError)
        }
        return try await call(request, parsed, context)
    }

    /// Sends one request with retries and prints the response or the error.
    private static func call<Request: CatalogRequest>(
        _ request: Request, _ parsed: ParsedArguments, _ context: CLIContext
    ) async throws -> Int32 {
        var policy = RetryPolicy()
        if let text = parsed.value("max-attempts") {
            guard let n = Int(text), n >= 1 else { throw UsageError("--max-attempts '\(text)' must be a whole number ≥ 1") }
            policy.maxAttempts = n
        }
        let client = try Connection.client(parsed, context: context).client
        let stderr = context.stderr
        let environment = RetryPolicy.Environment(onEvent: { event in
            if case .retryScheduled(let attempt, let code, let delay) = event {
                stderr.line("attempt \(attempt) failed with \(code); retrying in \(String(format: "%.1f", delay)) s")
                stderr.flush()
            }
        })
        do {
            let response = try await policy.withRetries(request, environment: environment) { try await client.send($0) }
            let data = try CatalogJSON.encode(response)
            let value = try JSONValue(parsing: data)
            context.stdout.line(value.prettyString(indent: 2))
            return ExitStatus.success
        } catch let error as CatalogError {
            ErrorReport.write("\(error)", context: context)
            return ExitStatus.serviceError
        }
    }
}

/// An input file that cannot be read or parsed.
struct InputFailure: ExitStatusError, CustomStringConvertible {
    var message: String
    var exitStatus: Int32
    var description: String { message }
}
