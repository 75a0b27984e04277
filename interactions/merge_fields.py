"""The merge fields a letter can use, and their values for one contact.

Field names are matched case-insensitively, ignoring spaces, underscores and
punctuation (word_merge.normalise_field_name), so `Contact_Name`, `Contact Name`
and `CONTACT-NAME` are the same field. The names of the reference product's
letters (`Contact Mail Address`, `Document Date`, …) work too, as aliases.
"""

import datetime
import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, CorrespondenceType, Salesperson
from interactions.models import CompanyInformation, WordDocument
from interactions.word_merge import Problem, normalise_field_name, unmergeable_fields


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    aliases: tuple[str, ...] = ()


FIELDS = [
    MergeField(
        "Entry_No",
        _("The interaction log entry's number (empty before the segment is logged)"),
        ("Entry No.",),
    ),
    MergeField("Contact_No", _("The contact's number"), ("Contact No.",)),
    MergeField("Contact_Name", _("The contact's name")),
    MergeField("Contact_Name_2", _("The contact's second name line")),
    MergeField(
        "Contact_Company_Name",
        _("The contact's company (a company's own name)"),
    ),
    MergeField(
        "Contact_Address_Block",
        _(
            "The whole postal address, several lines: name, company, street, town, country"
        ),
        ("Contact Mail Address",),
    ),
    MergeField("Contact_Address", _("Street address")),
    MergeField("Contact_Address_2", _("Street address, second line")),
    MergeField("Contact_Post_Code", _("Post code")),
    MergeField("Contact_City", _("City")),
    MergeField("Contact_County", _("County")),
    MergeField("Contact_Country", _("Country name"), ("Contact Country/Region Name",)),
    MergeField("Contact_Job_Title", _("Job title")),
    MergeField("Contact_Email", _("E-mail address"), ("Contact E-Mail",)),
    MergeField("Contact_Phone", _("Phone"), ("Contact Phone No.",)),
    MergeField("Contact_Mobile", _("Mobile phone"), ("Contact Mobile Phone No.",)),
    MergeField("Contact_Fax", _("Fax"), ("Contact Fax No.",)),
    MergeField("Contact_Website", _("Website"), ("Contact Home Page",)),
    MergeField(
        "Contact_VAT_No",
        _("The contact's VAT registration number"),
        ("Contact VAT Registration No.",),
    ),
    MergeField(
        "FaxMailTo",
        _("The e-mail address an e-mail goes to; empty for a letter on paper"),
    ),
    MergeField("Formal_Salutation", _("Formal salutation, e.g. “Dear Ms Novák”")),
    MergeField("Informal_Salutation", _("Informal salutation, e.g. “Hi Jana”")),
    MergeField(
        "Salesperson_Code",
        _("The salesperson's code"),
        ("Salesperson/Purchaser Code",),
    ),
    MergeField(
        "Salesperson_Name", _("The salesperson's name"), ("Salesperson/Purchaser Name",)
    ),
    MergeField(
        "Salesperson_Job_Title",
        _("The salesperson's job title"),
        ("Salesperson/Purchaser Job Title",),
    ),
    MergeField(
        "Salesperson_Email",
        _("The salesperson's e-mail"),
        ("Salesperson/Purchaser Email",),
    ),
    MergeField(
        "Salesperson_Phone",
        _("The salesperson's phone"),
        ("Salesperson/Purchaser Phone No.",),
    ),
    MergeField("Segment_No", _("The segment's number"), ("Document Segment No.",)),
    MergeField("Segment_Description", _("The segment's description")),
    MergeField("Subject", _("The interaction's subject"), ("Document Subject",)),
    MergeField(
        "Description", _("The interaction's description"), ("Document Description",)
    ),
    MergeField(
        "Date",
        _('The interaction\'s date; Word date pictures such as \\@ "d MMMM yyyy" work'),
        ("Document Date",),
    ),
    MergeField("Campaign", _("The campaign's code"), ("Document Campaign No.",)),
    MergeField("Campaign_Description", _("The campaign's description")),
    MergeField("Comment", _("The personal comment written on the contact's line")),
    MergeField("Company_Name", _("Our company's name"), ("Company Information Name",)),
    MergeField(
        "Company_Name_2",
        _("Our company's second name line"),
        ("Company Information Name 2",),
    ),
    MergeField(
        "Company_Address_Block", _("Our company's whole address, several lines")
    ),
    MergeField(
        "Company_Address",
        _("Our company's street address"),
        ("Company Information Address",),
    ),
    MergeField(
        "Company_Address_2",
        _("Our company's street address, second line"),
        ("Company Information Address 2",),
    ),
    MergeField(
        "Company_Post_Code",
        _("Our company's post code"),
        ("Company Information Post Code",),
    ),
    MergeField("Company_City", _("Our company's city"), ("Company Information City",)),
    MergeField(
        "Company_County", _("Our company's county"), ("Company Information County",)
    ),
    MergeField(
        "Company_Country",
        _("Our company's country"),
        ("Company Information Country/Region Name",),
    ),
    MergeField(
        "Company_Phone", _("Our company's phone"), ("Company Information Phone No.",)
    ),
    MergeField("Company_Fax", _("Our company's fax"), ("Company Information Fax No.",)),
    MergeField("Company_Email", _("Our company's e-mail")),
    MergeField("Company_Website", _("Our company's website")),
    MergeField(
        "Company_VAT_No",
        _("Our company's VAT registration number"),
        ("Company Information VAT Registration No.",),
    ),
    MergeField(
        "Company_Registration_No",
        _("Our company's number in the company register"),
        ("Company Information Registration No.",),
    ),
    MergeField(
        "Company_Bank_Name", _("Our bank's name"), ("Company Information Bank Name",)
    ),
    MergeField(
        "Company_Bank_Branch_No",
        _("Our bank branch's number"),
        ("Company Information Bank Branch No.",),
    ),
    MergeField(
        "Company_Bank_Account_No",
        _("Our bank account number"),
        ("Company Information Bank Account No.",),
    ),
    MergeField(
        "Company_Giro_No", _("Our giro number"), ("Company Information Giro No.",)
    ),
]
# normalised name (or alias) -> the field's canonical normalised name
_KEYS = {
    normalise_field_name(alias): normalise_field_name(field.name)
    for field in FIELDS
    for alias in (field.name, *field.aliases)
}
logger = logging.getLogger(__name__)
# Countries whose addresses put the post code after the town, on a line of its own.
POST_CODE_LAST = {"GB", "IE"}


@dataclass(frozen=True)
class FieldReport:
    """A merge field found in a document: known, or unknown with a suggestion."""

    name: str
    known: bool
    suggestion: str = ""


def check_fields(document_fields: Iterable[str]) -> list[FieldReport]:
    """Which of a document's fields Segmenta fills, and a near name for the others."""
    canonical = {normalise_field_name(field.name): field.name for field in FIELDS}
    names = list(canonical.values()) + [a for f in FIELDS for a in f.aliases]
    reports = []
    for name in document_fields:
        if normalise_field_name(name) in _KEYS:
            reports.append(FieldReport(name, True))
            continue
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        reports.append(FieldReport(name, False, close[0] if close else ""))
    return reports


def document_problems(document: WordDocument) -> list[Problem]:
    """The fields of a stored document that merging cannot fill, read from its file."""
    try:
        with document.file.open("rb") as file:
            return unmergeable_fields(file.read())
    except OSError:
        # The letters of a missing file fail one by one, with their own message.
        logger.warning("Word document %s has no file", document.pk, exc_info=True)
        return []


@dataclass(frozen=True)
class LetterDetails:
    """What one letter says besides the contact: from a segment line or a log entry."""

    segment_number: str
    segment_description: str
    subject: str
    description: str
    date: datetime.date
    comment: str = ""
    campaign_code: str = ""
    campaign_description: str = ""
    # The log entry's number: None for a segment line, which is not logged yet.
    entry_number: int | None = None
    correspondence_type: str = ""


def letter_values(
    contact: Contact,
    *,
    salesperson: Salesperson | None,
    details: LetterDetails,
    company: CompanyInformation,
    language: str,
) -> dict[str, object]:
    """Every field's value for one letter, keyed by normalised name (aliases too)."""
    company_of_contact = contact.company_contact
    values = {
        "Entry_No": details.entry_number or "",
        "Contact_No": contact.number,
        "Contact_Name": contact.name,
        "Contact_Name_2": contact.name_2,
        "Contact_Company_Name": company_of_contact.name if company_of_contact else "",
        "Contact_Address_Block": address_block(
            contact, home_country=company.country.code, language=language
        ),
        "Contact_Address": contact.address,
        "Contact_Address_2": contact.address_2,
        "Contact_Post_Code": contact.post_code,
        "Contact_City": contact.city,
        "Contact_County": contact.county,
        "Contact_Country": _country_name(contact.country, language),
        "Contact_Job_Title": contact.job_title,
        "Contact_Email": contact.email,
        "Contact_Phone": contact.phone,
        "Contact_Mobile": contact.mobile,
        "Contact_Fax": contact.fax,
        "Contact_Website": contact.website,
        "Contact_VAT_No": contact.vat_registration_number,
        "FaxMailTo": (
            contact.email
            if details.correspondence_type == CorrespondenceType.EMAIL
            else ""
        ),
        "Formal_Salutation": contact.formal_salutation,
        "Informal_Salutation": contact.informal_salutation,
        "Salesperson_Code": salesperson.code if salesperson else "",
        "Salesperson_Name": salesperson.name if salesperson else "",
        "Salesperson_Job_Title": salesperson.job_title if salesperson else "",
        "Salesperson_Email": salesperson.email if salesperson else "",
        "Salesperson_Phone": salesperson.phone if salesperson else "",
        "Segment_No": details.segment_number,
        "Segment_Description": details.segment_description,
        "Subject": details.subject,
        "Description": details.description,
        "Date": details.date,
        "Campaign": details.campaign_code,
        "Campaign_Description": details.campaign_description,
        "Comment": details.comment,
        "Company_Name": company.name,
        "Company_Name_2": company.name_2,
        "Company_Address_Block": "\n".join(
            line
            for line in [
                company.name,
                company.name_2,
                company.address,
                company.address_2,
                f"{company.post_code} {company.city}".strip(),
                company.county,
                _country_name(company.country, language),
            ]
            if line
        ),
        "Company_Address": company.address,
        "Company_Address_2": company.address_2,
        "Company_Post_Code": company.post_code,
        "Company_City": company.city,
        "Company_County": company.county,
        "Company_Country": _country_name(company.country, language),
        "Company_Phone": company.phone,
        "Company_Fax": company.fax,
        "Company_Email": company.email,
        "Company_Website": company.website,
        "Company_VAT_No": company.vat_registration_number,
        "Company_Registration_No": company.registration_number,
        "Company_Bank_Name": company.bank_name,
        "Company_Bank_Branch_No": company.bank_branch_number,
        "Company_Bank_Account_No": company.bank_account_number,
        "Company_Giro_No": company.giro_number,
    }
    by_key = {normalise_field_name(name): value for name, value in values.items()}
    return {alias: by_key[canonical] for alias, canonical in _KEYS.items()}


def address_block(contact: Contact, *, home_country: str, language: str) -> str:
    """The postal address as lines: the country only when it is not our own."""
    lines = [contact.name, contact.name_2]
    company = contact.company_contact
    if company and company != contact:
        lines.append(company.name)
    lines += [contact.address, contact.address_2]
    if contact.country.code in POST_CODE_LAST:
        lines += [contact.city, contact.county, contact.post_code]
    else:
        lines += [f"{contact.post_code} {contact.city}".strip(), contact.county]
    if contact.country.code and contact.country.code != home_country:
        lines.append(_country_name(contact.country, language).upper())
    return "\n".join(line for line in lines if line)


def _country_name(country, language: str) -> str:
    if not country.code:
        return ""
    with translation.override(language or None):
        return str(country.name)
