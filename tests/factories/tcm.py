from datetime import date

import factory
from django.contrib.auth.models import Group

from tcm.models import Certification, RegionalProgram, StaffQualification, User


class RegionalProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalProgram
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.LazyAttribute(lambda o: f"Regional Program {o.code}")
    npi = "1234567893"
    tax_id = "641234567"

    @factory.post_generation
    def certified(self, create, extracted, **kwargs):
        """Certified since 2000 unless built with certified=False."""
        if create and extracted is not False:
            CertificationFactory(regional_program=self)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    regional_program = factory.SubFactory(RegionalProgramFactory, certified=False)
    certificate_number = factory.Sequence(lambda n: f"DOC-{n}")
    certified_from = date(2000, 1, 1)
    certified_until = None


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; `role="case_manager"` puts them in that group."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    regional_program = factory.SubFactory(RegionalProgramFactory)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class StaffQualificationFactory(factory.django.DjangoModelFactory):
    """Fully qualified since 2010 unless overridden."""

    class Meta:
        model = StaffQualification

    staff = factory.SubFactory(UserFactory)
    effective_from = date(2000, 1, 1)
    lsw_license = True
    idd_bachelors_degree = False
    css_credential = "full"
    qddp = False
    experience_started_on = date(2005, 1, 1)
    pcp_training_completed_on = date(2009, 6, 1)
