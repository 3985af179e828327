from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jinchuang.accounts.models import Organisation, Role, UserRole, mask_phone, uscc_check_character
from tests.factories import make_organisation, make_user


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("", ""), ("1234567", "*******"), ("12345678", "123*5678")],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.django_db
def test_unified_social_credit_code_is_validated() -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_organisation(unified_social_credit_code="123")
    assert "unified_social_credit_code" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as wrong:  # the right format, the wrong check character (GB 32100-2015)
        make_organisation(unified_social_credit_code="91140500MA0KXXXX1A")
    assert "校验位" in str(wrong.value.message_dict["unified_social_credit_code"])
    assert uscc_check_character("91350100M000100Y4") == "3"  # a published code: 91350100M000100Y43
    organisation = make_organisation(unified_social_credit_code="91140500MA0KXXXX1G")
    assert organisation.unified_social_credit_code == "91140500MA0KXXXX1G"


@pytest.mark.django_db
def test_credit_code_unique_when_set_but_may_be_blank_many_times() -> None:
    make_organisation(unified_social_credit_code="91140500MA0KXXXX1G")
    make_organisation()
    make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            name="重复代码", kind="enterprise", valley="大同", unified_social_credit_code="91140500MA0KXXXX1G"
        )


@pytest.mark.django_db
def test_database_refuses_reviewer_without_department() -> None:
    user = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=user, role=Role.REVIEWER, department="")


@pytest.mark.django_db
def test_user_may_hold_several_roles_but_each_once() -> None:
    user = make_user(roles={Role.APPLICANT: "", Role.EXPERT: ""})
    assert set(user.roles.values_list("role", flat=True)) == {"applicant", "expert"}
    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=user, role=Role.EXPERT)


@pytest.mark.django_db
def test_full_name_prefers_display_name() -> None:
    user = make_user(display_name="张三", username="zhangsan")
    assert user.get_full_name() == "张三"
    assert str(user) == "张三"
