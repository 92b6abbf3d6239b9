"""factory_boy factories shared by the tests."""

import hashlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Agency, Article, RawDocument, RelatedLink

# A desktop browser's user agent: hits sent with it count as a reader's.
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class RawDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RawDocument

    source = factory.Sequence(lambda n: f"page-{n}.txt")
    content = factory.Sequence(lambda n: f"Headline {n}\n\nBody of story {n}.".encode())
    content_type = "text/plain"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Ministers meet over story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    body_text = "First paragraph of the story.\n\nSecond paragraph of the story."
    body_html = "<p>First paragraph of the story.</p><p>Second paragraph of the story.</p>"
    agency = factory.SubFactory(AgencyFactory)
    published_at = factory.LazyFunction(timezone.now)
    published_precision = "minute"
    status = Article.Status.PUBLISHED


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    from_article = factory.SubFactory(ArticleFactory)
    to_article = factory.SubFactory(ArticleFactory)
    kind = RelatedLink.Kind.COMPUTED
    score = 0.5


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class ExtractionReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.ExtractionReport"

    article = factory.SubFactory(ArticleFactory)
    removed = factory.LazyFunction(lambda: ["This news has been read 12 times!", "Back to top button"])
    flagged = factory.LazyFunction(
        lambda: [{"kind": "repeated_sentence", "text": "A sentence said twice.", "detail": {"paragraph": 2}}]
    )
    warnings = factory.LazyFunction(lambda: ["No date found."])
    extractor = "test"


def user_with_permissions(*permissions: str, **kwargs):
    """A user holding ``permissions`` given as ``"app_label.codename"``."""
    from django.contrib.auth.models import Permission

    user = UserFactory(**kwargs)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    # Permissions are cached on the instance; fetch it again so they are seen.
    return get_user_model().objects.get(pk=user.pk)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "entities.Entity"
        django_get_or_create = ("name", "type")

    name = factory.Sequence(lambda n: f"Entity {n}")
    type = "person"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    status = "approved"


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "entities.Alias"

    entity = factory.SubFactory(EntityFactory)
    text = factory.Sequence(lambda n: f"Alias {n}")


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "entities.Mention"

    article = factory.SubFactory(ArticleFactory)
    entity = factory.SubFactory(EntityFactory)
    count = 1
    spans = factory.LazyFunction(lambda: [[0, 5]])
    confidence = 0.9
    method = "alias"


class EntitySuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "entities.EntitySuggestion"

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Unknown Person {n}")
    type = "person"
    count = 2
    examples = factory.LazyFunction(lambda: ["An example sentence."])


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sources.Source"

    url = factory.Sequence(lambda n: f"https://wire{n}.example/feed.xml")
    poll_interval = 900
