import Assignment
import Training
import Foundation
import NeuralEngine
@testable import Results
import ReportFixtures
@testable import Rendering
import Testing

/// The catalogue is the one place an experiment is declared: these check that what is derived
/// from it (plan, templates, figures, tables, contents) finds everything it names, and that
/// nothing elsewhere names what it does not declare.
@Suite struct CatalogueTests {
    static func template(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.templatesDirectory + "/\(name).mustache", encoding: .utf8)
    }

    static var allTemplates: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.templatesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".mustache") }.sorted()
            .compactMap { try? String(contentsOfFile: Fixtures.templatesDirectory + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func idsAnchorsFiguresTablesAndModelsAreUnique() {
        let experiments = Catalogue.experiments
        #expect(Set(experiments.map(\.id)).count == experiments.count)
        let anchors = Catalogue.chapters.map(\.anchor) + experiments.flatMap { $0.subsections.map(\.anchor) }
        #expect(Set(anchors).count == anchors.count)
        let figures = Catalogue.chapters.flatMap(\.figures)
        #expect(Set(figures).count == figures.count)
        let tables = Catalogue.chapters.flatMap { $0.tables + ($0.experiment?.tables.map(\.id) ?? []) }
        #expect(Set(tables).count == tables.count)
        #expect(Set(Catalogue.models.map(\.name)).count == Catalogue.models.count)
        #expect(experiments.allSatisfy { $0.quickEpochs > 0 })
        // Every experiment is a chapter, in the catalogue's order.
        #expect(Catalogue.chapters.compactMap(\.experiment?.id) == experiments.map(\.id))
    }

    @Test func everyFigureIsDeclaredOnceDrawnAndShown() {
        let declared = Catalogue.chapters.flatMap(\.figures)
        #expect(declared.sorted { $0.rawValue < $1.rawValue } == FigureID.allCases.sorted { $0.rawValue < $1.rawValue })
        // The fixture run has every training: every declared figure is drawn, in the catalogue's order.
        let drawn = ReportFigures.make(Fixtures.recorded(Fixtures.results())).map(\.id)
        #expect(drawn == declared.map(\.rawValue))
        for id in declared {
            let key = id.rawValue.replacingOccurrences(of: "-", with: "_")
            #expect(Self.allTemplates.contains("figures.\(key)"), "a template shows \(id)")
        }
    }

    @Test func everyTableIsDeclaredAndEveryDeclaredTableShown() {
        let declared = Set(Catalogue.chapters.flatMap { $0.tables + ($0.experiment?.tables.map(\.id) ?? []) })
        let text = Self.allTemplates
        var used = Set<String>()
        var fields: [String: Set<String>] = [:]
        var rest = text[...]
        while let range = rest.range(of: "{{tables.") {
            let after = rest[range.upperBound...]
            guard let end = after.range(of: "}}") else { break }
            // `{{tables.result_2_3.number}}`, `{{tables.result_2_3.anchor}}`: each table shows both.
            let name = after[..<end.lowerBound]
            let field = name.split(separator: ".").last.map(String.init) ?? ""
            #expect(["number", "anchor"].contains(field), "{{tables.\(name)}}")
            used.insert(String(name.dropLast(field.count + 1)))
            fields[String(name.dropLast(field.count + 1)), default: []].insert(field)
            rest = after[end.upperBound...]
        }
        #expect(used == declared)
        #expect(fields.values.allSatisfy { $0 == ["number", "anchor"] }, "\(fields)")
        // With every training and at least one mistake, every table is numbered, 1 … n without gaps.
        let numbers = ReportViewModel.tableNumbers(Fixtures.results(), labels: Fixtures.testSplit.labels)
        #expect(Set(numbers.keys) == declared)
        #expect(Set(numbers.values) == Set((1...declared.count).map(String.init)))
        // Each table's id: `table-` and its catalogue id, unique, none a figure's.
        let anchors = ReportViewModel.tableContext(Fixtures.results(), labels: Fixtures.testSplit.labels).mapValues(\.anchor)
        #expect(anchors["result_2_3"] == "table-result-2-3" && anchors["trainings"] == "table-trainings")
        #expect(Set(anchors.values).count == declared.count)
        #expect(anchors.values.allSatisfy { $0.hasPrefix("table-") && !$0.contains("_") })
    }

    @Test func thePlanFollowsTheCatalogue() {
        let plan = ExperimentPlan(profile: .full)
        let expected = Catalogue.experiments.reduce(0) {
            $0 + 1 + $1.variants.count * $1.variantReplicates + ($1.sweep.map { $0.factors.count * $0.replicates } ?? 0)
        }
        #expect(plan.trainings.count == expected)
        // The ablation's first replicate keeps the base seed and the plain id (and so its cache
        // key); later ones share one seed per replicate across the rows.
        let ablation = plan.trainings.filter { $0.id.hasPrefix("3.1b-") }
        #expect(ablation.count == 12 && ablation.prefix(4).allSatisfy { $0.spec.seed == 1 && !$0.id.hasSuffix("-r2") })
        #expect(ablation.map(\.id).contains("3.1b-no-augmentation-r3"))
        for r in 1..<3 {
            let seeds = Set(ablation.filter { $0.id.hasSuffix("-r\(r + 1)") }.map(\.spec.seed))
            #expect(seeds == [ExperimentPlan.variantSeed(base: 1, replicate: r)])
        }
        #expect(ExperimentPlan(profile: .quick).trainings.filter { $0.id.hasPrefix("3.1b-") }.count == 4)
        #expect(plan.trainings.map(\.id).prefix(3) == ["2.3", "2.4", "2.4-sweep-1-r1"])
        #expect(Set(plan.trainings.map(\.section)) == Set(Catalogue.experiments.map(\.id)))
        let quick = ExperimentPlan(profile: .quick, sections: [.s3_1])
        #expect(quick.trainings.map(\.spec.hyperparameters.epochs) == [Catalogue.experiment("3.1")?.quickEpochs])
    }

    @Test func modelsAndSectionsDecodeOnlyWhatTheCatalogueDeclares() throws {
        #expect(ModelKind(rawValue: "lenet5") == .lenet5)
        #expect(ModelKind(rawValue: "resnet") == nil)
        #expect(Section(rawValue: "3.1") == .s3_1 && Section(rawValue: "9.9") == nil)
        let encoded = try JSONEncoder().encode([ModelKind.mlp64])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"mlp64\"]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ModelKind].self, from: Data("[\"resnet\"]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Section].self, from: Data("[\"9.9\"]".utf8)) }
    }

    @Test func theNotebooksArchitecturesHaveTheParameterCountsTheAssignmentDerives() throws {
        for (kind, count) in [(ModelKind.mlp64, Notebook.parameters.mlp64), (.mlp500, Notebook.parameters.mlp500), (.lenet5, Notebook.parameters.lenet5)] {
            var generator = SeededGenerator(seed: 0)
            let model = try TrainingSpec(model: kind).makeModel(using: &generator)
            #expect(model.parameterCount == count, "\(kind)")
        }
    }
}
