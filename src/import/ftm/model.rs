//! What the importer needs of the FollowTheMoney model: which schemata are
//! edges (and their source, target, label and caption), which are
//! documents, which properties hold entity references, and each schema's
//! caption. Taken from the model's YAML (`followthemoney/schema/*.yaml` in
//! `alephdata/followthemoney`, MIT, commit c70a89f of 2025-06-27), not read
//! at run time.

/// An edge schema: an element of it is a relation from `source` to
/// `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeSpec {
    pub schema: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    /// The model's edge label ("owns", "paid").
    pub label: &'static str,
    pub directed: bool,
    /// The edge caption's properties, added to the label when present.
    pub caption: &'static [&'static str],
    /// The properties naming the start date, first present wins.
    pub start: &'static [&'static str],
}

const START: &[&str] = &["startDate", "date"];

/// The model's `edge:` sections, plus `Similar` (two entities presumed the
/// same: `candidate` and `match`, undirected; the model gives it no edge).
pub const EDGES: &[EdgeSpec] = &[
    edge(
        "Associate",
        "person",
        "associate",
        "associated with",
        false,
        &["relationship"],
    ),
    edge(
        "ContractAward",
        "contract",
        "supplier",
        "awarded to",
        true,
        &["lotNumber"],
    ),
    edge(
        "CourtCaseParty",
        "party",
        "case",
        "involved in",
        true,
        &["role"],
    ),
    edge("Debt", "debtor", "creditor", "owes", true, &["amount"]),
    edge(
        "Directorship",
        "director",
        "organization",
        "directs",
        true,
        &["role"],
    ),
    edge(
        "Documentation",
        "document",
        "entity",
        "documents",
        false,
        &["role"],
    ),
    edge(
        "Employment",
        "employee",
        "employer",
        "works for",
        true,
        &["role"],
    ),
    edge(
        "Family",
        "person",
        "relative",
        "related to",
        false,
        &["relationship"],
    ),
    edge(
        "Membership",
        "member",
        "organization",
        "belongs to",
        true,
        &["role"],
    ),
    EdgeSpec {
        start: &["startDate", "declarationDate", "date"],
        ..edge("Occupancy", "holder", "post", "holds", true, &[])
    },
    edge("Ownership", "owner", "asset", "owns", true, &["percentage"]),
    edge(
        "Payment",
        "payer",
        "beneficiary",
        "paid",
        true,
        &["amount", "purpose"],
    ),
    edge(
        "ProjectParticipant",
        "participant",
        "project",
        "participates in",
        true,
        &["role"],
    ),
    edge(
        "Representation",
        "agent",
        "client",
        "represents",
        true,
        &["role"],
    ),
    edge(
        "Similar",
        "candidate",
        "match",
        "similar to",
        false,
        &["confidenceScore"],
    ),
    edge(
        "Succession",
        "predecessor",
        "successor",
        "precedes",
        true,
        &[],
    ),
    edge(
        "UnknownLink",
        "subject",
        "object",
        "linked to",
        false,
        &["role"],
    ),
];

const fn edge(
    schema: &'static str,
    source: &'static str,
    target: &'static str,
    label: &'static str,
    directed: bool,
    caption: &'static [&'static str],
) -> EdgeSpec {
    EdgeSpec {
        schema,
        source,
        target,
        label,
        directed,
        caption,
        start: START,
    }
}

pub fn edge_spec(schema: &str) -> Option<&'static EdgeSpec> {
    EDGES.iter().find(|spec| spec.schema == schema)
}

/// The schemata that extend `Document`: they become source documents.
pub const DOCUMENTS: &[&str] = &[
    "Article",
    "Audio",
    "Document",
    "Email",
    "Folder",
    "HyperText",
    "Image",
    "Message",
    "Package",
    "Pages",
    "PlainText",
    "Table",
    "Video",
    "Workbook",
];

/// Every schema of the model (the rest are noted as unknown).
pub const SCHEMATA: &[&str] = &[
    "Address",
    "Airplane",
    "Analyzable",
    "Article",
    "Assessment",
    "Asset",
    "Associate",
    "Audio",
    "BankAccount",
    "Call",
    "CallForTenders",
    "Company",
    "Contract",
    "ContractAward",
    "CourtCase",
    "CourtCaseParty",
    "CryptoWallet",
    "Debt",
    "Directorship",
    "Document",
    "Documentation",
    "EconomicActivity",
    "Email",
    "Employment",
    "Event",
    "Family",
    "Folder",
    "HyperText",
    "Identification",
    "Image",
    "Interest",
    "Interval",
    "LegalEntity",
    "License",
    "Membership",
    "Mention",
    "Message",
    "Note",
    "Occupancy",
    "Organization",
    "Ownership",
    "Package",
    "Page",
    "Pages",
    "Passport",
    "Payment",
    "Person",
    "PlainText",
    "Position",
    "Post",
    "Project",
    "ProjectParticipant",
    "PublicBody",
    "RealEstate",
    "Representation",
    "Sanction",
    "Security",
    "Similar",
    "Succession",
    "Table",
    "TaxRoll",
    "Thing",
    "Trip",
    "UnknownLink",
    "UserAccount",
    "Value",
    "Vehicle",
    "Vessel",
    "Video",
    "Workbook",
];

/// Properties whose type is `entity` in every schema that has them: a
/// value that names no element of the input is noted.
pub const ENTITY_PROPERTIES: &[&str] = &[
    "addressEntity",
    "agent",
    "ancestors",
    "asset",
    "associate",
    "bank",
    "bankAccount",
    "bankForeign",
    "bankRub",
    "beneficiary",
    "beneficiaryAccount",
    "callForTenders",
    "caller",
    "candidate",
    "case",
    "client",
    "contract",
    "contractHolder",
    "creditor",
    "debtor",
    "declarant",
    "director",
    "document",
    "emitters",
    "employee",
    "employer",
    "endLocation",
    "entity",
    "holder",
    "inReplyToEmail",
    "inReplyToMessage",
    "involved",
    "issuer",
    "match",
    "member",
    "object",
    "onBehalfOf",
    "operator",
    "organizer",
    "owner",
    "parent",
    "participant",
    "party",
    "payer",
    "payerAccount",
    "person",
    "pictured",
    "post",
    "predecessor",
    "project",
    "proof",
    "receiver",
    "recipientAccount",
    "recipients",
    "relative",
    "resolved",
    "senderAccount",
    "startLocation",
    "successor",
    "supplier",
    "taxee",
    "tenderers",
    "transport",
    "vehicle",
];

/// Properties that are entity references in some schemata and text in
/// others (`author` of an `Assessment`, of a `Document`): a value naming an
/// element is a reference, any other value is text.
pub const MAYBE_ENTITY_PROPERTIES: &[&str] =
    &["author", "authority", "organization", "sender", "subject"];

/// The kind of entity an element of `schema` becomes.
pub fn entity_kind(schema: &str) -> String {
    match schema {
        "Person" => "actor".to_owned(),
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => "organization".to_owned(),
        "Event" | "Trip" => "event".to_owned(),
        other => other.to_lowercase(),
    }
}

/// The properties a name is taken from when `name` is empty, as the
/// model's captions list them.
pub fn caption(schema: &str) -> &'static [&'static str] {
    match schema {
        "Address" => &["full", "summary", "city", "remarks"],
        "Airplane" | "Vehicle" => &["registrationNumber"],
        "BankAccount" => &["iban", "accountNumber"],
        "Call" => &["callerNumber", "receiverNumber"],
        "CallForTenders" => &["title"],
        "Contract" => &["title", "procedureNumber"],
        "CourtCase" => &["caseNumber"],
        "CryptoWallet" => &["publicKey", "summary"],
        "EconomicActivity" => &["summary", "goodsDescription", "ccdNumber"],
        "Event" => &["summary", "date"],
        "Identification" => &["number"],
        "LegalEntity" | "Person" => &["lastName", "email", "phone", "registrationNumber"],
        "Note" => &["description"],
        "Passport" => &["passportNumber", "number"],
        "Post" => &["summary", "role"],
        "Project" => &["projectId"],
        "RealEstate" => &["address", "registrationNumber"],
        "Sanction" => &["program"],
        "Security" => &["isin", "registrationNumber"],
        "Trip" => &["startDate", "endDate"],
        "UserAccount" => &["username", "email", "service"],
        "Vessel" => &["imoNumber"],
        _ => &["title", "fileName", "summary"],
    }
}

/// `camelCase` → `snake_case`, the relation kind of a schema or property.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (index, character) in name.chars().enumerate() {
        if character.is_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.extend(character.to_lowercase());
        } else {
            out.push(character);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_snake_case_follow_the_mapping_table() {
        assert_eq!(entity_kind("Person"), "actor");
        assert_eq!(entity_kind("Company"), "organization");
        assert_eq!(entity_kind("Event"), "event");
        assert_eq!(entity_kind("BankAccount"), "bankaccount");
        assert_eq!(snake_case("UnknownLink"), "unknown_link");
        assert_eq!(snake_case("addressEntity"), "address_entity");
        assert_eq!(
            edge_spec("Ownership").map(|spec| spec.source),
            Some("owner")
        );
        assert!(edge_spec("Person").is_none());
        assert!(EDGES.iter().all(|spec| SCHEMATA.contains(&spec.schema)));
        assert!(DOCUMENTS.iter().all(|schema| SCHEMATA.contains(schema)));
    }
}
