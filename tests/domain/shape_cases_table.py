"""The table of invalid examples, at least one per shape (see shape_cases.py for the format)."""

from __future__ import annotations

from tests.domain.shape_cases import ID, P2388, PROFITS, SALARIES, Case, _case, _drop, _replace

M = "https://w3id.org/htkg/id/membership/cted-icat"
FLEX = "xsd:date, xsd:gYearMonth, xsd:gYear"

CASES: list[Case] = [
    _case("future-start-date", _replace(f"<{M}>", "htkg:startDate",
          '"2018-01"^^xsd:gYearMonth', '"2999-01"^^xsd:gYearMonth'),
          "DateNotInFutureShape", "SPARQL", M,
          "The date 2999-01 lies in the future; dates in the graph record what has already "
          "happened. Check the year."),
    _case("symbol-disagrees-with-year", _replace("res:2388", "htkg:symbol",
          '"S/RES/2388 (2017)"', '"S/RES/2388 (2016)"'),
          "ResolutionShape", "SPARQL", f"{ID}resolution/2388",
          "The symbol S/RES/2388 (2016) does not agree with the resolution's number and year of "
          "adoption; it should read S/RES/2388 (2017)."),
    _case("resolution-without-number", _drop("res:2331", "htkg:resolutionNumber"),
          "ResolutionShape", "MinCount", f"{ID}resolution/2331",
          "A resolution needs exactly one number, written as a positive whole number "
          "(xsd:positiveInteger), e.g. 2388."),
    _case("paragraph-in-two-resolutions",
          f"INSERT DATA {{ <{P2388}> htkg:paragraphOf res:2331 }}",
          "ParagraphShape", "MaxCount", P2388,
          "Every paragraph belongs to exactly one resolution "
          "(htkg:paragraphOf an htkg:Resolution)."),
    _case("paragraph-without-resolution", _drop(f"<{P2388}>", "htkg:paragraphOf"),
          "ParagraphShape", "MinCount", P2388,
          "Every paragraph belongs to exactly one resolution "
          "(htkg:paragraphOf an htkg:Resolution)."),
    _case("unnumbered-paragraph-without-note", _drop(f"<{P2388}>", "skos:editorialNote"),
          "ParagraphShape", "SPARQL", P2388,
          "This paragraph has no number; give htkg:paragraphNumber, or say in skos:editorialNote "
          "why it is unknown.", "Warning"),
    _case("preambular-paragraph-with-operative-iri",
          f"INSERT DATA {{ <{P2388}> a htkg:PreambularParagraph }}",
          "PreambularParagraphShape", "Pattern", P2388,
          "A preambular paragraph's IRI ends in /pp/{key}, e.g. "
          "https://w3id.org/htkg/id/resolution/2388/pp/3; an operative one cannot also be "
          "preambular."),
    _case("operative-paragraph-with-bad-iri",
          "INSERT DATA { res:2388 htkg:hasParagraph <https://w3id.org/htkg/id/resolution/2388/p4> ."
          " <https://w3id.org/htkg/id/resolution/2388/p4> a htkg:OperativeParagraph ."
          " }", "OperativeParagraphShape", "Pattern", f"{ID}resolution/2388/p4",
          "An operative paragraph's IRI ends in /op/{key}, e.g. "
          "https://w3id.org/htkg/id/resolution/2388/op/4."),
    _case("sub-paragraph-of-another-resolution",
          f"INSERT DATA {{ <{P2388}/a> a htkg:SubParagraph, htkg:Paragraph ; "
          f"htkg:paragraphOf res:2331 ; htkg:subParagraphOf <{P2388}> ; "
          'htkg:subParagraphLabel "a" ; prov:wasDerivedFrom sec:cted-action }',
          "SubParagraphShape", "SPARQL", f"{P2388}/a",
          f"This sub-paragraph belongs to {ID}resolution/2331, but its paragraph belongs to "
          f"{ID}resolution/2388; both must be the same resolution."),
    _case("document-planned-not-boolean", 'INSERT DATA { doc:sg-report-2388 htkg:planned "yes" }',
          "DocumentShape", "Datatype", f"{ID}document/sg-report-2388",
          "'planned' is true or false (xsd:boolean), given at most once."),
    _case("report-not-declared-document",
          'INSERT DATA { doc:x a htkg:Report ; rdfs:label "x" ; dcterms:creator actor:cted }',
          "DocumentShape", "HasValue", f"{ID}document/x",
          "Declare every document also as htkg:Document (a htkg:Report, htkg:Document) "
          "so it can be checked without inference."),
    _case("briefing-without-slides",
          'INSERT DATA { doc:b2 a htkg:Briefing, htkg:Document ; rdfs:label "b2" }',
          "BriefingShape", "MinCount", f"{ID}document/b2",
          "Describe the briefing's slides as htkg:DocumentSection nodes (dcterms:isPartOf the "
          "briefing) so that facts can cite them.", "Warning"),
    _case("section-without-heading", _drop("sec:cted-action", "htkg:sectionHeading"),
          "DocumentSectionShape", "MinCount", f"{ID}document/cted-briefing-ht-terrorism/section/"
          "cted-action", "A section needs exactly one heading, copied as printed."),
    _case("report-without-author", _drop("doc:sg-report-2388", "dcterms:creator"),
          "ReportShape", "MinCount", f"{ID}document/sg-report-2388",
          "Name who wrote the report (dcterms:creator).", "Warning"),
    _case("typology-report-without-title",
          _drop("doc:fatf-apg-financial-flows-ht", "dcterms:title"),
          "TypologyReportShape", "MinCount", f"{ID}document/fatf-apg-financial-flows-ht",
          "A typology report is cited by its title: give dcterms:title, e.g. 'Financial flows "
          "from human trafficking'."),
    _case("sg-report-without-resolution", _drop("doc:sg-report-2388", "htkg:pursuantTo"),
          "SecretaryGeneralReportShape", "MinCount", f"{ID}document/sg-report-2388",
          "Say which resolution requested this Secretary-General report (htkg:pursuantTo).",
          "Warning"),
    _case("country-assessment-without-state",
          "INSERT DATA { doc:ca a htkg:CountryAssessment, htkg:Document ; rdfs:label \"ca\" ;"
          " dcterms:creator actor:cted }", "CountryAssessmentShape", "MinCount",
          f"{ID}document/ca", "A country assessment must say which Member State it assesses "
          "(dcterms:subject an htkg:MemberState)."),
    _case("dataset-without-title", _drop("doc:cr-unsc-record-table", "dcterms:title"),
          "DatasetShape", "MinCount", f"{ID}document/cr-unsc-record-table",
          "A data set used as a source needs its title (dcterms:title)."),
    _case("sanctions-list-without-date",
          _drop("doc:un-consolidated-list-2018-10-29", "dcterms:issued"),
          "SanctionsListShape", "MinCount", f"{ID}document/un-consolidated-list-2018-10-29",
          "A sanctions list edition needs exactly one issue date (xsd:date): listings change from "
          "one edition to the next."),
]

ACTOR_CASES: list[Case] = [
    _case("actor-not-declared-actor",
          'INSERT DATA { actor:x a htkg:TerroristGroup ; rdfs:label "X" ;'
          ' htkg:ftmTopic "crime.terror" }',
          "ActorShape", "HasValue", f"{ID}actor/x",
          "Declare every actor also as htkg:Actor (a htkg:TerroristGroup, htkg:Actor) so it can be "
          "checked without inference."),
    _case("actor-unknown-ftm-topic", 'INSERT DATA { actor:al-shabaab htkg:ftmTopic "terrorism" }',
          "ActorShape", "In", f"{ID}actor/al-shabaab",
          "Use a FollowTheMoney topic code, e.g. 'crime.terror', 'crime.traffick.human' or "
          "'sanction'."),
    _case("organization-with-victim-role", "INSERT DATA { actor:cted htkg:hasRole role:victim }",
          "OrganizationShape", "MaxCount", f"{ID}actor/cted",
          "Roles such as victim or recruiter are for persons and groups of persons, not "
          "organizations."),
    _case("un-body-typed-terrorist-group", "INSERT DATA { actor:cted a htkg:TerroristGroup }",
          "UNBodyShape", "Not", f"{ID}actor/cted",
          "A UN body cannot also be a terrorist group; one of the two types is wrong."),
    _case("international-body-typed-un-body", "INSERT DATA { actor:icat a htkg:UNBody }",
          "InternationalBodyShape", "Not", f"{ID}actor/icat",
          "Type a body either as a UN body or as an international body outside the UN, not both."),
    _case("member-state-typed-group-of-states",
          "INSERT DATA { actor:member-states a htkg:MemberState }",
          "MemberStateShape", "Not", f"{ID}actor/member-states",
          "A Member State is one state; use htkg:GroupOfStates for 'Member States' as a whole, "
          "not both types."),
    _case("group-of-states-with-sanctions-listing",
          "INSERT DATA { actor:member-states htkg:hasSanctionsListing "
          f"<{ID}sanctions-listing/SOe.001> }}",
          "GroupOfStatesShape", "MaxCount", f"{ID}actor/member-states",
          "States referred to as a whole are not listed on a sanctions list; attach the listing "
          "to the entity itself."),
    _case("terrorist-group-without-ftm-topic",
          'DELETE DATA { actor:al-shabaab htkg:ftmTopic "crime.terror" }',
          "TerroristGroupShape", "HasValue", f"{ID}actor/al-shabaab",
          "Tag a terrorist group with the FollowTheMoney topic 'crime.terror' so partners using "
          "FTM find it.", "Warning"),
    _case("crime-group-without-ftm-topic",
          'INSERT DATA { actor:ocg a htkg:OrganizedCrimeGroup, htkg:Actor ; rdfs:label "OCG" }',
          "OrganizedCrimeGroupShape", "HasValue", f"{ID}actor/ocg",
          "Tag an organized-crime group with the FollowTheMoney topic 'crime' so partners using "
          "FTM find it.", "Warning"),
    _case("facilitator-without-ftm-topic",
          'INSERT DATA { actor:ff a htkg:FinancialFacilitator, htkg:Actor ; rdfs:label "FF" }',
          "FinancialFacilitatorShape", "HasValue", f"{ID}actor/ff",
          "Tag a financial facilitator with the FollowTheMoney topic 'crime.fin' so partners "
          "using FTM find it.", "Warning"),
    _case("person-with-bad-pseudonymous-key",
          'INSERT DATA { person:p1 a htkg:Person, htkg:Actor ; htkg:pseudonymousKey "Jane" }',
          "PersonShape", "Pattern", f"{ID}person/p1",
          "A pseudonymous key looks like 'pk-' followed by at least 8 lower-case hex digits, and "
          "a person has at most one."),
    _case("victim-with-name",
          "INSERT DATA { person:p2 a htkg:Person, htkg:Actor ; htkg:hasRole role:victim ;"
          ' htkg:pseudonymousKey "pk-0123abcd" ; foaf:name "Jane Doe" }',
          "VictimPrivacyShape", "SPARQL", f"{ID}person/p2",
          "A person or group in a victim role must not carry a name or direct identifier "
          "(http://xmlns.com/foaf/0.1/name); remove it and use only htkg:pseudonymousKey."),
    _case("victim-group-with-identifier",
          'INSERT DATA { group:women-taken-to-iraq dcterms:identifier "passport list 17" }',
          "VictimPrivacyShape", "SPARQL", f"{ID}person-group/women-taken-to-iraq",
          "A person or group in a victim role must not carry a name or direct identifier "
          "(http://purl.org/dc/terms/identifier); remove it and use only htkg:pseudonymousKey."),
    _case("victim-without-pseudonymous-key",
          "INSERT DATA { person:p3 a htkg:Person, htkg:Actor ; htkg:hasRole role:victim }",
          "VictimPrivacyShape", "SPARQL", f"{ID}person/p3",
          "A person in a victim role must carry a pseudonymous key (htkg:pseudonymousKey) to be "
          "told apart from other victims."),
    _case("group-size-not-a-number", _replace("group:women-taken-to-iraq", "htkg:groupSize",
          '"9"^^xsd:nonNegativeInteger', '"nine"'),
          "PersonGroupShape", "Datatype", f"{ID}person-group/women-taken-to-iraq",
          "A group size is one whole number of persons, 0 or more (xsd:nonNegativeInteger); leave "
          "it out if the source gives none."),
    _case("country-code-not-iso", _replace(f"<{ID}country/IQ>", "htkg:iso3166Alpha2", '"IQ"',
          '"Iraq"'), "CountryShape", "Pattern", f"{ID}country/IQ",
          "A country needs exactly one ISO 3166-1 alpha-2 code, two capital letters, e.g. 'IQ'."),
    _case("membership-ends-before-it-starts",
          f'INSERT DATA {{ <{M}> htkg:endDate "2017-05"^^xsd:gYearMonth }}',
          "MembershipShape", "SPARQL", M,
          "The membership ends (2017-05) before it starts (2018-01)."),
    _case("membership-without-organization", _drop(f"<{M}>", "org:organization"),
          "MembershipShape", "MinCount", M,
          "A membership is of exactly one organization, an htkg:Actor (org:organization)."),
    _case("listing-with-bad-reference", _replace(f"<{ID}sanctions-listing/SOe.001>",
          "htkg:referenceNumber", '"SOe.001"', '"SOE-001"'),
          "SanctionsListingShape", "Pattern", f"{ID}sanctions-listing/SOe.001",
          "A sanctions listing needs exactly one UN reference number like 'SOe.001' or 'QDe.115'."),
]

ACTIVITY_AND_FINANCE_CASES: list[Case] = [
    _case("activity-without-source",
          _drop("activity:cted-ht-in-country-assessments", "prov:wasDerivedFrom"),
          "ActivityShape", "MinCount", f"{ID}activity/cted-ht-in-country-assessments",
          "An activity must cite its source (prov:wasDerivedFrom), e.g. the slide that "
          "reports it."),
    _case("activity-date-as-text", _replace("activity:cted-ht-in-country-assessments",
          "htkg:startDate", '"2017-03"^^xsd:gYearMonth', '"March 2017"'),
          "ActivityShape", "Node", f"{ID}activity/cted-ht-in-country-assessments",
          f"An activity has at most one start date, a day, month or year ({FLEX})."),
    _case("project-without-aim", _drop("activity:cted-ht-t-project", "dcterms:description"),
          "ProjectShape", "MinCount", f"{ID}activity/cted-ht-t-project",
          "State the project's aim (dcterms:description).", "Warning"),
    _case("participation-without-participant",
          _drop(f"<{ID}participation/cted-fatf-apg-typology>", "htkg:participant"),
          "ParticipationShape", "MinCount", f"{ID}participation/cted-fatf-apg-typology",
          "A participation has exactly one participant, an htkg:Actor."),
    _case("flow-basis-outside-scheme", _replace(f"<{SALARIES}>", "htkg:basis",
          f"<{ID}concept/flow-basis/observed>", f"<{ID}concept/flow-basis/guessed>"),
          "FinancialFlowShape", "In", SALARIES,
          "Say whether the flow was observed in a case or estimated: exactly one of "
          "basis:observed or basis:estimated."),
    _case("observed-flow-without-payee", _drop(f"<{SALARIES}>", "htkg:payee"),
          "FinancialFlowShape", "SPARQL", SALARIES,
          "This flow was observed but names no payee; say who received the money (htkg:payee) "
          "if the source does.", "Warning"),
    _case("negative-amount", _replace(f"<{PROFITS}/amount>", "htkg:amountValue",
          "150000000000.0", '"-5.0"^^xsd:decimal'),
          "MonetaryAmountShape", "MinInclusive", f"{PROFITS}/amount",
          "An amount cannot be negative; record money going the other way as a flow with payer "
          "and payee swapped."),
    _case("amount-not-decimal", _replace(f"<{PROFITS}/amount>", "htkg:amountValue",
          "150000000000.0", '"150 billion"'),
          "MonetaryAmountShape", "Datatype", f"{PROFITS}/amount",
          "An amount needs exactly one value written as a decimal number (xsd:decimal), e.g. "
          "150000000000.0."),
    _case("currency-not-iso-4217", _replace(f"<{PROFITS}/amount>", "htkg:currency", '"USD"',
          '"US$"'), "MonetaryAmountShape", "In", f"{PROFITS}/amount",
          "The currency must be one current ISO 4217 alphabetic code in capitals, e.g. 'USD' or "
          "'EUR'."),
    _case("period-without-start-or-duration", _drop(f"<{PROFITS}/period>", "htkg:duration"),
          "PeriodShape", "Or", f"{PROFITS}/period",
          "A period needs a start date or a duration (htkg:startDate or htkg:duration); otherwise "
          "it says nothing."),
]

EVIDENCE_AND_STATEMENT_CASES: list[Case] = [
    _case("evidence-without-source", _drop("evidence:women-taken-to-iraq", "prov:wasDerivedFrom"),
          "EvidenceShape", "MinCount", f"{ID}evidence/women-taken-to-iraq",
          "Evidence must cite its source (prov:wasDerivedFrom), e.g. the briefing slide it comes "
          "from."),
    _case("evidence-without-grade", _drop("evidence:women-taken-to-iraq", "htkg:reliability"),
          "EvidenceShape", "MinCount", f"{ID}evidence/women-taken-to-iraq",
          "Evidence needs exactly one source-reliability grade, A to F (use F when it cannot be "
          "judged)."),
    _case("evidence-grade-outside-scheme", _replace("evidence:women-taken-to-iraq",
          "htkg:credibility", f"<{ID}concept/credibility/6>", f"<{ID}concept/credibility/7>"),
          "EvidenceShape", "In", f"{ID}evidence/women-taken-to-iraq",
          "Evidence needs exactly one information-credibility grade, 1 to 6 (use 6 when it cannot "
          "be judged)."),
    _case("relevance-without-note",
          _drop("evidence:women-salaries-al-shabaab", "htkg:relevanceNote"),
          "EvidenceShape", "SPARQL", f"{ID}evidence/women-salaries-al-shabaab",
          f"This evidence is linked to a paragraph ({P2388}) without a relevance note; say who "
          "judged it relevant and why (htkg:relevanceNote).", "Warning"),
    _case("evidence-without-tlp", _drop("evidence:women-taken-to-iraq", "htkg:sharingLevel"),
          "EvidenceShape", "MinCount", f"{ID}evidence/women-taken-to-iraq",
          "Give the evidence a TLP 2.0 sharing level; without one it is shared only as its graph "
          "allows.", "Warning"),
    _case("reliability-notation-wrong", _replace(f"<{ID}concept/reliability/A>", "skos:notation",
          '"A"', '"AA"'), "ReliabilityGradeShape", "Pattern", f"{ID}concept/reliability/A",
          "A reliability grade has exactly one notation, a capital letter A to F."),
    _case("credibility-rank-too-high", _replace(f"<{ID}concept/credibility/1>", "htkg:gradeRank",
          '"1"^^xsd:positiveInteger', '"9"^^xsd:positiveInteger'),
          "CredibilityGradeShape", "MaxInclusive", f"{ID}concept/credibility/1",
          "A credibility grade has exactly one rank from 1 to 6."),
    _case("tlp-notation-wrong", _replace(f"<{ID}concept/tlp/red>", "skos:notation",
          '"TLP:RED"', '"RED"'), "SharingLevelShape", "Pattern", f"{ID}concept/tlp/red",
          "A sharing level has exactly one notation, one of TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
          "TLP:AMBER+STRICT, TLP:RED."),
    _case("statement-without-author", _drop("claim:nexus-is-concrete", "prov:wasAttributedTo"),
          "StatementShape", "MinCount", f"{ID}claim/nexus-is-concrete",
          "Say who made the statement (prov:wasAttributedTo an htkg:Actor)."),
    _case("claim-not-declared-statement",
          'INSERT DATA { claim:x a htkg:Claim ; htkg:statementText "x" }',
          "StatementShape", "HasValue", f"{ID}claim/x",
          "Declare every claim, finding and recommendation also as htkg:Statement so it can be "
          "checked without inference."),
    _case("claim-also-finding", "INSERT DATA { claim:nexus-is-concrete a htkg:Finding }",
          "ClaimShape", "Not", f"{ID}claim/nexus-is-concrete",
          "A statement is either a claim or a finding: a finding is drawn from evidence and "
          "graded, a claim is not."),
    _case("finding-without-grade",
          _drop("finding:member-states-lack-financial-data", "htkg:reliability"),
          "FindingShape", "MinCount", f"{ID}finding/member-states-lack-financial-data",
          "A finding needs exactly one source-reliability grade, A to F (use F when it cannot be "
          "judged)."),
    _case("finding-without-evidence",
          _drop("finding:member-states-lack-financial-data", "htkg:restsOn"),
          "FindingShape", "MinCount", f"{ID}finding/member-states-lack-financial-data",
          "Link the finding to the evidence it rests on (htkg:restsOn).", "Warning"),
    _case("recommendation-graded",
          f"INSERT DATA {{ <{ID}recommendation/raise-awareness> htkg:reliability "
          f"<{ID}concept/reliability/A> }}",
          "RecommendationShape", "MaxCount", f"{ID}recommendation/raise-awareness",
          "A recommendation is not graded; grade the findings it is based on instead."),
]

CONCEPT_CASES: list[Case] = [
    _case("concept-without-definition", _drop("tactic:forced-marriage", "skos:definition"),
          "ConceptShape", "MinCount", f"{ID}concept/tactic/forced-marriage",
          "A concept needs a definition (skos:definition) so analysts tag evidence the same way."),
    _case("scheme-without-top-concepts", _drop("scheme:mechanism", "skos:hasTopConcept"),
          "ConceptSchemeShape", "MinCount", f"{ID}scheme/mechanism",
          "A concept scheme lists its top concepts (skos:hasTopConcept)."),
    _case("tactic-without-source-or-note", _drop("tactic:forced-marriage", "skos:scopeNote"),
          "TacticShape", "Or", f"{ID}concept/tactic/forced-marriage",
          "Cite the slide a tactic comes from (prov:wasDerivedFrom), or say in skos:scopeNote "
          "that the briefing does not name it.", "Warning"),
    _case("exploitation-code-untyped", _replace(f"<{ID}concept/exploitation/ForcedMarriage>",
          "skos:notation", '"isForcedMarriage"^^htkg:IomCode', '"isForcedMarriage"'),
          "ExploitationTypeShape", "Datatype", f"{ID}concept/exploitation/ForcedMarriage",
          "An exploitation type carries its IOM CTDC code once, typed htkg:IomCode, e.g. "
          '"isForcedMarriage"^^htkg:IomCode.'),
    _case("recruitment-method-in-wrong-scheme", _replace(f"<{ID}concept/recruitment/abduction>",
          "skos:inScheme", "scheme:recruitment", "scheme:control"),
          "RecruitmentMethodShape", "HasValue", f"{ID}concept/recruitment/abduction",
          "A recruitment method belongs to the recruitment-methods scheme."),
    _case("control-method-without-code", _drop(f"<{ID}concept/control/Threats>", "skos:notation"),
          "ControlMethodShape", "MinCount", f"{ID}concept/control/Threats",
          "A control method carries its IOM HTCDS value once, typed htkg:IomCode, e.g. "
          '"FalsePromises"^^htkg:IomCode.'),
    _case("role-in-wrong-scheme", _replace("role:victim", "skos:inScheme", "scheme:role",
          "scheme:tactic"), "PersonRoleShape", "HasValue", f"{ID}concept/role/victim",
          "A person role belongs to the person-roles scheme."),
    _case("mechanism-in-wrong-scheme", _replace(f"<{ID}concept/mechanism/ransom>",
          "skos:inScheme", "scheme:mechanism", "scheme:tactic"),
          "FinancialMechanismShape", "HasValue", f"{ID}concept/mechanism/ransom",
          "A financial mechanism belongs to the financial-mechanisms scheme."),
    _case("flow-basis-in-wrong-scheme", _replace(f"<{ID}concept/flow-basis/observed>",
          "skos:inScheme", "scheme:flow-basis", "scheme:tactic"),
          "FlowBasisShape", "HasValue", f"{ID}concept/flow-basis/observed",
          "A flow basis belongs to the flow-basis scheme (observed or estimated)."),
]

WRITE = "https://w3id.org/htkg/id/write/example"
HARVEST = "https://w3id.org/htkg/id/harvest/example"
PARTNER = "https://w3id.org/htkg/id/partner/example"

PROVENANCE_CASES: list[Case] = [
    _case("write-record-without-agent",
          f'INSERT DATA {{ <{WRITE}> a htkg:GraphWrite ; htkg:validationOutcome "conforms" ; '
          'prov:startedAtTime "2026-01-02T00:00:00Z"^^xsd:dateTime }',
          "GraphWriteShape", "MinCount", WRITE,
          "A write record names exactly one agent (prov:wasAssociatedWith), the token's "
          "identity."),
    _case("harvest-with-unknown-outcome",
          f'INSERT DATA {{ <{HARVEST}> a htkg:Harvest ; htkg:harvestOutcome "maybe" ; '
          'prov:used <https://fiu.example/sparql> ; '
          'prov:startedAtTime "2026-01-02T00:00:00Z"^^xsd:dateTime }',
          "HarvestShape", "In", HARVEST,
          'A harvest outcome is "written", "unchanged", "quarantined" or "failed".'),
    _case("partner-without-record",
          f"INSERT DATA {{ <{PARTNER}> a htkg:Partner }}",
          "PartnerShape", "MinCount", PARTNER,
          "A partner has exactly one registration record (JSON, a string)."),
]

ALL_CASES = (PROVENANCE_CASES + CASES + ACTOR_CASES + ACTIVITY_AND_FINANCE_CASES
             + EVIDENCE_AND_STATEMENT_CASES + CONCEPT_CASES)
