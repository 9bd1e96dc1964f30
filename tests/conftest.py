import pytest

from tests.corpus import require_corpus

# Modules that replay the recorded corpus through `govreq update` (or run a crawl, a daemon or OCR): `make check`
# leaves them out (`-m "not slow and not browser"`), `make test` and CI run them all.
SLOW_MODULES = {
    "test_full_corpus", "test_defensible", "test_update", "test_sources", "test_scrapyd", "test_discovery",
    "test_bad_files", "test_crawl", "test_mirror", "test_landing_pages", "test_ocr", "test_amazon", "test_comcast",
    "test_datasette",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def corpus():
    return require_corpus()
