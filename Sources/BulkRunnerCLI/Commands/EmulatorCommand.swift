import CatalogEmulator
import Foundation

/// `bulkrunner emulator`: the AWS Marketplace Catalog API emulator on 127.0.0.1, for demos and
/// tests without an AWS account. Everything it does lives in `CatalogEmulator`
/// (`EmulatorOptions`, `EmulatorServer.runUntilSignalled`); this file only wires the options.
enum EmulatorCommand {
    /// The options, from the one list `EmulatorOptions.all`.
    static let spec = CommandSpec(
        path: ["emulator"],
        summary: "Run the Catalog API emulator on 127.0.0.1 (no AWS account needed).",
        options: EmulatorOptions.all.map { option -> CommandSpec.Option in
            if let valueName = option.valueName {
                return .value(option.name, valueName, help: option.help)
            }
            return .flag(option.name, help: option.help)
        },
        discussion: """
            Serves the AWS Marketplace Catalog API (rest-json, SigV4 signing name aws-marketplace,
            region us-east-1) on http://127.0.0.1:PORT with the service's rules: request quotas,
            250 open change sets, 20 offers in progress, entity locks, validation, idempotent
            ClientRequestTokens and the PREPARING -> APPLYING -> SUCCEEDED | FAILED lifecycle.
            Point boto3, the AWS CLI or bulkrunner at it with --endpoint-url; sign with the printed
            credentials (default AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY).
            Every 12-digit account id is a valid reseller unless it starts with 9.
            Runs until Ctrl-C (SIGINT) or SIGTERM. The first line printed is the address:
            'listening on http://127.0.0.1:PORT'.
            """,
        examples: [
            "bulkrunner emulator                                  # a free port, default seed",
            "bulkrunner emulator --port 8787 --seed 7",
            "bulkrunner emulator --faults internal=0.05,reset=0.02,lost-ack=0.02,server-fault=0.05",
            "bulkrunner emulator --prepare-seconds 0.5 --apply-seconds 0.5 --no-auth",
            "aws marketplace-catalog list-entities --catalog AWSMarketplace --entity-type ResaleAuthorization --endpoint-url http://127.0.0.1:8787 --region us-east-1",
        ])

    /// The command.
    static let entry = CommandEntry(spec: spec, group: "Emulator") { parsed, context in
        var values: [String: String] = [:]
        var flags: Set<String> = []
        for option in EmulatorOptions.all {
            if option.valueName == nil {
                if parsed.flag(option.name) { flags.insert(option.name) }
            } else if let value = parsed.value(option.name) {
                values[option.name] = value
            }
        }
        let configuration: EmulatorServerConfiguration
        do {
            configuration = try EmulatorOptions.configuration(values: values, flags: flags)
        } catch let error as EmulatorOptionsError {
            throw UsageError(error.message, usage: spec.usage)
        }
        let stdout = context.stdout
        do {
            _ = try await EmulatorServer.runUntilSignalled(configuration) { line in
                stdout.line(line)
                stdout.flush()
            }
        } catch {
            ErrorReport.write("the emulator could not start: \(error)", context: context)
            return ExitStatus.serviceError
        }
        return ExitStatus.success
    }
}
