@testable import CatalogClient
import Foundation
import Testing

@Suite("Shared config file parsing")
struct ConfigFileParserTests {
    @Test func profilesCommentsAndSubProperties() throws {
        let text = """
            # a comment
            ; another comment
            [default]
            region = eu-west-1   # inline comment after whitespace
            output=json
            s3 =
              max_concurrent_requests = 20  ; inline
              addressing_style = path
            AWS_Access_Key_Id = AKIDDEFAULT

            [profile prod]
            role_arn = arn:aws:iam::123456789012:role/admin
            note = first line
              second line
            secret = abc#def;ghi
            [services local]
            marketplace_catalog =
              endpoint_url = http://localhost:4566
            [sso-session corp]
            sso_region = us-east-1
            [notaprofile]
            region = ap-south-1
            """
        let sections = try ConfigFileParser.parse(text, path: "/x/config", kind: .config)
        #expect(sections.map(\.name) == [.profile("default"), .profile("prod"), .services("local"), .other("sso-session corp"), .other("notaprofile")])
        let defaults = sections[0].properties
        #expect(defaults["region"]?.value == "eu-west-1")
        #expect(defaults["region"]?.location == ConfigLocation(path: "/x/config", line: 4))
        #expect(defaults["output"]?.value == "json")
        #expect(defaults["s3"]?.value == "")
        #expect(defaults["s3"]?.subProperties == ["max_concurrent_requests": "20", "addressing_style": "path"])
        #expect(defaults["aws_access_key_id"]?.value == "AKIDDEFAULT", "keys are case-insensitive")
        let prod = sections[1].properties
        #expect(prod["note"]?.value == "first line\nsecond line")
        #expect(prod["secret"]?.value == "abc#def;ghi", "a # or ; without whitespace before it is part of the value")
        #expect(sections[2].properties["marketplace_catalog"]?.subProperties["endpoint_url"] == "http://localhost:4566")
    }

    @Test func credentialsFileSectionsAreNamesVerbatim() throws {
        let sections = try ConfigFileParser.parse("[default]\r\na = 1\r\n[prod]\r\nb = 2\r\n", path: "c", kind: .credentials)
        #expect(sections.map(\.name) == [.profile("default"), .profile("prod")])
        #expect(sections[0].properties["a"]?.value == "1", "CRLF line ends are accepted")
    }

    @Test func configHeaderNeedsWhitespaceAfterProfileKeyword() {
        #expect(ConfigFileParser.sectionName("profile   dev ", kind: .config) == .profile("dev"))
        #expect(ConfigFileParser.sectionName("profiledev", kind: .config) == .other("profiledev"))
        #expect(ConfigFileParser.sectionName("dev", kind: .config) == .other("dev"))
        #expect(ConfigFileParser.sectionName("profile dev", kind: .credentials) == .profile("profile dev"))
    }

    @Test(arguments: [
        ("region = us-east-1\n", 1, "before any [section]"),
        ("[default]\nregion us-east-1\n", 2, "expected `key = value`"),
        ("[default\nregion = x\n", 1, "missing its closing"),
        ("[default]\n  indented = first\n", 2, "indented line must follow a property"),
        ("[default]\ns3 =\n  no equals here\n", 3, "expected `name = value`"),
        ("[default]\n= value\n", 2, "no name before"),
    ])
    func malformedLinesNameFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try ConfigFileParser.parse(text, path: "/home/u/.aws/config", kind: .config)
        } throws: { error in
            let error = error as? CatalogClientError
            return error?.code == .malformedConfigFile
                && error?.description.contains("/home/u/.aws/config:\(line):") == true
                && error?.description.contains(reason) == true
        }
    }

    @Test func mergingFilesCredentialsWinAndProfileDefaultWins() async throws {
        try await withHome(
            config: """
                [default]
                region = us-west-1
                [profile default]
                region = eu-central-1
                aws_access_key_id = FROMCONFIG
                [profile dev]
                region = ap-south-1
                [profile dev]
                output = text
                """,
            credentials: """
                [default]
                aws_access_key_id = FROMCREDENTIALS
                aws_secret_access_key = s
                """
        ) { home async throws in
            let shared = try SharedConfiguration.load(
                configPath: home.file(".aws/config"), credentialsPath: home.file(".aws/credentials"), reader: LocalFileReader())
            #expect(shared.profiles["default"]?.value("region") == "eu-central-1", "[profile default] beats [default]")
            #expect(shared.profiles["default"]?.value("aws_access_key_id") == "FROMCREDENTIALS", "the credentials file wins")
            #expect(shared.profiles["dev"]?.value("region") == "ap-south-1")
            #expect(shared.profiles["dev"]?.value("output") == "text", "repeated sections merge")
            #expect(shared.existingFiles == [home.file(".aws/config"), home.file(".aws/credentials")])
        }
    }

    @Test func missingFilesAreNoError() throws {
        let shared = try SharedConfiguration.load(
            configPath: "/nonexistent/bulkrunner/config", credentialsPath: nil, reader: LocalFileReader())
        #expect(shared.profiles.isEmpty)
        #expect(shared.existingFiles.isEmpty)
    }

    @Test func pathsComeFromVariablesWithTildeExpansion() {
        let paths = SharedConfiguration.paths(
            environment: ["AWS_CONFIG_FILE": "~/custom/config", "AWS_SHARED_CREDENTIALS_FILE": "/etc/creds"], homeDirectory: "/home/u")
        #expect(paths.config == "/home/u/custom/config")
        #expect(paths.credentials == "/etc/creds")
        let defaults = SharedConfiguration.paths(environment: [:], homeDirectory: "/home/u")
        #expect(defaults.config == "/home/u/.aws/config")
        #expect(defaults.credentials == "/home/u/.aws/credentials")
        let none = SharedConfiguration.paths(environment: [:], homeDirectory: nil)
        #expect(none.config == nil && none.credentials == nil)
    }
}
