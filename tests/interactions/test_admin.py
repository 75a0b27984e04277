"""Interaction groups and templates in Django admin: documents, validation, statistics."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interactions.models import InteractionTemplate, WordDocument
from tests import word_files
from tests.factories import (
    InteractionGroupFactory,
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    TemplateDocumentFactory,
    UserFactory,
    WordDocumentFactory,
    demo_letter,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:interactions_interactiontemplate_add")
LIST_URL = reverse("admin:interactions_interactiontemplate_changelist")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(name, content, content_type=DOCX):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _template_form(group, *, documents=(), default_language="en", **fields):
    data = {
        "code": "BUS",
        "description": "Business letter",
        "group": group.pk,
        "unit_cost": "1.50",
        "unit_duration": "5",
        "information_flow": "outbound",
        "initiated_by": "us",
        "correspondence_type": "hard_copy",
        "default_language": default_language,
        "documents-TOTAL_FORMS": str(len(documents)),
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "attachment_format": "docx",
        "emails-TOTAL_FORMS": "0",
        "emails-INITIAL_FORMS": "0",
        **fields,
    }
    for index, (language, upload) in enumerate(documents):
        data[f"documents-{index}-language"] = language
        data[f"documents-{index}-description"] = f"Letter {language}"
        if upload is not None:
            data[f"documents-{index}-upload"] = upload
    return data


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _macro_enabled(letter: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(letter))
    members = {name: source.read(name) for name in source.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    return _zip(members)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(150):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture
def group():
    return InteractionGroupFactory(code="LETTER")


def test_an_admin_adds_a_template_with_a_document_per_language(
    admin_client_for_marketing, group
):
    response = admin_client_for_marketing.post(
        ADD_URL,
        _template_form(
            group,
            documents=[
                ("en", _upload("letter-en.docx", demo_letter("en"))),
                ("cs", _upload("dopis-cs.docx", demo_letter("cs"))),
            ],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].errors
    template = InteractionTemplate.objects.get(code="BUS")
    assert template.unit_cost == Decimal("1.50")
    documents = {row.language: row.document for row in template.documents.all()}
    assert set(documents) == {"en", "cs"}
    assert documents["cs"].file_name == "dopis-cs.docx"
    assert "Contact_Address_Block" in documents["cs"].merge_fields
    assert documents["cs"].file.read() == demo_letter("cs")


def test_the_change_page_lists_the_merge_fields_and_links_the_download(
    admin_client_for_marketing,
):
    row = TemplateDocumentFactory(language="sv")

    page = admin_client_for_marketing.get(
        reverse("admin:interactions_interactiontemplate_change", args=[row.template.pk])
    ).content.decode()

    assert "<code>Contact_Address_Block</code>" in page
    assert "<code>Salesperson_Name</code>" in page
    assert row.document.get_absolute_url() in page


def test_the_download_link_returns_the_stored_file(admin_client_for_marketing):
    row = TemplateDocumentFactory(language="fr")

    response = admin_client_for_marketing.get(row.document.get_absolute_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo_letter("fr")
    assert 'filename="letter-fr.docx"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"Just some text, renamed to .docx", "not a Word document"),
        ("macro.docm", None, "Macro-enabled"),
        ("macro.docx", None, "Macro-enabled"),
        ("bomb.docx", "bomb", "too large when unpacked"),
        ("huge.docx", b"PK" + b"\0" * (10 * 1024 * 1024), "larger than 10 MB"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".docx"),
        ("empty.docx", _zip({"hello.txt": b"hi"}), "word/document.xml"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_saved(
    admin_client_for_marketing, group, name, content, message
):
    if content is None:
        content = _macro_enabled(demo_letter("en"))
    elif content == "bomb":
        content = _zip_bomb()

    response = admin_client_for_marketing.post(
        ADD_URL, _template_form(group, documents=[("en", _upload(name, content))])
    )

    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not InteractionTemplate.objects.exists()
    assert not WordDocument.objects.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (word_files.external_image, "picture that is stored on the internet"),
        (lambda: word_files.hidden_macros(declared_by="relationship"), "macros"),
        (word_files.doctype, "document type declaration"),
        (word_files.text_bomb, "too large when unpacked"),
    ],
    ids=["tracking pixel", "hidden macros", "xxe", "95 MB text part"],
)
def test_a_hostile_word_package_is_refused_in_the_admin(
    admin_client_for_marketing, group, make, message
):
    response = admin_client_for_marketing.post(
        ADD_URL,
        _template_form(group, documents=[("en", _upload("letter.docx", make()))]),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InteractionTemplate.objects.exists()
    assert not WordDocument.objects.exists()


def test_the_merge_fields_show_the_fields_a_merge_cannot_fill(
    admin_client_for_marketing,
):
    letter = word_files.letter_with(
        word_files.field(" MERGEFIELD Contact_Name ", result="«Contact_Name»"),
        word_files.field(" NEXT "),
    )
    row = TemplateDocumentFactory(document=WordDocumentFactory(content=letter))

    template_page = admin_client_for_marketing.get(
        reverse("admin:interactions_interactiontemplate_change", args=[row.template.pk])
    ).content.decode()
    document_page = admin_client_for_marketing.get(
        reverse("admin:interactions_worddocument_change", args=[row.document.pk])
    ).content.decode()

    for page in (template_page, document_page):
        assert "<code>Contact_Name</code>" in page
        assert "Fields that cannot be filled" in page
        assert "<code>NEXT</code>" in page


def test_a_new_document_row_needs_a_file(admin_client_for_marketing, group):
    response = admin_client_for_marketing.post(
        ADD_URL, _template_form(group, documents=[("en", None)])
    )

    assert "Upload a Word document (.docx)." in response.content.decode()
    assert not InteractionTemplate.objects.exists()


def test_the_default_language_must_have_a_document(admin_client_for_marketing, group):
    response = admin_client_for_marketing.post(
        ADD_URL,
        _template_form(
            group,
            default_language="fr",
            documents=[("en", _upload("letter.docx", demo_letter("en")))],
        ),
    )

    assert "The default language (fr) must be one of" in response.content.decode()
    assert not InteractionTemplate.objects.exists()
    assert not WordDocument.objects.exists()


def test_a_template_without_documents_is_fine_for_e_mails_and_calls(
    admin_client_for_marketing, group
):
    response = admin_client_for_marketing.post(
        ADD_URL, _template_form(group, code="CALL", default_language="")
    )

    assert response.status_code == 302
    assert InteractionTemplate.objects.get(code="CALL").documents.count() == 0


def test_replacing_a_document_keeps_the_old_version_for_logged_entries(
    admin_client_for_marketing,
):
    row = TemplateDocumentFactory(language="en", template__default_language="en")
    template = row.template
    old_document = row.document
    entry = InteractionLogEntryFactory(template=template, document=old_document)
    data = _template_form(
        template.group,
        code=template.code,
        description=template.description,
        **{
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "1",
            "documents-0-id": str(row.pk),
            "documents-0-template": str(template.pk),
            "documents-0-language": "en",
            "documents-0-description": "New letter",
            "documents-0-upload": _upload("new.docx", demo_letter("sv")),
        },
    )

    response = admin_client_for_marketing.post(
        reverse("admin:interactions_interactiontemplate_change", args=[template.pk]),
        data,
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.document != old_document
    assert row.document.file_name == "new.docx"
    entry.refresh_from_db()
    assert entry.document == old_document
    assert old_document.file.read() == demo_letter("en")


def test_the_template_list_shows_statistics_of_entries_not_cancelled(
    admin_client_for_marketing,
):
    template = InteractionTemplateFactory(code="CALLS")
    InteractionLogEntryFactory.create_batch(
        2, template=template, cost=Decimal("3.50"), duration=10
    )
    InteractionLogEntryFactory(
        template=template, cost=Decimal("100"), duration=99, cancelled=True
    )

    response = admin_client_for_marketing.get(LIST_URL)

    row = response.context["cl"].result_list.get(pk=template.pk)
    assert (row.interaction_count, row.total_cost, row.total_duration) == (
        2,
        Decimal("7.00"),
        20,
    )
    group_row = (
        admin_client_for_marketing.get(
            reverse("admin:interactions_interactiongroup_changelist")
        )
        .context["cl"]
        .result_list.get(pk=template.group_id)
    )
    assert group_row.interaction_count == 2


def test_marketing_staff_cannot_reach_the_template_admin(client):
    staff_member = UserFactory(username="mia", is_staff=True, groups=["Marketing"])
    client.force_login(staff_member)

    assert client.get(LIST_URL).status_code == 403
    assert client.get(ADD_URL).status_code == 403
