"""Facts from public pages (``ontology/data/public.ttl``): each is in the graph and cites its page.

Every row names the page (its ``rg:url``) a fact comes from; the test checks that the
merged graph (``radgraph.load()``) holds the fact *and* that evidence from that page
backs it: either an evidence node stating the triple (``rg:about`` / ``rg:property`` /
``rg:value``) or an evidence the node names with ``prov:wasDerivedFrom``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from radgraph.cli import cli
from radgraph.kg import load, shipped_files, validate_graph
from radgraph.namespaces import PREFIXES, RG

ARRT = "https://www.arrt.org/"
PRIMARY = ARRT + "earn-arrt-credentials/requirements/primary-requirements"
ADDITIONAL_PRIMARY = ARRT + "pages/resources/earn-additional-credentials/earn-additional-credentials-primary"
POSTPRIMARY = ARRT + "pages/resources/earn-additional-credentials/earn-additional-credentials-postprimary"
STRUCTURED = ("https://arrt.org/earn-arrt-credentials/requirements/education-requirements/"
              "education-requirements-postprimary/structured-education-requirements")
CLINICAL = ARRT + "pages/arrt-reference-documents/by-document-type/clinical-experience-requirements"
SUPPORTING = (ARRT + "pages/earn-arrt-credentials/initial-requirements/postprimary-requirements/"
              "education-requirements-postprimary/supporting-category-requirements")
CT_PAGE = "https://arrt.org/pages/resources/earn-additional-credentials/earn-additional-credentials-postprimary/computed-tomography"
MRI_PAGE = POSTPRIMARY + "/magnetic-resonance-imaging"
M_PAGE = POSTPRIMARY + "/mammography-postprimary"
REQUIREMENTS = ARRT + "earn-arrt-credentials/requirements"
RRA_FAQ = ARRT + "pages/contact/frequent-questions-registered/registered-radiologist-assistant"
CE = ARRT + "pages/resources/maintaining-credentials/continuing-education"
CQR = ARRT + "pages/resources/maintaining-credentials/continuing-qualifications-requirements"
ACR_RRA = "https://www.acr.org/Member-Resources/membership/Membership-Eligibility/What-is-an-RRA"
JRCERT = "https://www.jrcert.org/history/"
USDE = "https://opeweb.ed.gov/e-Recognition/Home/StaffReport?aid=38&mid=71"
ABR_REQ = "https://www.theabr.org/diagnostic-radiology/initial-certification/certification-requirements"
ABR_INITIAL = "https://www.theabr.org/diagnostic-radiology/initial-certification"
ACGME = "https://studylib.net/doc/18758008/acgme-common-program-requirements-appear-in-bold"
AAMC = "https://docslib.org/doc/1784109/the-road-to-becoming-a-doctor"
AHA = "https://cpr.heart.org/en/resources/course-card-information"
ONET_2034 = "https://www.onetonline.org/link/summary/29-2034.00?redir=29-2034.01"
ONET_1224 = "https://www.onetonline.org/link/summary/29-1224.00"
ONET_1132 = "https://www.onetonline.org/link/details/31-1132.00"
TEXAS = "https://texascareercheck.com/OccupationInfo/OccupationSummary/29-2034.00/"
CAREERONESTOP = ("https://www.careeronestop.org/Toolkit/Careers/Occupations/occupation-profile.aspx?"
                 "keyword=Magnetic%20Resonance%20Imaging%20Technologists&onetcode=29203500&location=California")
AAMC_EXPECT = "http://students-residents.aamc.org/choosing-medical-career/article/what-expect-medical-school/"
RRA_2023 = ARRT + "news/article/2022/04/29/updated-rra-documents-effective-010123"
M_2025 = ARRT + "news/article/2025/05/16/updated-mammography-content-specifications-2025"
CODE_CONNECTOR = "http://www.onetcodeconnector.org/ccreport/29-2034.00"
ESCO_REPO = "https://github.com/MohamedGouaouri/esco/blob/381d16fb6ae1c22f7c7b16a0631dbdc4bada5e8d/"
ESCO_OCC = ESCO_REPO + "occupations_en.csv"
ESCO_ISCO = ESCO_REPO + "ISCOGroups_en.csv"
E_DIAGNOSTIC = "<http://data.europa.eu/esco/occupation/7d092380-1c2e-48fe-81de-0d191b4e96d6>"
E_SPECIALISED = "<http://data.europa.eu/esco/occupation/9b889f07-c39c-464d-b9d9-b2daa650f9ac>"
E_PORTER = "<http://data.europa.eu/esco/occupation/a30734bb-2f10-4747-a94c-75f5ec3c63a4>"
I_2212, I_2269, I_3211, I_5329 = (f"<http://data.europa.eu/esco/isco/C{c}>" for c in ("2212", "2269", "3211", "5329"))
COMPETENCY = ARRT + "Practice-Analysis/Competency-Requirements"
STUDENTS = ARRT + "students-of-the-profession/requirements"
EDUCATOR = "https://arrt.org/pages/educator-update/remind-students-of-application-requirements"
POSTPRIMARY_FAQ = ARRT + "pages/contact/frequent-questions-registered/postprimary-certification-registration-registered"
CT_SE_COPY = "https://studylib.net/doc/13798315/computed-tomography"
MR_SE_COPY = "https://studylib.net/doc/13772566/magnetic-resonance-imaging"
M_SE_COPY = "https://studyres.com/doc/2256114/mammography"
RPA_RRA = ARRT + "pages/rpa-to-rra-pathway"
ADU = "https://online.adu.edu/blog/bsrs/articles/new-education-requirements-for-advanced-imaging-certification/"
ONET_1132_SUMMARY = "https://www.onetonline.org/link/summary/31-1132.00?redir=31-1015.00"
O_2034 = "<https://www.onetonline.org/link/summary/29-2034.00>"
O_2035 = "<https://www.onetonline.org/link/summary/29-2035.00>"
O_1224 = "<https://www.onetonline.org/link/summary/29-1224.00>"
O_1132 = "<https://www.onetonline.org/link/summary/31-1132.00>"

XSD_ANYURI = URIRef("http://www.w3.org/2001/XMLSchema#anyURI")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# (fact, page it comes from, SPARQL pattern that must match, the node whose evidence cites the page)
FACTS = [
    # ARRT primary pathway
    ("R is issued by ARRT", RRA_FAQ, "cred:arrt-radiography rg:issuedBy agent:arrt .", None),
    ("R counts as the article's 'ARRT certification'", RRA_FAQ,
     "cred:arrt-radiography rg:countsAs cred:arrt-certification .", None),
    ("R requires an ARRT-approved radiography program", PRIMARY,
     "cred:arrt-radiography rg:requires ?all . ?all a rg:AllOf ; rg:member ?h . "
     "?h rg:credential cred:arrt-approved-radiography-program .", "?h"),
    ("R requires an associate degree or higher", PRIMARY,
     "cred:arrt-radiography rg:requires/rg:member ?h . ?h rg:credential cred:associate-degree .", "?h"),
    ("R's program requirement: a program in that discipline", ADDITIONAL_PRIMARY,
     "cred:arrt-radiography rg:requires/rg:member ?h . ?h rg:credential cred:arrt-approved-radiography-program .", "?h"),
    ("R also needs ethics (folded into the credential)", PRIMARY,
     "cred:arrt-radiography rg:caveat ?c .", "cred:arrt-radiography"),
    ("ARRT approves the radiography program", PRIMARY,
     "cred:arrt-approved-radiography-program rg:approvedBy agent:arrt .", "cred:arrt-approved-radiography-program"),
    ("N requires an ARRT-approved N program", PRIMARY,
     "cred:arrt-nuclear-medicine rg:requires/rg:member ?h . ?h rg:credential cred:arrt-approved-nuclear-medicine-program .", "?h"),
    ("T requires an ARRT-approved T program", PRIMARY,
     "cred:arrt-radiation-therapy rg:requires/rg:member ?h . ?h rg:credential cred:arrt-approved-radiation-therapy-program .", "?h"),
    # ARRT postprimary
    ("CT: supporting any of R, N, N (NMTCB), T", CT_PAGE,
     "cred:arrt-ct rg:requires/rg:member ?any . ?any a rg:AnyOf ; "
     "rg:member/rg:credential cred:arrt-radiography , cred:arrt-nuclear-medicine , cred:nmtcb-nuclear-medicine , "
     "cred:arrt-radiation-therapy .", "?any"),
    ("CT: 16 hours of structured education", POSTPRIMARY,
     "cred:arrt-ct rg:requires/rg:member ?h . ?h rg:credential cred:arrt-ct-structured-education ; rg:hours 16 .", "?h"),
    ("CT: structured education within 24 months", STRUCTURED,
     "cred:arrt-ct rg:requires/rg:member ?h . ?h rg:credential cred:arrt-ct-structured-education ; rg:withinMonths 24 .", "?h"),
    ("CT: clinical procedures within 24 months", CLINICAL,
     "cred:arrt-ct rg:requires/rg:member ?h . ?h a rg:ExperienceRequirement ; rg:withinMonths 24 ; "
     "rg:setting setting:arrt-ct-clinical-procedures .", "?h"),
    ("MR: supporting any of R, N, N (NMTCB), T, S, S (ARDMS)", MRI_PAGE,
     "cred:arrt-mr rg:requires/rg:member/rg:member ?any . ?any a rg:AnyOf ; "
     "rg:member/rg:credential cred:arrt-radiography , cred:arrt-nuclear-medicine , cred:nmtcb-nuclear-medicine , "
     "cred:arrt-radiation-therapy , cred:arrt-sonography , cred:ardms-sonography .", "?any"),
    ("MR: primary or postprimary pathway", REQUIREMENTS,
     "cred:arrt-mr rg:requires ?any . ?any a rg:AnyOf ; rg:member/rg:member/rg:credential cred:arrt-approved-mri-program .",
     "?any"),
    ("MR: 16 hours of structured education", POSTPRIMARY,
     "cred:arrt-mr rg:requires/rg:member/rg:member ?h . ?h rg:credential cred:arrt-mr-structured-education ; rg:hours 16 .",
     "?h"),
    ("M: Radiography is the supporting credential", M_PAGE,
     "cred:arrt-mammography rg:requires/rg:member ?h . ?h rg:credential cred:arrt-radiography .", "?h"),
    ("M: 16 hours of structured education", POSTPRIMARY,
     "cred:arrt-mammography rg:requires/rg:member ?h . ?h rg:credential cred:arrt-mammography-structured-education ; "
     "rg:hours 16 .", "?h"),
    ("VI: Radiography is the supporting credential", SUPPORTING,
     "cred:arrt-vascular-interventional rg:requires/rg:member ?h . ?h rg:credential cred:arrt-radiography .", "?h"),
    ("CI: Radiography is the supporting credential", SUPPORTING,
     "cred:arrt-cardiac-interventional rg:requires/rg:member ?h . ?h rg:credential cred:arrt-radiography .", "?h"),
    ("CI: clinical procedures within 24 months", CLINICAL,
     "cred:arrt-cardiac-interventional rg:requires/rg:member ?h . ?h a rg:ExperienceRequirement ; rg:withinMonths 24 .",
     "?h"),
    # roles
    ("CT Technologist requires ARRT CT", CT_PAGE,
     "role:ct-technologist rg:requires ?all . ?all rg:member ?h . ?h rg:credential cred:arrt-ct .", "?h"),
    ("MRI Technologist requires ARRT MR", MRI_PAGE,
     "role:mr-technologist rg:requires ?all . ?all rg:member ?h . ?h rg:credential cred:arrt-mr .", "?h"),
    ("Mammographer requires ARRT M", M_PAGE,
     "role:mammographer rg:requires ?all . ?all rg:member ?h . ?h rg:credential cred:arrt-mammography .", "?h"),
    ("O*NET names the CT Technologist", ONET_2034,
     "role:ct-technologist skos:prefLabel 'CT Technologist' .", "role:ct-technologist"),
    # continuing education
    ("24 CE credits per 24-month biennium", CE,
     "role:ct-technologist rg:maintains/rg:member ?ce . ?ce rg:credits 24 ; rg:periodMonths 24 ; "
     "rg:administeredBy agent:arrt .", "?ce"),
    ("CQR every 10 years", CQR,
     "role:mammographer rg:maintains/rg:member ?q . ?q rg:periodMonths 120 ; rg:condition ?c .", "?q"),
    ("The article's ARRT CE node gets 24 credits per biennium", CE,
     "req:irt-education rg:credits 24 ; rg:periodMonths 24 .", "req:irt-education"),
    # R.R.A.
    ("R.R.A. requires a master's degree or higher", RRA_FAQ,
     "cred:arrt-rra rg:requires/rg:member ?h . ?h rg:credential cred:masters-degree .", "?h"),
    ("R.R.A. requires Radiography", RRA_FAQ,
     "cred:arrt-rra rg:requires/rg:member ?h . ?h rg:credential cred:arrt-radiography .", "?h"),
    ("R.R.A. requires 12 months as a radiologic technologist", RRA_FAQ,
     "cred:arrt-rra rg:requires/rg:member/rg:member ?h . ?h rg:minMonths 12 ; rg:role role:radiologic-technologist .",
     "?h"),
    ("R.R.A. requires an ARRT-approved RA program", RRA_FAQ,
     "cred:arrt-rra rg:requires/rg:member ?h . ?h rg:credential cred:arrt-approved-ra-program .", "?h"),
    ("The RRA role is named by the ACR", ACR_RRA,
     "role:registered-radiologist-assistant rg:requires/rg:member/rg:credential cred:arrt-rra .",
     "role:registered-radiologist-assistant"),
    ("RRAs practise under a radiologist's supervision", ACR_RRA,
     "role:registered-radiologist-assistant rg:supervisedBy role:radiologist .", None),
    ("R.R.A.s earn 50 CE credits per biennium", CE,
     "role:registered-radiologist-assistant rg:maintains/rg:member ?ce . ?ce rg:credits 50 ; rg:periodMonths 24 .", "?ce"),
    # JRCERT, ABR, durations, AHA
    ("JRCERT accredits radiography programs", JRCERT,
     "agent:jrcert a rg:AccreditingBody .", "agent:jrcert"),
    ("JRCERT's USDE scope", USDE, "agent:jrcert a rg:AccreditingBody .", "agent:jrcert"),
    ("ABR issues DR board certification", ABR_REQ,
     "cred:diagnostic-radiology-board-certification rg:issuedBy agent:abr .", None),
    ("ABR requires an ACGME- or RCPSC-accredited residency", ABR_REQ,
     "cred:diagnostic-radiology-board-certification rg:requires/rg:member ?any . "
     "?any rg:member/rg:credential cred:radiology-residency-acgme , cred:radiology-residency-rcpsc .", "?any"),
    ("ABR exam timing", ABR_INITIAL,
     "cred:diagnostic-radiology-board-certification rdfs:comment ?c .", "cred:diagnostic-radiology-board-certification"),
    ("DR residency is 60 months (5 years of GME)", ACGME,
     "cred:radiology-residency-acgme rg:durationMonths 60 .", "cred:radiology-residency-acgme"),
    ("LCME medical school is 48 months", AAMC, "cred:medical-school-lcme rg:durationMonths 48 .", "cred:medical-school-lcme"),
    ("LCME medical school is 48 months (AAMC's own site)", AAMC_EXPECT,
     "cred:medical-school-lcme rg:durationMonths 48 .", None),
    ("R.R.A.: ARRT's 2023 documents ask two years of experience (a caveat)", RRA_2023,
     "req:arrt-rra-experience rg:caveat ?c . FILTER(CONTAINS(?c, 'two years'))", "req:arrt-rra-experience"),
    ("Mammography: at least five elective procedures (2025)", M_2025,
     "req:arrt-mammography-clinical rg:caveat ?c . FILTER(CONTAINS(?c, 'at least five'))", "req:arrt-mammography-clinical"),
    ("AOA medical school is 48 months", AAMC, "cred:medical-school-aoa rg:durationMonths 48 .", "cred:medical-school-aoa"),
    ("AHA BLS card valid 2 years", AHA,
     "cred:bls-healthcare-providers-aha rdfs:comment ?c .", "cred:bls-healthcare-providers-aha"),
    # occupation codes
    ("Radiologic Technologist ~ O*NET 29-2034.00", ONET_2034,
     f"role:radiologic-technologist skos:closeMatch {O_2034} . {O_2034} skos:notation '29-2034.00' .", None),
    ("Radiology Technician ~ 29-2034.00 (technologists and technicians)", TEXAS,
     f"role:radiology-technician skos:closeMatch {O_2034} .", None),
    ("Radiologist = O*NET 29-1224.00", ONET_1224,
     f"role:radiologist skos:exactMatch {O_1224} . {O_1224} skos:notation '29-1224.00' .", None),
    ("MRI Technologist = O*NET 29-2035.00", CAREERONESTOP,
     f"role:mr-technologist skos:exactMatch {O_2035} . {O_2035} skos:notation '29-2035.00' .", None),
    ("Radiology Assistant ~ Orderlies 31-1132.00", ONET_1132,
     f"role:radiology-assistant skos:closeMatch {O_1132} . {O_1132} skos:notation '31-1132.00' .", None),
    ("Interventional Radiology Technologist ~ O*NET 29-2034.00 (fluoroscopy-guided catheter task)", CODE_CONNECTOR,
     f"role:interventional-radiology-technologist skos:closeMatch {O_2034} .", None),
    ("NMTCB's credential requires a nuclear medicine technology program", "https://nmtcb.org/faqs/certification",
     "cred:nmtcb-nuclear-medicine rg:requires ?r . ?r rg:credential cred:nmtcb-nmt-program .", "?r"),
    # pages each backing a detail of a node above
    ("ARRT also calls the programs 'ARRT-recognized'", COMPETENCY,
     "cred:arrt-approved-radiography-program rg:caveat ?c . FILTER(CONTAINS(?c, 'ARRT-recognized'))",
     "cred:arrt-approved-radiography-program"),
    ("R's degree rule applies to those who finished after 1 Jan 2015", STUDENTS,
     "req:arrt-radiography-degree rg:caveat ?c . FILTER(CONTAINS(?c, '2015'))", "req:arrt-radiography-degree"),
    ("The associate degree may be in any subject", EDUCATOR,
     "cred:associate-degree rg:caveat ?c . FILTER(CONTAINS(?c, 'any subject'))", "cred:associate-degree"),
    ("Postprimary credentials ask no degree", POSTPRIMARY_FAQ,
     "cred:arrt-ct rg:caveat ?c . FILTER(CONTAINS(?c, 'does not apply to postprimary'))", "cred:arrt-ct"),
    ("CT structured education is 16 hours", CT_SE_COPY,
     "req:arrt-ct-structured-education rg:hours 16 .", "req:arrt-ct-structured-education"),
    ("MR structured education is 16 hours", MR_SE_COPY,
     "req:arrt-mr-structured-education rg:hours 16 .", "req:arrt-mr-structured-education"),
    ("Mammography structured education is 16 hours", M_SE_COPY,
     "req:arrt-mammography-structured-education rg:hours 16 .", "req:arrt-mammography-structured-education"),
    ("The RPA-to-R.R.A. pathway closed (a caveat, not a route)", RPA_RRA,
     "cred:arrt-rra rg:caveat ?c . FILTER(CONTAINS(?c, 'closed on December 31, 2020'))", "cred:arrt-rra"),
    ("ARRT accepts JRCERT-accredited programs", ADU,
     "cred:arrt-approved-radiography-program rdfs:comment ?c . FILTER(CONTAINS(?c, 'program accrediting agencies ARRT accepts'))",
     "cred:arrt-approved-radiography-program"),
    ("Orderlies' code replaces 31-1015.00", ONET_1132_SUMMARY,
     f"{O_1132} skos:notation '31-1132.00' .", O_1132),
    # ESCO occupations, each in one ISCO-08 unit group
    ("ESCO diagnostic radiographer is in ISCO-08 2269", ESCO_OCC,
     f"{E_DIAGNOSTIC} skos:broader {I_2269} . {I_2269} skos:notation '2269' .", None),
    ("ESCO specialised doctor is in ISCO-08 2212", ESCO_OCC, f"{E_SPECIALISED} skos:broader {I_2212} .", None),
    ("ESCO hospital porter is in ISCO-08 5329", ESCO_OCC, f"{E_PORTER} skos:broader {I_5329} .", None),
    ("ISCO-08 3211 is medical imaging and therapeutic equipment technicians", ESCO_ISCO,
     f"{I_3211} skos:notation '3211' ; skos:prefLabel 'Medical imaging and therapeutic equipment technicians' .",
     I_3211),
    ("ISCO-08 5329's code", ESCO_ISCO, f"{I_5329} skos:notation '5329' .", I_5329),
    ("Radiologic Technologist ~ ESCO diagnostic radiographer ('radiologic technologist' label)", ESCO_OCC,
     f"role:radiologic-technologist skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("Radiologic Technologist ~ ISCO-08 3211", ESCO_ISCO, f"role:radiologic-technologist skos:closeMatch {I_3211} .", None),
    ("Diagnostic Radiologic Technologist ~ ESCO diagnostic radiographer", ESCO_OCC,
     f"role:diagnostic-radiologic-technologist skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("Diagnostic Radiologic Technologist ~ ISCO-08 3211 (its example)", ESCO_ISCO,
     f"role:diagnostic-radiologic-technologist skos:closeMatch {I_3211} .", None),
    ("Radiology Technician ~ ESCO diagnostic radiographer", ESCO_OCC,
     f"role:radiology-technician skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("Radiology Technician ~ ISCO-08 3211", ESCO_ISCO, f"role:radiology-technician skos:closeMatch {I_3211} .", None),
    ("CT Technologist ~ ESCO diagnostic radiographer", ESCO_OCC, f"role:ct-technologist skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("CT Technologist ~ ISCO-08 3211", ESCO_ISCO, f"role:ct-technologist skos:closeMatch {I_3211} .", None),
    ("MRI Technologist ~ ESCO diagnostic radiographer", ESCO_OCC, f"role:mr-technologist skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("MRI Technologist ~ ISCO-08 3211 (its example)", ESCO_ISCO, f"role:mr-technologist skos:closeMatch {I_3211} .", None),
    ("Mammographer ~ ESCO diagnostic radiographer", ESCO_OCC, f"role:mammographer skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("Mammographer ~ ISCO-08 3211 (its example)", ESCO_ISCO, f"role:mammographer skos:closeMatch {I_3211} .", None),
    ("Interventional Radiology Technologist ~ ESCO diagnostic radiographer", ESCO_OCC,
     f"role:interventional-radiology-technologist skos:closeMatch {E_DIAGNOSTIC} .", None),
    ("Interventional Radiology Technologist ~ ISCO-08 3211", ESCO_ISCO,
     f"role:interventional-radiology-technologist skos:closeMatch {I_3211} .", None),
    ("Radiologist ~ ESCO specialised doctor ('radiologist' label)", ESCO_OCC,
     f"role:radiologist skos:closeMatch {E_SPECIALISED} .", None),
    ("Radiology Assistant ~ ESCO hospital porter", ESCO_OCC, f"role:radiology-assistant skos:closeMatch {E_PORTER} .", None),
    ("Radiology Imaging Procedure Assistant ~ ESCO hospital porter", ESCO_OCC,
     f"role:radiology-imaging-procedure-assistant skos:closeMatch {E_PORTER} .", None),
    ("Radiology Tech Assistant ~ ISCO-08 5329 (medical imaging assistant)", ESCO_ISCO,
     f"role:radiology-tech-assistant skos:closeMatch {I_5329} .", None),
]


@pytest.fixture(scope="module")
def kg():
    return load()


@pytest.fixture(scope="module")
def public_graph() -> Graph:
    path = next(p for p in shipped_files() if p.name == "public.ttl")
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def cited(graph: Graph, where: str, holder: str | None, url: str) -> bool:
    """Does ``where`` match, with evidence from ``url`` behind it?

    With a ``holder``, that node names the evidence (prov:wasDerivedFrom); without one,
    ``where`` is a single triple ``s p o .`` stated by an evidence node.
    """
    if holder is not None:
        query = f"ASK {{ {where} {holder} prov:wasDerivedFrom ?e . ?e rg:inSource/rg:url ?u . FILTER(STR(?u) = ?url) }}"
    else:
        s, p, o = where.split(" . ")[0].split(" ", 2)
        query = (f"ASK {{ {where} ?e rg:about {s} ; rg:property {p} ; rg:value {o.rstrip(' .')} ; "
                 f"rg:inSource/rg:url ?u . FILTER(STR(?u) = ?url) }}")
    return bool(graph.query(PROLOGUE + query, initBindings={"url": Literal(url)}).askAnswer)


@pytest.mark.parametrize("fact, url, where, holder", FACTS, ids=[f[0] for f in FACTS])
def test_public_fact_is_in_graph_and_cites_its_page(kg, fact, url, where, holder):
    holds = bool(kg.graph.query(PROLOGUE + f"ASK {{ {where} }}").askAnswer)
    assert holds, f"graph does not hold: {fact}"
    assert cited(kg.graph, where, holder, url), f"{fact}: no evidence from {url}"


def test_fact_table_is_not_empty():
    assert len(FACTS) >= 40


def test_every_public_page_is_named_by_a_fact_test(public_graph):
    """No page is cited in public.ttl without a row above checking what it backs."""
    pages = {str(public_graph.value(s, RG.url)) for s in public_graph.subjects(RDF.type, RG.Source)}
    assert pages - {url for _, url, _, _ in FACTS} == set()


def public_evidence(graph: Graph) -> list[URIRef]:
    prefix = PREFIXES["ev"] + "pub-"
    return sorted(e for e in graph.subjects(RDF.type, RG.Evidence) if str(e).startswith(prefix))


def test_every_public_evidence_quotes_a_short_fragment_of_a_dated_web_page(kg, public_graph):
    evidence = public_evidence(public_graph)
    assert len(evidence) > 50
    for ev in evidence:
        quotes = list(kg.graph.objects(ev, RG.quote))
        assert len(quotes) == 1, ev
        assert 0 < len(str(quotes[0]).strip()) <= 300, ev
        source = kg.graph.value(ev, RG.inSource)
        assert source is not None, ev
        url = kg.graph.value(source, RG.url)
        assert url is not None and str(url).startswith(("https://", "http://")), source
        assert url.datatype == XSD_ANYURI, source
        read = kg.graph.value(source, RG.read)
        assert read is not None and read.datatype == XSD_DATE, source


def test_every_public_source_has_a_web_address_and_read_date(public_graph):
    sources = sorted(public_graph.subjects(RDF.type, RG.Source))
    assert sources
    for source in sources:
        url = str(public_graph.value(source, RG.url))
        assert url.startswith(("https://", "http://")), source
        if url.startswith("http://"):  # a page read at a plain-http address says so
            assert "http address" in str(public_graph.value(source, RDFS.comment)), source
        assert str(public_graph.value(source, RG.read)) == "2026-11-26", source


def test_every_role_added_from_public_pages_has_an_entry_requirement(kg, public_graph):
    roles = sorted(public_graph.subjects(RDF.type, RG.Role))
    assert len(roles) == 4
    for role in roles:
        assert kg.model.roles[str(role)].requires is not None, role


def test_radiography_counts_as_generic_arrt_certification_not_the_reverse(kg):
    cred = PREFIXES["cred"]
    assert (URIRef(cred + "arrt-radiography"), RG.countsAs, URIRef(cred + "arrt-certification")) in kg.graph
    assert (URIRef(cred + "arrt-certification"), RG.countsAs, None) not in kg.graph


def test_no_clinical_procedure_count_or_duration_is_invented(kg):
    settings = [s for s in kg.graph.subjects(RDF.type, RG.Setting) if "clinical-procedures" in str(s)]
    assert len(settings) == 5
    for setting in settings:
        for req in kg.graph.subjects(RG.setting, setting):
            assert kg.graph.value(req, RG.minMonths) is None, req
            assert "no number or duration is recorded" in str(kg.graph.value(req, RG.caveat)), req


def test_shipped_graph_with_public_facts_conforms(kg):
    assert validate_graph(kg.graph) == []


def test_validate_command_prints_conforms():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "conforms"


def test_show_json_carries_the_onet_code_of_radiologic_technologist():
    result = CliRunner().invoke(cli, ["show", "Radiologic Technologist", "--format", "json"])
    assert result.exit_code == 0, result.output
    codes = json.loads(result.stdout)["codes"]
    assert {"id": O_2034.strip("<>"), "label": "Radiologic Technologists", "notation": "29-2034.00",
            "match": "close", "scheme": "O*NET-SOC"} in codes


def test_public_file_is_loaded_with_the_shipped_graph():
    assert "public.ttl" in [Path(p).name for p in shipped_files()]


def test_show_json_gives_each_code_its_scheme_match_and_isco_group():
    result = CliRunner().invoke(cli, ["show", "Radiologic Technologist", "--format", "json"])
    assert result.exit_code == 0, result.output
    codes = {c["id"]: c for c in json.loads(result.stdout)["codes"]}
    esco = codes[E_DIAGNOSTIC.strip("<>")]
    assert (esco["label"], esco["match"], esco["scheme"]) == ("diagnostic radiographer", "close", "ESCO")
    assert esco["groups"] == [{"id": I_2269.strip("<>"), "label": "Health professionals not elsewhere classified",
                               "notation": "2269"}]
    isco = codes[I_3211.strip("<>")]
    assert (isco["notation"], isco["match"], isco["scheme"]) == ("3211", "close", "ISCO-08")
    assert {c["scheme"] for c in codes.values()} == {"ESCO", "ISCO-08", "O*NET-SOC"}


def test_show_text_lists_codes_one_per_line():
    result = CliRunner().invoke(cli, ["show", "Radiologist"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Codes:")
    assert lines[start + 1:start + 4] == [  # one code a line, folded at 80 columns
        "  - ESCO specialised doctor (close match; in 2212 Specialist medical",
        "      practitioners)",
        "  - O*NET-SOC 29-1224.00 Radiologists (exact match)",
    ]


def test_every_role_but_the_rra_has_an_esco_or_isco_code_and_the_article_alone_has_none():
    result = CliRunner().invoke(cli, ["query", "occupation-codes", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    european = {r["roleLabel"]["value"] for r in rows if r["scheme"]["value"] in ("ESCO", "ISCO-08")}
    roles = {r.label for r in load().model.roles.values()}
    # No ESCO occupation or ISCO-08 group was read that names the US-only R.R.A.
    assert roles - european == {"Registered Radiologist Assistant"}
    assert {r["match"]["value"] for r in rows} == {"exact", "close"}
    esco_groups = {r["iscoLabel"]["value"] for r in rows if r["scheme"]["value"] == "ESCO"}
    assert esco_groups == {"Health professionals not elsewhere classified", "Specialist medical practitioners",
                           "Personal care workers in health services not elsewhere classified"}
    article = CliRunner().invoke(cli, ["--source", "article", "query", "occupation-codes", "--format", "json"])
    assert article.exit_code == 0, article.output
    assert json.loads(article.stdout)["results"]["bindings"] == []
