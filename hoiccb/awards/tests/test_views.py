import io

from docx import Document

from hoiccb.awards.models import Nomination, Quota, Share
from hoiccb.awards.movements import services as movement_services
from hoiccb.awards.tests.test_flow import full_round


def test_bloc_types_a_quota_and_sees_the_share_out(login, round_, cast, forms):
    client = login(cast["khoi"])
    response = client.post(
        f"/thi-dua/dot/{round_.pk}/chi-tieu/", {"form": forms["bang-khen-tinh"].pk, "basis": "number", "value": 2}
    )
    assert response.status_code == 302
    assert Quota.objects.get(round=round_, form=forms["bang-khen-tinh"]).total == 2
    page = client.get(f"/thi-dua/dot/{round_.pk}/").content.decode()
    assert "Phân bổ suất" in page and "được thêm 1" in page and "Hội CCB Sở Y tế" in page


def test_bad_quota_shows_a_message_and_saves_nothing(login, round_, cast, forms):
    client = login(cast["khoi"])
    response = client.post(
        f"/thi-dua/dot/{round_.pk}/chi-tieu/",
        {"form": forms["bang-khen-tinh"].pk, "basis": "pct_members", "value": 150},
        follow=True,
    )
    assert response.status_code == 200 and "Tỷ lệ không vượt quá 100 %" in response.content.decode()
    assert not Quota.objects.filter(round=round_, form=forms["bang-khen-tinh"]).exists()


def test_chair_sees_only_own_shares_and_nominates_within_them(login, round_, cast, tree, people, forms):
    client = login(cast["coso2"])
    page = client.get(f"/thi-dua/dot/{round_.pk}/").content.decode()
    assert "Hội CCB Sở Y tế" in page and "Hội CCB Sở Tài chính" not in page and "Phân bổ</button>" not in page
    data = {"form": forms["giay-khen-khoi"].pk, "unit": tree["unit_b"].pk, "member": people["hai"].pk, "summary": "Tốt"}
    assert client.post(f"/thi-dua/dot/{round_.pk}/de-nghi/", data).status_code == 302
    again = client.post(f"/thi-dua/dot/{round_.pk}/de-nghi/", data).content.decode()
    assert "Vượt chỉ tiêu" in again
    assert Nomination.objects.count() == 1
    # Another unit's member is not offered, and a forged POST is refused.
    forged = client.post(f"/thi-dua/dot/{round_.pk}/de-nghi/", {**data, "member": people["an"].pk}).content.decode()
    import re

    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', forged)
    assert errors, forged[-3000:]
    assert Nomination.objects.count() == 1


def test_share_adjustment_needs_a_reason(login, round_, cast, tree):
    client = login(cast["khoi"])
    share = Share.objects.get(quota__round=round_, unit=tree["unit_a"])
    client.post(f"/thi-dua/suat/{share.pk}/dieu-chinh/", {"amount": 3, "reason": ""})
    share.refresh_from_db()
    assert share.amount == 2
    # The quota (3) is all given: raising A first is refused, after taking B's seat it is accepted.
    page = client.post(
        f"/thi-dua/suat/{share.pk}/dieu-chinh/", {"amount": 3, "reason": "Đơn vị dẫn đầu cụm thi đua"}, follow=True
    ).content.decode()
    assert "vượt chỉ tiêu 3" in page
    other = Share.objects.get(quota__round=round_, unit=tree["unit_b"])
    client.post(f"/thi-dua/suat/{other.pk}/dieu-chinh/", {"amount": 0, "reason": "Nhường suất cho đơn vị dẫn đầu"})
    client.post(f"/thi-dua/suat/{share.pk}/dieu-chinh/", {"amount": 3, "reason": "Đơn vị dẫn đầu cụm thi đua"})
    share.refresh_from_db()
    assert (share.amount, share.computed, share.adjusted_reason) == (3, 2, "Đơn vị dẫn đầu cụm thi đua")


def test_downloads(login, round_, cast, tree, people, forms):
    decision = full_round(round_, cast, tree, people, forms)
    client = login(cast["khoi"])
    response = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/tai-ve.docx")
    assert response.status_code == 200
    assert "QUYẾT ĐỊNH" in [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    # Certificates are printed in the background first (test_certificates.py); until then, the printing page.
    pdf = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert pdf.status_code == 302 and pdf["Location"] == f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/"
    # A chair cannot download the bloc's decision.
    assert login(cast["coso1"]).get(f"/thi-dua/quyet-dinh/{decision.pk}/tai-ve.docx").status_code == 404


def test_member_history_and_ratings_pages(login, rated, cast, tree, people):
    client = login(cast["khoi"])
    page = client.get(f"/thi-dua/hoi-vien/{people['hai'].pk}/").content.decode()
    assert "CCB gương mẫu" in page and "2019" in page
    page = client.get(f"/thi-dua/phong-trao/{rated.pk}/?year=2024").content.decode()
    assert "Trong sạch vững mạnh xuất sắc" in page
    response = client.post(f"/thi-dua/phong-trao/{rated.pk}/", {"year": 2024, f"score_{tree['unit_b'].pk}": "abc"})
    assert (
        "không phải là số" in client.get(f"/thi-dua/phong-trao/{rated.pk}/").content.decode()
        or response.status_code == 200
    )
    assert rated.unit_ratings.get(unit=tree["unit_b"], year=2024).score == 75
    client.post(f"/thi-dua/phong-trao/{rated.pk}/binh-xet/", {"unit": tree["unit_b"].pk, "year": 2024, "exemplary": []})
    assert not rated.member_ratings.get(member=people["hai"], year=2024).exemplary
    assert login(cast["coso1"]).get(f"/thi-dua/hoi-vien/{people['hai'].pk}/").status_code == 404
    assert client.get("/thi-dua/thong-ke/").status_code == 200


def test_chair_opens_the_blocs_movement_and_rates_own_members(login, rated, cast, tree, people):
    client = login(cast["coso1"])
    assert f"/thi-dua/phong-trao/{rated.pk}/" in client.get("/thi-dua/").content.decode()
    page = client.get(f"/thi-dua/phong-trao/{rated.pk}/?year=2024").content.decode()
    assert "Trong sạch vững mạnh xuất sắc" in page and tree["unit_a"].name in page
    assert tree["unit_b"].name not in page  # the sibling's score stays hidden
    response = client.post(
        f"/thi-dua/phong-trao/{rated.pk}/binh-xet/",
        {"unit": tree["unit_a"].pk, "year": 2024, "exemplary": [people["an"].pk]},
    )
    assert response.status_code == 302
    exemplary = dict(rated.member_ratings.filter(year=2024).values_list("member_id", "exemplary"))
    assert exemplary[people["an"].pk] and not exemplary[people["binh"].pk]
    assert exemplary[people["hai"].pk]  # unit B's members were not touched
    # Another unit's rating table is out of reach, and so is a movement launched by a sibling.
    assert client.get(f"/thi-dua/phong-trao/{rated.pk}/binh-xet/?unit={tree['unit_b'].pk}").status_code == 404
    sibling = movement_services.movement_create(
        actor=cast["coso2"], unit=tree["unit_b"], name="Phong trào riêng", start_year=2024, end_year=2024, bands=[]
    )
    assert client.get(f"/thi-dua/phong-trao/{sibling.pk}/").status_code == 404


def test_award_histories_are_linked_from_member_and_unit_pages(login, cast, tree, people):
    client = login(cast["khoi"])
    member = people["hai"]
    assert f"/thi-dua/hoi-vien/{member.pk}/" in client.get(f"/hoi-vien/{member.pk}/").content.decode()
    assert f"/thi-dua/don-vi/{tree['unit_b'].pk}/" in client.get(f"/don-vi/{tree['unit_b'].pk}/").content.decode()
