"""The admin shows contacts and time read-only: no add, no change, no delete."""

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    return client


def test_signed_contact_is_read_only_even_for_a_superuser(superuser_client, logged_contact):
    url = f"/admin/contacts/contact/{logged_contact.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert "Signed records cannot be edited" in page.content.decode()
    response = superuser_client.post(url, {"note": "rewritten", "minutes": 1})
    assert response.status_code == 403
    assert Contact.objects.get(pk=logged_contact.pk).note == logged_contact.note


@pytest.mark.parametrize("model", ["contact", "addendum", "timeentry"])
def test_no_add_and_no_delete(superuser_client, logged_contact, model):
    assert superuser_client.get(f"/admin/contacts/{model}/add/").status_code == 403
    pk = logged_contact.pk if model == "contact" else logged_contact.time_entries.first().pk
    if model != "addendum":
        url = f"/admin/contacts/{model}/{pk}/delete/"
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403


def test_reviewer_browses_contacts_and_history(staff, logged_contact):
    assert staff.get("/admin/contacts/contact/").status_code == 200
    url = f"/admin/contacts/contact/{logged_contact.pk}/history/"
    assert staff.get(url).status_code == 200
