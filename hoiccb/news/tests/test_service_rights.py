"""Every news and directive service checks the actor's right itself, whatever view calls it."""

import pytest
from django.core.exceptions import PermissionDenied

from hoiccb.news import services
from hoiccb.news.models import ArticlePhoto, ArticleStatus, DirectiveReceipt, NewsEvent
from hoiccb.news.tests.conftest import photo_upload, write
from hoiccb.news.tests.test_directives import issue

pytestmark = pytest.mark.django_db


def test_committee_member_cannot_add_photos_to_a_published_article(cast, published):
    before = published.photos.count()
    with pytest.raises(PermissionDenied):
        services.photo_add(actor=cast["uyvien"], article=published, upload=photo_upload(seed=5))
    assert published.photos.count() == before


def test_committee_member_cannot_remove_photos_of_a_published_article(cast, published):
    photo = published.photos.get()
    with pytest.raises(PermissionDenied):
        services.photo_remove(actor=cast["uyvien"], photo=photo)
    assert ArticlePhoto.objects.filter(pk=photo.pk).exists()


def test_a_stale_draft_copy_does_not_open_a_published_article(cast, tree):
    article = write(cast["uyvien"], tree["bloc"])
    stale = type(article).objects.get(pk=article.pk)
    services.article_publish(actor=cast["khoi"], article=article)
    assert stale.status == ArticleStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.photo_add(actor=cast["uyvien"], article=stale, upload=photo_upload())


def test_committee_member_still_works_on_drafts(cast, tree):
    article = write(cast["uyvien"], tree["bloc"])
    photo = services.photo_add(actor=cast["uyvien"], article=article, upload=photo_upload())
    services.photo_remove(actor=cast["uyvien"], photo=photo)
    assert article.photos.count() == 0


@pytest.mark.parametrize("who", ["uyvien", "coso2", "nounit"])
def test_article_services_refuse_actors_without_the_right(cast, tree, published, draft, who):
    actor = cast[who]
    calls = [
        lambda: services.article_update(actor=actor, article=published, changes={"title": "Sửa trộm"}),
        lambda: services.article_publish(actor=actor, article=draft),
        lambda: services.article_withdraw(actor=actor, article=published),
        lambda: services.photo_add(actor=actor, article=published, upload=photo_upload()),
        lambda: services.photo_remove(actor=actor, photo=published.photos.get()),
    ]
    if who != "uyvien":  # a committee member may write the drafts of the bloc
        calls += [
            lambda: services.article_create(actor=actor, unit=tree["bloc"], title="Tin", lead="Mở", body_source="Thân"),
            lambda: services.article_update(actor=actor, article=draft, changes={"title": "Sửa trộm"}),
            lambda: services.photo_add(actor=actor, article=draft, upload=photo_upload()),
            lambda: services.photo_remove(actor=actor, photo=draft.photos.get()),
        ]
    events = NewsEvent.objects.count()
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert NewsEvent.objects.count() == events


@pytest.mark.parametrize("who", ["uyvien", "coso2", "nounit"])
def test_directive_services_refuse_actors_without_the_right(cast, tree, who):
    directive = issue(cast["khoi"], tree["bloc"])
    actor = cast[who]
    calls = [
        lambda: issue(actor, tree["bloc"], number="99/HD-CCB"),
        lambda: services.directive_remind(actor=actor, directive=directive),
    ]
    if who != "coso2":  # unit B is a recipient: its chair confirms its own receipt
        calls.append(lambda: services.receipt_confirm(actor=actor, directive=directive))
    if who == "nounit":
        calls.append(lambda: services.directive_opened(actor=actor, directive=directive))
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not DirectiveReceipt.objects.filter(directive=directive, confirmed_at__isnull=False).exists()
    assert not DirectiveReceipt.objects.filter(directive=directive, reminded_at__isnull=False).exists()
