"""The facts of DESIGN section 6, each as one SPARQL ASK query that must answer true.

One table serves both test paths (the in-memory store and the live server over HTTP), so the
assertions cannot drift apart. A briefing fact's query also requires its provenance link:
the fact node prov:wasDerivedFrom a slide that dcterms:isPartOf the briefing. A public-record
fact requires a link to its public source (UN Digital Library record or the sanctions list).
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """
PREFIX htkg: <https://w3id.org/htkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX id: <https://w3id.org/htkg/id/>
PREFIX actor: <https://w3id.org/htkg/id/actor/>
PREFIX res: <https://w3id.org/htkg/id/resolution/>
PREFIX tactic: <https://w3id.org/htkg/id/concept/tactic/>
PREFIX briefing: <https://w3id.org/htkg/id/document/cted-briefing-ht-terrorism>
"""
# Every briefing fact ends with this: ?fact comes from a slide of the briefing.
FROM_BRIEFING = "?fact prov:wasDerivedFrom/dcterms:isPartOf briefing: ."


@dataclass(frozen=True)
class Fact:
    """One fact: a name for the test id, and an ASK query (without prefixes) that must be true."""

    name: str
    where: str

    @property
    def query(self) -> str:
        return f"{PREFIXES}\nASK {{\n{self.where}\n}}"


def _briefing(name: str, where: str) -> Fact:
    return Fact(name, f"{where}\n{FROM_BRIEFING}")


BRIEFING_FACTS = [
    _briefing("unscr-2331-of-2016-12-20-named-in-briefing", """
    VALUES ?fact { res:2331 }
    ?fact htkg:symbol "S/RES/2331 (2016)" ; htkg:adoptionDate "2016-12-20"^^xsd:date ."""),
    _briefing("unscr-2388-of-2017-11-21-named-in-briefing", """
    VALUES ?fact { res:2388 }
    ?fact htkg:symbol "S/RES/2388 (2017)" ; htkg:adoptionDate "2017-11-21"^^xsd:date ."""),
    _briefing("unscrs-terrorists-benefit-from-organized-crime", """
    ?fact a htkg:Claim ; prov:wasAttributedTo actor:security-council ; htkg:statementText ?t .
    FILTER (CONTAINS(?t, "terrorist groups benefit from organized crime")
        && CONTAINS(?t, "HT"))"""),
    _briefing("ht-annual-profits-about-usd-150-billion", """
    ?fact a htkg:FinancialFlow ; htkg:basis id:concept\\/flow-basis\\/estimated ;
        htkg:mechanism id:concept\\/mechanism\\/trafficking-proceeds ;
        htkg:amount [ htkg:amountValue 150000000000.0 ; htkg:currency "USD" ;
                      htkg:approximate true ] ;
        htkg:perPeriod/htkg:duration "P1Y"^^xsd:duration ."""),
    _briefing("ht-among-most-profitable-organized-crime", """
    ?fact a htkg:Claim ; htkg:about ?flow ; htkg:statementText ?t .
    ?flow a htkg:FinancialFlow .
    FILTER (CONTAINS(?t, "most profitable activities of organized crime"))"""),
    _briefing("nexus-hard-to-demonstrate-opportunistic-revenue", """
    ?fact a htkg:Claim ; htkg:showsTactic tactic:revenue-generation ; htkg:statementText ?t .
    FILTER (CONTAINS(?t, "difficult to demonstrate")
        && CONTAINS(?t, "opportunistic source of revenue"))"""),
    _briefing("sg-terrorism-interlinked-with-organized-crime", """
    ?fact a htkg:Claim ; prov:wasAttributedTo actor:secretary-general ; htkg:statementText ?t .
    FILTER (CONTAINS(?t, "increasingly interlinked with international organized crime")
        && CONTAINS(?t, "people, drugs, arms and corruption"))"""),
    _briefing("nexus-is-concrete", """
    ?fact a htkg:Claim ; htkg:statementText ?t .
    FILTER (CONTAINS(?t, "not only theoretical but also concrete"))"""),
    _briefing("strategic-use-spread-terror-intimidate-populations", """
    ?fact a htkg:Claim ;
        htkg:showsTactic tactic:spread-terror-advance-ideology,
        tactic:intimidate-decimate-communities .
    tactic:spread-terror-advance-ideology prov:wasDerivedFrom/dcterms:isPartOf briefing: .
    tactic:intimidate-decimate-communities prov:wasDerivedFrom/dcterms:isPartOf briefing: ."""),
    _briefing("cted-country-assessments-since-march-2017-under-2331", """
    ?fact a htkg:Activity ; prov:wasAssociatedWith actor:cted ; htkg:underResolution res:2331 ;
        htkg:startDate "2017-03"^^xsd:gYearMonth ; rdfs:label ?l .
    FILTER (CONTAINS(?l, "country assessments"))"""),
    _briefing("cted-sensitizes-member-states-including-financially", """
    ?fact a htkg:Activity ; prov:wasAssociatedWith actor:cted ; htkg:addresses actor:member-states ;
        rdfs:label ?l .
    FILTER (CONTAINS(?l, "sensitizes") && CONTAINS(?l, "including financially"))"""),
    _briefing("unscr-2388-encourages-data-on-financial-flows", """
    ?fact htkg:paragraphOf res:2388 ; htkg:addresses actor:member-states ;
        htkg:mentions actor:cted, actor:monitoring-team ; htkg:paragraphSummary ?s .
    FILTER (CONTAINS(?s, "collect, analyze and share data relating to financial flows"))"""),
    _briefing("cted-member-of-icat-since-january-2018", """
    ?fact a htkg:Membership ; org:member actor:cted ; org:organization actor:icat ;
        htkg:startDate "2018-01"^^xsd:gYearMonth ."""),
    _briefing("cted-in-fatf-apg-typology-project-team", """
    ?fact a htkg:Participation ; htkg:participant actor:cted ; htkg:participatedIn ?project .
    ?report prov:wasGeneratedBy ?project ; dcterms:title "Financial flows from human trafficking" ;
        dcterms:creator actor:fatf, actor:apg ."""),
    _briefing("cted-ht-t-project-outreach-report-and-sg-report-2388", """
    ?fact a htkg:Project ; prov:wasAssociatedWith actor:cted ;
        htkg:contributesTo ?sgReport, ?outcomes ; htkg:hasPart ?outreach .
    ?sgReport a htkg:SecretaryGeneralReport ; htkg:pursuantTo res:2388 .
    ?outcomes htkg:planned true .
    ?outreach htkg:addresses actor:member-states ."""),
    _briefing("finding-systematic-deceptive-recruitment", """
    ?fact a htkg:Finding ; htkg:showsTactic tactic:deceptive-recruitment ; htkg:restsOn ?evidence ;
        htkg:reliability ?r ; htkg:credibility ?c ."""),
    _briefing("salaries-paid-directly-to-al-shabaab", """
    ?fact a htkg:FinancialFlow ; htkg:payee actor:al-shabaab ;
        htkg:basis id:concept\\/flow-basis\\/observed ; htkg:earnedBy ?women .
    ?women htkg:hasRole id:concept\\/role\\/victim .
    ?evidence htkg:evidencesFlow ?fact .
    FILTER NOT EXISTS { ?fact htkg:amount ?amount }"""),
    _briefing("nine-women-taken-to-iraq-delivered-45-children", """
    ?fact a htkg:Evidence ; htkg:involves ?women, ?children ; htkg:location ?iraq .
    ?women htkg:groupSize 9 ; htkg:hasRole id:concept\\/role\\/victim .
    ?children htkg:groupSize 45 ; htkg:bornTo ?women .
    ?iraq htkg:iso3166Alpha2 "IQ" .
    FILTER NOT EXISTS { ?fact htkg:involves/a htkg:TerroristGroup }"""),
    _briefing("member-states-lack-financial-information", """
    ?fact a htkg:Finding ; htkg:restsOn ?evidence ; htkg:statementText ?t .
    FILTER (CONTAINS(?t, "tactic of terrorism")
        && CONTAINS(?t, "lack information on the financial"))"""),
    _briefing("recommendation-raise-awareness-text-stops", """
    ?fact a htkg:Recommendation ; htkg:textTruncated true ; htkg:statementText ?t .
    FILTER (STRSTARTS(?t, "Raise awareness regarding the possible use of human trafficking"))"""),
]

# (number, adoption date, UN Digital Library record) from DESIGN section 6 and CR-UNSC.
RESOLUTIONS = [
    (1373, "2001-09-28", 449020), (1535, "2004-03-26", 518306), (2195, "2014-12-19", 785567),
    (2253, "2015-12-17", 814700), (2331, "2016-12-20", 853237), (2388, "2017-11-21", 1322744),
    (2462, "2019-03-28", 3798199), (2482, "2019-07-19", 3813038),
]
LIST = "<https://w3id.org/htkg/id/document/un-consolidated-list-2018-10-29>"

PUBLIC_RECORD_FACTS = [
    Fact(f"resolution-{number}-adopted-{date}", f"""
    res:{number} htkg:symbol "S/RES/{number} ({date[:4]})" ;
        htkg:adoptionDate "{date}"^^xsd:date ;
        htkg:adoptedBy actor:security-council ;
        htkg:digitalLibraryRecord <https://digitallibrary.un.org/record/{record}> ;
        prov:wasDerivedFrom <https://digitallibrary.un.org/record/{record}> .""")
    for number, date, record in RESOLUTIONS
] + [
    Fact("cted-established-by-1535", """
    actor:cted htkg:establishedBy res:1535 ;
        prov:wasDerivedFrom <https://digitallibrary.un.org/record/518306> ."""),
    Fact("al-shabaab-listed-as-SOe.001", f"""
    actor:al-shabaab htkg:hasSanctionsListing ?l .
    ?l htkg:referenceNumber "SOe.001" ; htkg:nameOnList "AL-SHABAAB" ;
        prov:wasDerivedFrom {LIST} ."""),
    Fact("isil-alias-under-QDe.115", f"""
    actor:isil htkg:hasSanctionsListing ?l .
    ?l htkg:referenceNumber "QDe.115" ;
        htkg:listedUnderAlias "Islamic State in Iraq and the Levant" ;
        prov:wasDerivedFrom {LIST} ."""),
    Fact("boko-haram-alias-under-QDe.138", f"""
    actor:boko-haram htkg:hasSanctionsListing ?l .
    ?l htkg:referenceNumber "QDe.138" ; htkg:listedUnderAlias "Boko Haram" ;
        prov:wasDerivedFrom {LIST} ."""),
]

ALL_FACTS = BRIEFING_FACTS + PUBLIC_RECORD_FACTS
